import Field
import Hashing

/// Leaf and node hashing for Merkle trees over rows of field elements
/// (Spec/hashing.md §Merkle).
///
///   leaf(row)   = C*(IV_leaf(w), bytes(row) ‖ 0-pad to a 64-byte multiple)
///   node(l, r)  = C(IV_node, l ‖ r)
///
/// C is the SHA-256 compression function, C* its Merkle–Damgård iteration
/// without length padding (lengths are fixed by the tree shape), bytes(row)
/// the canonical 8-byte little-endian encodings, and the IVs are tagged
/// midstates (`SHA256State.tagged`) so leaves of different widths and inner
/// nodes live in separate domains.
public enum MerkleHashing {
    public static let leafTag = "zkvm/merkle/leaf/v1"
    public static let nodeTag = "zkvm/merkle/node/v1"

    /// The IV for leaves of `width` elements.
    public static func leafIV(width: Int) -> SHA256State {
        SHA256State.tagged(leafTag, parameter: UInt64(width))
    }

    /// The IV for inner nodes.
    public static let nodeIV = SHA256State.tagged(nodeTag)

    /// Hashes one row of `width` elements starting at `row`.
    @inlinable
    public static func hashLeaf(_ row: UnsafePointer<Goldilocks>, width: Int, iv: SHA256State) -> Digest {
        precondition(width >= 1 && width <= Int.max / 8, "leaf width out of range")
        #if _endian(little)
        var state = iv
        state.compress(blocks: UnsafeRawPointer(row), byteCount: width * 8)
        return state.digest
        #else
        #error("Merkle leaf hashing assumes a little-endian host")
        #endif
    }

    /// Hashes one row given as an array.
    public static func hashLeaf(_ row: [Goldilocks]) -> Digest {
        row.withUnsafeBufferPointer { hashLeaf($0.baseAddress!, width: $0.count, iv: leafIV(width: $0.count)) }
    }

    /// Hashes the 64 bytes at `children` (left digest, then right digest).
    @inlinable
    public static func hashNode(children: UnsafeRawPointer, iv: SHA256State) -> Digest {
        var state = iv
        state.compress(blocks: children, byteCount: 64)
        return state.digest
    }

    /// Hashes two sibling digests.
    public static func hashNode(_ left: Digest, _ right: Digest) -> Digest {
        var pair = (left, right)
        return withUnsafeBytes(of: &pair) { hashNode(children: $0.baseAddress!, iv: nodeIV) }
    }
}
