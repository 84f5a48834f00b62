import Commitments
import Hashing
import Field
import Parallel
import Polynomials
import STARK

/// Columns extended to the LDE domain (bit-reversed coset order), stored row
/// by row, and the Merkle tree over the rows.
struct CommittedMatrix {
    let logSize: Int
    let matrix: RowMajorMatrix
    let tree: MerkleTree

    var width: Int { matrix.width }
    var root: Digest { tree.root }

    /// Extends columns given by their values on the trace domain.
    init(evaluations columns: [[Goldilocks]], logBlowup: Int, threads: Int) {
        self.init(extended: Self.extend(columns, threads: threads) {
            LowDegreeExtension.extend($0, logBlowup: logBlowup, threads: $1)
        }, threads: threads)
    }

    /// Extends columns given by their coefficients.
    init(coefficients columns: [[Goldilocks]], logBlowup: Int, threads: Int) {
        self.init(extended: Self.extend(columns, threads: threads) {
            LowDegreeExtension.extend(coefficients: $0, logBlowup: logBlowup, threads: $1)
        }, threads: threads)
    }

    init(extended columns: [[Goldilocks]], threads: Int) {
        matrix = Self.transpose(columns, threads: threads)
        logSize = matrix.height.trailingZeroBitCount
        tree = MerkleTree(matrix: matrix, threads: threads)
    }

    /// LDE of every column: columns in parallel when there are enough of
    /// them, otherwise each LDE uses all threads.
    static func extend(_ columns: [[Goldilocks]], threads: Int,
                       _ lde: @escaping ([Goldilocks], Int) -> [Goldilocks]) -> [[Goldilocks]] {
        if columns.count >= threads && threads > 1 {
            var out = [[Goldilocks]](repeating: [], count: columns.count)
            out.withUnsafeMutableBufferPointer { buffer in
                let dst = SharedMutablePointer(buffer.baseAddress!)
                Parallel.forEach(threads, threads: threads) { worker in
                    var c = worker
                    while c < columns.count { dst.base[c] = lde(columns[c], 1); c += threads }
                }
            }
            return out
        }
        return columns.map { lde($0, threads) }
    }

    /// Row-major copy of equal-length columns.
    static func transpose(_ columns: [[Goldilocks]], threads: Int) -> RowMajorMatrix {
        let width = columns.count
        let height = columns[0].count
        let values = [Goldilocks](unsafeUninitializedCapacity: width * height) { out, initialized in
            let dst = SharedMutablePointer(out.baseAddress!)
            Parallel.forEachChunk(height, granularity: 1024, threads: threads) { rows in
                for (c, column) in columns.enumerated() {
                    column.withUnsafeBufferPointer { src in
                        for r in rows { (dst.base + r * width + c).initialize(to: src[r]) }
                    }
                }
            }
            initialized = width * height
        }
        return RowMajorMatrix(width: width, values: values)
    }

    /// The rows at `positions` (sorted, distinct) with their multi-proof.
    func open(_ positions: [Int]) -> MatrixOpening {
        MatrixOpening(rows: positions.map { matrix.row($0) }, proof: tree.open(positions))
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
