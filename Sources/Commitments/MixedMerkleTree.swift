import Field
import Hashing
import Parallel

/// One Merkle tree over several matrices of different power-of-two heights
/// (Spec/hashing.md §Mixed trees), so one opening path serves every matrix
/// committed in the same round.
///
/// Level k of the tree has 2^k nodes. The nodes of the top level (2^L, L the
/// largest log height) are the leaf digests of the concatenated rows of the
/// tallest matrices; a node of a lower level is hashNode(left, right) and,
/// if matrices of that height exist, then hashNode(that, leaf digest of the
/// concatenation of their rows at the node's index). A matrix of height 2^h
/// is therefore opened at index i >> (L − h) for top-level index i.
public struct MixedMerkleTree: Sendable {
    /// Log heights of the matrices, in input order.
    public let logHeights: [Int]
    public let widths: [Int]
    let matrices: [RowMajorMatrix]
    /// levels[k] holds the 2^k digests of level k (levels[0] = [root]).
    let levels: [[Digest]]

    public var root: Digest { levels[0][0] }
    public var topLogHeight: Int { levels.count - 1 }

    /// - Precondition: at least one matrix; every height a power of two.
    public init(matrices: [RowMajorMatrix], threads: Int = Parallel.defaultThreads) {
        precondition(!matrices.isEmpty, "a mixed tree needs a matrix")
        let logs = matrices.map { m -> Int in
            precondition(m.height >= 1 && m.height & (m.height - 1) == 0, "heights must be powers of two")
            return m.height.trailingZeroBitCount
        }
        self.logHeights = logs
        self.widths = matrices.map(\.width)
        self.matrices = matrices
        let top = logs.max()!
        var levels = [[Digest]](repeating: [], count: top + 1)
        for k in stride(from: top, through: 0, by: -1) {
            let count = 1 << k
            let here = logs.indices.filter { logs[$0] == k }
            let below = k == top ? [] : levels[k + 1]
            // The leaf of row i: the rows of every matrix of this height,
            // concatenated (copied into a per-worker scratch when there are
            // several), hashed from the IV of the total width (computed once).
            let rowWidths = here.map { matrices[$0].width }
            let total = rowWidths.reduce(0, +)
            let iv = MerkleHashing.leafIV(width: max(1, total))
            levels[k] = [Digest](unsafeUninitializedCapacity: count) { buffer, initialized in
                LargeBuffers.adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress!), byteCount: count * Digest.byteCount)
                let out = SharedMutablePointer(buffer.baseAddress!)
                withColumnPointers(here.map { matrices[$0].values }) { sources in
                    Parallel.forEachChunk(count, granularity: 256, threads: count >= 1024 ? threads : 1) { range in
                        let scratch = UnsafeMutablePointer<Goldilocks>.allocate(capacity: max(1, total))
                        defer { scratch.deallocate() }
                        for i in range {
                            var node: Digest? = k == top ? nil : MerkleHashing.hashNode(below[2 * i], below[2 * i + 1])
                            if !here.isEmpty {
                                let leaf: Digest
                                if sources.count == 1 {
                                    leaf = MerkleHashing.hashLeaf(sources[0] + i * total, width: total, iv: iv)
                                } else {
                                    var offset = 0
                                    for (source, width) in zip(sources, rowWidths) {
                                        (scratch + offset).update(from: source + i * width, count: width)
                                        offset += width
                                    }
                                    leaf = MerkleHashing.hashLeaf(scratch, width: total, iv: iv)
                                }
                                node = node.map { MerkleHashing.hashNode($0, leaf) } ?? leaf
                            }
                            (out.base + i).initialize(to: node!)
                        }
                    }
                }
                initialized = count
            }
        }
        self.levels = levels
    }

    /// Opens the tree at top-level indices: for each matrix its rows at the
    /// sorted distinct indices of its level, and the siblings the verifier
    /// cannot recompute (level by level from the top, ascending index).
    public func open(_ indices: [Int]) -> (rows: [[[Goldilocks]]], proof: MerkleMultiProof) {
        let top = topLogHeight
        var positions = Array(Set(indices)).sorted()
        var rows = [[[Goldilocks]]](repeating: [], count: matrices.count)
        var siblings = [Digest]()
        for k in stride(from: top, through: 0, by: -1) {
            for (m, log) in logHeights.enumerated() where log == k {
                rows[m] = positions.map { matrices[m].row($0) }
            }
            guard k > 0 else { break }
            var parents = [Int]()
            var j = 0
            while j < positions.count {
                let p = positions[j]
                if p & 1 == 0, j + 1 < positions.count, positions[j + 1] == p + 1 {
                    j += 2
                } else {
                    siblings.append(levels[k][p ^ 1])
                    j += 1
                }
                parents.append(p >> 1)
            }
            positions = parents
        }
        return (rows, MerkleMultiProof(siblings: siblings))
    }

    /// Checks an opening against `root`: `logHeights` and `widths` come from
    /// the verifier, `indices` are top-level indices, and `rows[m]` must hold
    /// matrix m's rows at the sorted distinct indices of its level.
    public static func verify(root: Digest, logHeights: [Int], widths: [Int], indices: [Int],
                              rows: [[[Goldilocks]]], proof: MerkleMultiProof) throws(CommitmentError) {
        guard let top = logHeights.max(), logHeights.count == widths.count, rows.count == widths.count,
              logHeights.allSatisfy({ $0 >= 0 && $0 <= 40 }), widths.allSatisfy({ $0 >= 1 }) else {
            throw .invalidShape(leafCount: 0, rowWidth: 0)
        }
        guard !indices.isEmpty else { throw .emptyOpening }
        guard indices.allSatisfy({ $0 >= 0 && $0 < 1 << top }) else {
            throw .indexOutOfRange(index: indices.first { $0 < 0 || $0 >= 1 << top }!, leafCount: 1 << top)
        }
        var positions = Array(Set(indices)).sorted()
        var digests = [Digest]()
        var next = 0
        for k in stride(from: top, through: 0, by: -1) {
            let here = logHeights.indices.filter { logHeights[$0] == k }
            var leaves = [Digest]()
            if !here.isEmpty {
                for m in here {
                    guard rows[m].count == positions.count, rows[m].allSatisfy({ $0.count == widths[m] }) else {
                        throw .countMismatch(indices: positions.count, rows: rows[m].count)
                    }
                }
                leaves = positions.indices.map { j in MerkleHashing.hashLeaf(here.flatMap { rows[$0][j] }) }
            }
            if k == top {
                digests = leaves
            } else if !leaves.isEmpty {
                digests = zip(digests, leaves).map { MerkleHashing.hashNode($0, $1) }
            }
            guard k > 0 else { break }
            var parents = [Int](), parentDigests = [Digest]()
            var j = 0
            while j < positions.count {
                let p = positions[j]
                let left: Digest, right: Digest
                if p & 1 == 0, j + 1 < positions.count, positions[j + 1] == p + 1 {
                    left = digests[j]; right = digests[j + 1]
                    j += 2
                } else {
                    guard next < proof.siblings.count else { throw .missingSiblings }
                    let sibling = proof.siblings[next]
                    next += 1
                    (left, right) = p & 1 == 0 ? (digests[j], sibling) : (sibling, digests[j])
                    j += 1
                }
                parents.append(p >> 1)
                parentDigests.append(MerkleHashing.hashNode(left, right))
            }
            positions = parents
            digests = parentDigests
        }
        guard next == proof.siblings.count else { throw .unusedSiblings(count: proof.siblings.count - next) }
        guard digests.count == 1, digests[0] == root else { throw .rootMismatch }
    }
}
