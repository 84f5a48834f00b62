import Field
import Hashing

/// Sibling digests authenticating several leaves at once (Spec/hashing.md §Openings).
public struct MerkleMultiProof: Sendable, Equatable {
    public var siblings: [Digest]

    public init(siblings: [Digest]) { self.siblings = siblings }

    /// u32 count, then the digests.
    public func encode(into writer: inout ByteWriter) {
        writer.write(UInt32(siblings.count))
        for s in siblings { writer.write(raw: s.bytes) }
    }

    /// Decodes a proof; `maxSiblings` bounds the allocation.
    public static func decode(from reader: inout ByteReader, maxSiblings: Int) throws(CommitmentError) -> MerkleMultiProof {
        do {
            let count = try reader.readCount(maximum: maxSiblings, minimumItemSize: Digest.byteCount)
            var siblings = [Digest]()
            siblings.reserveCapacity(count)
            for _ in 0..<count {
                // Every 32-byte string is a digest.
                siblings.append(Digest(bytes: try reader.readBytes(Digest.byteCount))!)
            }
            return MerkleMultiProof(siblings: siblings)
        } catch {
            throw .malformed(error)
        }
    }
}

extension MerkleTree {
    /// Checks that `rows[k]` is leaf `indices[k]` of the tree committed to by
    /// `root`, with `leafCount` leaves of `rowWidth` elements each — all three
    /// from the verifier's own parameters, never from the proof.
    ///
    /// Returns normally only if the recomputed root equals `root` and every
    /// sibling in `proof` was used; any malformed input is a thrown error.
    public static func verify(root: Digest, leafCount: Int, rowWidth: Int,
                              indices: [Int], rows: [[Goldilocks]],
                              proof: MerkleMultiProof) throws(CommitmentError) {
        guard leafCount >= 1, leafCount & (leafCount - 1) == 0, leafCount <= 1 << 40, rowWidth >= 1 else {
            throw .invalidShape(leafCount: leafCount, rowWidth: rowWidth)
        }
        guard !indices.isEmpty else { throw .emptyOpening }
        guard indices.count == rows.count else {
            throw .countMismatch(indices: indices.count, rows: rows.count)
        }
        // Leaf digests keyed by heap position; duplicates must agree.
        var leaves = [Int: (row: [Goldilocks], digest: Digest)]()
        let iv = MerkleHashing.leafIV(width: rowWidth)
        for (index, row) in zip(indices, rows) {
            guard index >= 0, index < leafCount else { throw .indexOutOfRange(index: index, leafCount: leafCount) }
            guard row.count == rowWidth else {
                throw .rowWidthMismatch(index: index, expected: rowWidth, actual: row.count)
            }
            if let seen = leaves[leafCount + index] {
                if seen.row != row { throw .conflictingRows(index: index) }
                continue
            }
            let digest = row.withUnsafeBufferPointer { MerkleHashing.hashLeaf($0.baseAddress!, width: rowWidth, iv: iv) }
            leaves[leafCount + index] = (row, digest)
        }
        var level = leaves.keys.sorted().map { ($0, leaves[$0]!.digest) }
        var next = 0
        while !(level.count == 1 && level[0].0 == 1) {
            var parents = [(Int, Digest)]()
            parents.reserveCapacity(level.count)
            var i = 0
            while i < level.count {
                let (p, digest) = level[i]
                let left: Digest, right: Digest
                if p & 1 == 0, i + 1 < level.count, level[i + 1].0 == p + 1 {
                    left = digest; right = level[i + 1].1
                    i += 2
                } else {
                    guard next < proof.siblings.count else { throw .missingSiblings }
                    let sibling = proof.siblings[next]
                    next += 1
                    (left, right) = p & 1 == 0 ? (digest, sibling) : (sibling, digest)
                    i += 1
                }
                parents.append((p >> 1, MerkleHashing.hashNode(left, right)))
            }
            level = parents
        }
        guard next == proof.siblings.count else { throw .unusedSiblings(count: proof.siblings.count - next) }
        guard level[0].1 == root else { throw .rootMismatch }
    }
}
