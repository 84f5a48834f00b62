import Field
import Hashing
import Parallel

/// A binary Merkle tree whose leaves are the rows of a matrix.
///
/// Nodes are kept in heap order: `nodes[1]` is the root, the children of node
/// k are 2k and 2k + 1, and leaf i is node `leafCount + i`. Sibling digests
/// are therefore adjacent in memory and each inner node hashes 64 contiguous
/// bytes. Building uses `threads` workers for large levels.
public struct MerkleTree: Sendable {
    public let leafCount: Int
    public let rowWidth: Int
    /// Heap-ordered digests; index 0 is unused.
    let nodes: [Digest]

    public var root: Digest { nodes[1] }

    /// Commits to the rows of `matrix` (its height must be a power of two).
    public init(matrix: RowMajorMatrix, threads: Int = Parallel.defaultThreads) {
        let n = matrix.height, w = matrix.width
        precondition(n >= 1 && n & (n - 1) == 0, "Merkle trees need a power-of-two number of rows")
        precondition(matrix.values.count == n * w, "matrix storage does not match its shape")
        leafCount = n
        rowWidth = w
        let leafIV = MerkleHashing.leafIV(width: w)
        let nodeIV = MerkleHashing.nodeIV
        nodes = [Digest](unsafeUninitializedCapacity: 2 * n) { buffer, initialized in
            let out = SharedMutablePointer(buffer.baseAddress!)
            out.base.initialize(to: .zero)
            // Subtrees of `block` leaves are built bottom-up by one worker each,
            // so a subtree's digests are still in cache when its parents are
            // hashed; the levels above the subtree roots follow level by level.
            let block = min(n, MerkleTree.subtreeLeaves)
            matrix.values.withUnsafeBufferPointer { values in
                let rows = values.baseAddress!
                Parallel.forEachChunk(n / block, threads: threads) { blocks in
                    for b in blocks {
                        let first = b * block
                        for i in first..<first + block {
                            (out.base + n + i).initialize(to: MerkleHashing.hashLeaf(rows + i * w, width: w, iv: leafIV))
                        }
                        var lo = (n + first) / 2, count = block / 2
                        while count >= 1 {
                            for node in lo..<lo + count {
                                (out.base + node).initialize(
                                    to: MerkleHashing.hashNode(children: UnsafeRawPointer(out.base + 2 * node), iv: nodeIV))
                            }
                            lo /= 2
                            count /= 2
                        }
                    }
                }
            }
            var levelStart = n / block / 2
            while levelStart >= 1 {
                let start = levelStart
                Parallel.forEachChunk(start, granularity: 256, threads: start >= 1024 ? threads : 1) { range in
                    for k in range {
                        let node = start + k
                        (out.base + node).initialize(
                            to: MerkleHashing.hashNode(children: UnsafeRawPointer(out.base + 2 * node), iv: nodeIV))
                    }
                }
                levelStart /= 2
            }
            initialized = 2 * n
        }
    }

    /// Leaves per cache-resident subtree (1024 leaves: 32 KiB of leaf digests).
    static let subtreeLeaves = 1024

    /// A batched opening of the given leaves: the sibling digests the verifier
    /// cannot recompute, in the order `MerkleTree.verify` consumes them
    /// (level by level from the leaves, ascending position within a level).
    /// Duplicate indices are allowed and opened once.
    /// - Precondition: every index is in [0, leafCount).
    public func open(_ indices: [Int]) -> MerkleMultiProof {
        precondition(indices.allSatisfy { $0 >= 0 && $0 < leafCount }, "leaf index out of range")
        var positions = Array(Set(indices.map { $0 + leafCount })).sorted()
        var siblings = [Digest]()
        while positions != [1] && !positions.isEmpty {
            var parents = [Int]()
            var i = 0
            while i < positions.count {
                let p = positions[i]
                if p & 1 == 0, i + 1 < positions.count, positions[i + 1] == p + 1 {
                    i += 2
                } else {
                    siblings.append(nodes[p ^ 1])
                    i += 1
                }
                parents.append(p >> 1)
            }
            positions = parents
        }
        return MerkleMultiProof(siblings: siblings)
    }
}
