/// Errors from Fiat–Shamir transcript operations.
public enum TranscriptError: Error, Equatable, Sendable {
    /// A proof-of-work nonce does not reach the required difficulty.
    case insufficientProofOfWork(required: Int, achieved: Int)
    /// A requested parameter is outside what the transcript supports.
    case unsupported(String)
}
