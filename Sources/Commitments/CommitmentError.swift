import Field

/// Why a Merkle opening was rejected or could not be decoded.
public enum CommitmentError: Error, Equatable, Sendable {
    /// The tree shape is not supported (leaf count not a power of two, width < 1).
    case invalidShape(leafCount: Int, rowWidth: Int)
    /// An opening names no leaves.
    case emptyOpening
    /// A leaf index is outside [0, leafCount).
    case indexOutOfRange(index: Int, leafCount: Int)
    /// The numbers of indices and of rows differ.
    case countMismatch(indices: Int, rows: Int)
    /// An opened row has the wrong number of elements.
    case rowWidthMismatch(index: Int, expected: Int, actual: Int)
    /// The same leaf is opened twice with different rows.
    case conflictingRows(index: Int)
    /// The proof ran out of sibling digests.
    case missingSiblings
    /// The proof carries sibling digests the verifier never used.
    case unusedSiblings(count: Int)
    /// The recomputed root differs from the commitment.
    case rootMismatch
    /// The serialized proof is malformed.
    case malformed(FieldError)
}
