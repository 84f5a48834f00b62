/// Errors of the proof system shared by prover and verifier: bad options,
/// malformed proof bytes (with the byte offset), and failed checks.
public enum STARKError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidOptions(String)
    /// The proof bytes do not decode; `offset` is where decoding stopped.
    case malformed(offset: Int, detail: String)
    /// The proof's parameters are below the verifier's policy.
    case policyViolation(String)
    /// The statement or witness does not fit the AIR.
    case invalidInput(String)
    /// A verification check failed; `check` names it.
    case rejected(check: String)

    public var description: String {
        switch self {
        case .invalidOptions(let d): return "invalid proof options: \(d)"
        case let .malformed(offset, d): return "malformed proof at byte \(offset): \(d)"
        case .policyViolation(let d): return "proof rejected by policy: \(d)"
        case .invalidInput(let d): return "invalid input: \(d)"
        case .rejected(let check): return "proof rejected: \(check)"
        }
    }
}
