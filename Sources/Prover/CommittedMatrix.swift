import AIR
import Commitments
import Hashing
import Field
import Parallel
import Polynomials
import STARK

/// Columns extended to the LDE domain (bit-reversed coset order), stored row
/// by row; committed together with the round's other tables in one
/// `MixedMerkleTree`.
struct CommittedMatrix {
    let logSize: Int
    let matrix: RowMajorMatrix

    var width: Int { matrix.width }

    /// Extends columns given by their values on the trace domain.
    init(evaluations columns: [[Goldilocks]], logBlowup: Int, threads: Int) {
        self.init(matrix: Self.extend(columns, logBlowup: logBlowup, threads: threads) {
            LowDegreeExtension.extend($0, logBlowup: logBlowup, threads: $1)
        }, threads: threads)
    }

    /// Extends columns given by their coefficients.
    init(coefficients columns: [[Goldilocks]], logBlowup: Int, threads: Int) {
        self.init(matrix: Self.extend(columns, logBlowup: logBlowup, threads: threads) {
            LowDegreeExtension.extend(coefficients: $0, logBlowup: logBlowup, threads: $1)
        }, threads: threads)
    }

    init(matrix: RowMajorMatrix, threads: Int) {
        self.matrix = matrix
        logSize = matrix.height.trailingZeroBitCount
    }

    /// The LDE of every column, written straight into a row-major matrix.
    /// With at least as many columns as threads each worker extends a group
    /// of columns at a time (memory: the matrix plus one group per worker);
    /// otherwise each column's LDE uses every thread.
    static func extend(_ columns: [[Goldilocks]], logBlowup: Int, threads: Int,
                       _ lde: @escaping ([Goldilocks], Int) -> [Goldilocks]) -> RowMajorMatrix {
        let width = columns.count
        let height = columns[0].count << logBlowup
        // Workers extend groups of up to 8 adjacent columns and write them
        // row by row, so each row's group lands in one or two cache lines
        // instead of one line per element.
        let group = height <= 1 << 21 ? 8 : 4
        let values = [Goldilocks](unsafeUninitializedCapacity: width * height) { out, initialized in
            let dst = SharedMutablePointer(out.baseAddress!)
            func write(_ ldes: [[Goldilocks]], first c0: Int) {
                withColumnPointers(ldes) { src in
                    let k = src.count
                    var p = dst.base + c0
                    for r in 0..<height {
                        for j in 0..<k { (p + j).initialize(to: src[j][r]) }
                        p += width
                    }
                }
            }
            if width >= threads && threads > 1 {
                let groups = (width + group - 1) / group
                Parallel.forEach(threads, threads: threads) { worker in
                    var g = worker
                    while g < groups {
                        let columnsInGroup = (g * group) ..< min(width, (g + 1) * group)
                        write(columnsInGroup.map { lde(columns[$0], 1) }, first: g * group)
                        g += threads
                    }
                }
            } else {
                for c in 0..<width { write([lde(columns[c], threads)], first: c) }
            }
            initialized = width * height
        }
        return RowMajorMatrix(width: width, values: values)
    }

    /// Column `c` on the first 2^logCount rows (a smaller coset in
    /// bit-reversed order), permuted to natural order.
    func naturalColumn(_ c: Int, logCount: Int) -> [Goldilocks] {
        let count = 1 << logCount
        let w = width
        return matrix.values.withUnsafeBufferPointer { src in
            [Goldilocks](unsafeUninitializedCapacity: count) { out, initialized in
                for i in 0..<count { out[i] = src[BitReversal.reverse(i, bits: logCount) * w + c] }
                initialized = count
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
