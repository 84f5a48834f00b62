import ProofFiles
import STARK
import VMArithmetization

/// Why a proof file was not accepted: every failure of `VMVerifier`, with
/// the check or mismatch it names.
public enum VMVerifierError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The statement does not fit the key or program: another program,
    /// a commitment where none belongs (or none where one does), public
    /// values that do not fit the layout, segments that do not chain.
    case statement(String)
    /// The key (or the program and commitment given in its place) cannot
    /// check this proof: made for other options, or inconsistent.
    case key(String)
    /// A segment's STARK proof is malformed, below the policy, or rejected
    /// by the named check.
    case proof(STARKError)

    public var description: String {
        switch self {
        case .statement(let detail): "statement: \(detail)"
        case .key(let detail): "key: \(detail)"
        case .proof(let error): "\(error)"
        }
    }

    /// The rejecting check's name when a STARK check rejected the proof.
    public var rejectedCheck: String? {
        if case .proof(.rejected(let check)) = self { return check }
        return nil
    }

    /// The module errors a verification can meet, each in its case.
    static func wrapping(_ error: any Error) -> VMVerifierError {
        switch error {
        case let error as VMVerifierError: error
        case let error as STARKError: .proof(error)
        case let error as VMArithmetizationError:
            if case .statement(let detail) = error { .statement(detail) } else { .key(error.detail) }
        case let error as ProofFileError: .key("\(error)")
        default: .key("\(error)")
        }
    }
}
