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
        self.init(matrix: Self.extend(columns, logBlowup: logBlowup, threads: threads) { column, out, threads in
            column.withUnsafeBufferPointer { LowDegreeExtension.extend($0, into: out, logBlowup: logBlowup, threads: threads) }
        }, threads: threads)
    }

    /// Extends columns given by their coefficients.
    init(coefficients columns: [[Goldilocks]], logBlowup: Int, threads: Int) {
        self.init(matrix: Self.extend(columns, logBlowup: logBlowup, threads: threads) { column, out, threads in
            column.withUnsafeBufferPointer {
                LowDegreeExtension.extend(coefficients: $0, into: out, logBlowup: logBlowup, threads: threads)
            }
        }, threads: threads)
    }

    init(matrix: RowMajorMatrix, threads: Int) {
        self.matrix = matrix
        logSize = matrix.height.trailingZeroBitCount
    }

    /// The LDE of every column, written straight into a row-major matrix.
    /// With at least as many columns as threads each worker extends a group
    /// of columns at a time into its own scratch (allocated once and reused
    /// for every group, so no fresh pages per column); otherwise each
    /// column's LDE uses every thread. Memory: the matrix plus one group per
    /// worker.
    static func extend(_ columns: [[Goldilocks]], logBlowup: Int, threads: Int,
                       _ lde: @escaping ([Goldilocks], UnsafeMutablePointer<Goldilocks>, Int) -> Void) -> RowMajorMatrix {
        let width = columns.count
        let height = columns[0].count << logBlowup
        // Workers extend groups of up to 8 adjacent columns and write them
        // row by row, so each row's group lands in one or two cache lines
        // instead of one line per element.
        let group = height <= 1 << 21 ? 8 : 4
        let values = [Goldilocks](unsafeUninitializedCapacity: width * height) { out, initialized in
            let dst = SharedMutablePointer(out.baseAddress!)
            func write(_ scratch: UnsafeMutablePointer<Goldilocks>, count k: Int, first c0: Int) {
                var p = dst.base + c0
                for r in 0..<height {
                    for j in 0..<k { (p + j).initialize(to: scratch[j * height + r]) }
                    p += width
                }
            }
            if width >= threads && threads > 1 {
                let groups = (width + group - 1) / group
                Parallel.forEach(threads, threads: threads) { worker in
                    guard worker < groups else { return }
                    let scratch = UnsafeMutablePointer<Goldilocks>.allocate(capacity: group * height)
                    defer { scratch.deallocate() }
                    var g = worker
                    while g < groups {
                        let columnsInGroup = (g * group) ..< min(width, (g + 1) * group)
                        for (j, c) in columnsInGroup.enumerated() { lde(columns[c], scratch + j * height, 1) }
                        write(scratch, count: columnsInGroup.count, first: g * group)
                        g += threads
                    }
                }
            } else {
                let scratch = UnsafeMutablePointer<Goldilocks>.allocate(capacity: height)
                defer { scratch.deallocate() }
                for c in 0..<width {
                    lde(columns[c], scratch, threads)
                    write(scratch, count: 1, first: c)
                }
            }
            initialized = width * height
        }
        return RowMajorMatrix(width: width, values: values)
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

