import AIR
import Commitments
import Hashing
import Field
import Parallel
import Polynomials
import STARK

/// Columns extended to the LDE domain (bit-reversed coset order), stored row
/// by row, each row followed by its salt (zero-knowledge proofs: random
/// elements so an unopened leaf's digest reveals nothing, Spec/zk.md §2.4);
/// committed together with the round's other tables in one `MixedMerkleTree`.
struct CommittedMatrix {
    let logSize: Int
    let matrix: RowMajorMatrix
    /// Columns that are polynomials; the remaining `width − polynomialWidth` are salt.
    let polynomialWidth: Int

    var width: Int { matrix.width }

    /// Where a matrix's salt comes from: `width` elements per row from the
    /// streams (purpose, table, block) of `randomness`, one stream per block
    /// of `blockRows` rows, so the salt is the same at any thread count.
    struct Salt {
        let randomness: MaskRandomness
        let purpose: MaskRandomness.Purpose
        let table: Int
        let width: Int
        static let blockRows = 1 << 12
    }

    /// Extends `columns` to the LDE of their domain 2^logDomain
    /// (`CommitmentLayout.logDomain`) and appends `salt.width` salt elements
    /// to every row (none without a salt).
    init(_ columns: [ColumnSource], salt: Salt?, logDomain: Int, logBlowup: Int, threads: Int) {
        matrix = Self.extend(columns, salt: salt, logDomain: logDomain, logBlowup: logBlowup, threads: threads)
        logSize = matrix.height.trailingZeroBitCount
        polynomialWidth = columns.count
    }

    /// The LDE of every column, row-major (`ColumnExtension.extend`), each
    /// row followed by its salt.
    static func extend(_ columns: [ColumnSource], salt: Salt?, logDomain: Int, logBlowup: Int, threads: Int) -> RowMajorMatrix {
        let saltWidth = salt?.width ?? 0
        return ColumnExtension.extend(columns, extraWidth: saltWidth, logDomain: logDomain, logBlowup: logBlowup,
                                      threads: threads) { dst, width, height in
            guard let salt, saltWidth > 0 else { return }
            let columnCount = width - saltWidth
            let blocks = (height + Salt.blockRows - 1) / Salt.blockRows
            Parallel.forEachChunk(blocks, threads: threads) { range in
                let buffer = UnsafeMutablePointer<Goldilocks>.allocate(capacity: Salt.blockRows * saltWidth)
                defer { buffer.deallocate() }
                for block in range {
                    let first = block * Salt.blockRows, rows = min(Salt.blockRows, height - first)
                    salt.randomness.fill(buffer, count: rows * saltWidth, salt.purpose, table: salt.table, index: block)
                    var p = dst.base + first * width + columnCount
                    for r in 0..<rows {
                        for j in 0..<saltWidth { (p + j).initialize(to: buffer[r * saltWidth + j]) }
                        p += width
                    }
                }
            }
        }
    }
}

/// One commitment round: the mixed-height tree over its tables' matrices.
struct CommitmentRound {
    /// Table index of each matrix, in order.
    let tables: [Int]
    let tree: MixedMerkleTree

    init?(_ matrices: [CommittedMatrix?], threads: Int) {
        tables = matrices.indices.filter { matrices[$0] != nil }
        guard !tables.isEmpty else { return nil }
        tree = MixedMerkleTree(matrices: tables.map { matrices[$0]!.matrix }, threads: threads)
    }

    var root: Digest { tree.root }

    /// Openings at top-level LDE positions `queries` of a domain of 2^topLevel.
    func open(queries: [Int], topLevel: Int) -> PhaseCommitment {
        let shift = topLevel - tree.topLogHeight
        let (rows, proof) = tree.open(queries.map { $0 >> shift })
        return PhaseCommitment(root: tree.root, rows: rows, proof: proof)
    }
}

