import VMArithmetization

/// Errors of the VM's file formats (Spec/proof-format.md): bytes that are
/// not a valid file — the message names the byte offset — and files that
/// do not belong together (a key or commitment for another program, parts
/// of different runs).
public enum ProofFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a valid file: bad magic or version, truncated, non-canonical or out-of-range values.
    case malformed(String)
    /// Valid files that do not match each other or the program.
    case mismatch(String)

    /// The message without the case's prefix.
    public var detail: String {
        switch self {
        case .malformed(let d), .mismatch(let d): d
        }
    }

    public var description: String {
        switch self {
        case .malformed(let d): "malformed \(d)"
        case .mismatch(let d): d
        }
    }

    /// A nested decoder's error (statement, layout) inside `what` at `offset`.
    static func nested(_ error: any Error, in what: String, at offset: Int) -> ProofFileError {
        if let error = error as? ProofFileError { return error }
        let detail = (error as? VMArithmetizationError)?.detail ?? "\(error)"
        return .malformed("\(what) at byte \(offset): \(detail)")
    }
}
