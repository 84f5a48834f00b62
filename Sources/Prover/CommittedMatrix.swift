import AIR
import Commitments
import Hashing
import Field
import Parallel
import Polynomials
import STARK

/// One committed column before extension: values on H, optionally masked
/// (ŵ = w + Z_H·r, Spec/zk.md §2.1), or coefficients with an optional high
/// part (f = low + X^n·high, degree < n + h).
enum ColumnSource {
    case evaluations([Goldilocks], mask: [Goldilocks])
    case coefficients(low: [Goldilocks], high: [Goldilocks])

    var height: Int {
        switch self {
        case .evaluations(let values, _): return values.count
        case .coefficients(let low, _): return low.count
        }
    }

    func extend(into out: UnsafeMutablePointer<Goldilocks>, logBlowup: Int, threads: Int) {
        switch self {
        case .evaluations(let values, let mask):
            values.withUnsafeBufferPointer { v in
                if mask.isEmpty {
                    LowDegreeExtension.extend(v, into: out, logBlowup: logBlowup, threads: threads)
                } else {
                    mask.withUnsafeBufferPointer { LowDegreeExtension.extend(v, mask: $0, into: out, logBlowup: logBlowup, threads: threads) }
                }
            }
        case .coefficients(let low, let high):
            low.withUnsafeBufferPointer { l in
                high.withUnsafeBufferPointer { LowDegreeExtension.extend(low: l, high: $0, into: out, logBlowup: logBlowup, threads: threads) }
            }
        }
    }
}

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

    /// Extends `columns` and appends `salt.width` salt elements to every row (none without a salt).
    init(_ columns: [ColumnSource], salt: Salt?, logBlowup: Int, threads: Int) {
        matrix = Self.extend(columns, salt: salt, logBlowup: logBlowup, threads: threads)
        logSize = matrix.height.trailingZeroBitCount
        polynomialWidth = columns.count
    }

    /// The LDE of every column, written straight into a row-major matrix.
    /// With at least as many columns as threads each worker extends a group
    /// of columns at a time into its own scratch (allocated once and reused
    /// for every group, so no fresh pages per column); otherwise each
    /// column's LDE uses every thread. Memory: the matrix plus one group per
    /// worker.
    static func extend(_ columns: [ColumnSource], salt: Salt?, logBlowup: Int, threads: Int) -> RowMajorMatrix {
        let saltWidth = salt?.width ?? 0
        let columnCount = columns.count
        let width = columnCount + saltWidth
        let height = columns[0].height << logBlowup
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
            if columnCount >= threads && threads > 1 {
                let groups = (columnCount + group - 1) / group
                Parallel.forEach(threads, threads: threads) { worker in
                    guard worker < groups else { return }
                    let scratch = UnsafeMutablePointer<Goldilocks>.allocate(capacity: group * height)
                    defer { scratch.deallocate() }
                    var g = worker
                    while g < groups {
                        let columnsInGroup = (g * group) ..< min(columnCount, (g + 1) * group)
                        for (j, c) in columnsInGroup.enumerated() {
                            columns[c].extend(into: scratch + j * height, logBlowup: logBlowup, threads: 1)
                        }
                        write(scratch, count: columnsInGroup.count, first: g * group)
                        g += threads
                    }
                }
            } else {
                let scratch = UnsafeMutablePointer<Goldilocks>.allocate(capacity: height)
                defer { scratch.deallocate() }
                for c in 0..<columnCount {
                    columns[c].extend(into: scratch, logBlowup: logBlowup, threads: threads)
                    write(scratch, count: 1, first: c)
                }
            }
            if let salt, saltWidth > 0 {
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

