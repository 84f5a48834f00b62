import Field
import Parallel
import Polynomials

/// One committed column before extension: values on H, optionally masked
/// (ŵ = w + Z_H·r, Spec/zk.md §2.1), or coefficients with an optional high
/// part (f = low + X^n·high, degree < n + h).
public enum ColumnSource: Sendable {
    case evaluations([Goldilocks], mask: [Goldilocks])
    case coefficients(low: [Goldilocks], high: [Goldilocks])

    public var height: Int {
        switch self {
        case .evaluations(let values, _): return values.count
        case .coefficients(let low, _): return low.count
        }
    }

    /// Writes the column's values on the LDE domain of 2^logDomain·2^logBlowup
    /// points (bit-reversed coset order). On a domain larger than the
    /// column's height n (`CommitmentLayout.logDomain`) the polynomial —
    /// degree < n + h for a masked column, < n + |high| for coefficients —
    /// must have fewer than 2^logDomain coefficients.
    public func extend(into out: UnsafeMutablePointer<Goldilocks>, logDomain: Int, logBlowup: Int, threads: Int) {
        guard 1 << logDomain != height else { return extend(into: out, logBlowup: logBlowup, threads: threads) }
        let size = 1 << logDomain
        precondition(size > height, "a column's domain is at least its height")
        var coefficients = [Goldilocks](repeating: .zero, count: size)
        switch self {
        case .evaluations(let values, let mask):
            let n = values.count
            precondition(n + mask.count <= size, "a masked column has fewer coefficients than its domain")
            let interpolated = try! Polynomial.interpolate(cosetEvaluations: values)   // n is a power of two
            for i in 0..<n { coefficients[i] = interpolated[i] }
            // ŵ = w + (X^n − 1)·r.
            for (i, r) in mask.enumerated() {
                coefficients[i] = coefficients[i] - r
                coefficients[n + i] = coefficients[n + i] + r
            }
        case .coefficients(let low, let high):
            let n = low.count
            precondition(n + high.count <= size, "a polynomial has fewer coefficients than its domain")
            for i in 0..<n { coefficients[i] = low[i] }
            for (i, c) in high.enumerated() { coefficients[n + i] = coefficients[n + i] + c }
        }
        coefficients.withUnsafeBufferPointer {
            LowDegreeExtension.extend(coefficients: $0, into: out, logBlowup: logBlowup, threads: threads)
        }
    }

    public func extend(into out: UnsafeMutablePointer<Goldilocks>, logBlowup: Int, threads: Int) {
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

/// Columns extended to the LDE domain (bit-reversed coset order,
/// polynomials.md §LDE) and written straight into a row-major matrix —
/// the one extension every committed round uses (the prover's rounds,
/// with salts after each row, and the preprocessed commitment).
public enum ColumnExtension {
    /// The LDE of every column, then `extraWidth` further columns per row
    /// that `fillExtra(matrix, width, height)` must initialise (salts).
    /// With at least as many columns as threads each worker extends a group
    /// of columns at a time into its own scratch (allocated once and reused
    /// for every group, so no fresh pages per column); otherwise each
    /// column's LDE uses every thread. Memory: the matrix plus one group per
    /// worker.
    /// - Parameter logDomain: log2 of the domain the columns are committed on
    ///   (`CommitmentLayout.logDomain`); their height when nil.
    /// - Precondition: at least one column, all of one power-of-two height.
    public static func extend(_ columns: [ColumnSource], extraWidth: Int = 0, logDomain: Int? = nil, logBlowup: Int, threads: Int,
                              fillExtra: (SharedMutablePointer<Goldilocks>, _ width: Int, _ height: Int) -> Void = { _, _, _ in })
        -> RowMajorMatrix {
        let columnCount = columns.count
        let width = columnCount + extraWidth
        let logDomain = logDomain ?? columns[0].height.trailingZeroBitCount
        let height = 1 << (logDomain + logBlowup)
        // Workers extend groups of up to 8 adjacent columns and write them
        // row by row, so each row's group lands in one or two cache lines
        // instead of one line per element.
        let group = height <= 1 << 21 ? 8 : 4
        let values = [Goldilocks](unsafeUninitializedCapacity: width * height) { out, initialized in
            LargeBuffers.adviseHugePages(UnsafeMutableRawPointer(out.baseAddress!), byteCount: width * height * 8)
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
                    let scratch = LargeBuffers.allocate(Goldilocks.self, capacity: group * height)
                    defer { scratch.deallocate() }
                    var g = worker
                    while g < groups {
                        let columnsInGroup = (g * group) ..< min(columnCount, (g + 1) * group)
                        for (j, c) in columnsInGroup.enumerated() {
                            columns[c].extend(into: scratch + j * height, logDomain: logDomain, logBlowup: logBlowup, threads: 1)
                        }
                        write(scratch, count: columnsInGroup.count, first: g * group)
                        g += threads
                    }
                }
            } else {
                let scratch = LargeBuffers.allocate(Goldilocks.self, capacity: height)
                defer { scratch.deallocate() }
                for c in 0..<columnCount {
                    columns[c].extend(into: scratch, logDomain: logDomain, logBlowup: logBlowup, threads: threads)
                    write(scratch, count: 1, first: c)
                }
            }
            fillExtra(dst, width, height)
            initialized = width * height
        }
        return RowMajorMatrix(width: width, values: values)
    }
}
