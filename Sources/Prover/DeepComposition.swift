import AIR
import Field
import Parallel
import Polynomials
import STARK

/// The committed columns of one table, in DEEP order: preprocessed, main,
/// auxiliary and quotient columns opened at z, then preprocessed, main and
/// auxiliary columns at z·ω, then the FRI mask columns (zero knowledge), which enter R as they are
/// (Spec/proof-system.md §3 step 6, Spec/zk.md §2.3). Each term gets the
/// next coefficient δ_k; salt columns take no part.
struct TableCommitments {
    let logHeight: Int
    let mainWidth: Int
    /// The table's preprocessed LDE (unsalted), nil when it has none.
    let preprocessed: RowMajorMatrix?
    let main: CommittedMatrix?
    let auxiliary: CommittedMatrix?
    let quotient: CommittedMatrix
    /// Quotient chunk columns (3 per chunk); the quotient matrix's polynomial
    /// columns after them are the FRI mask.
    let quotientChunkColumns: Int

    var maskColumns: Int { quotient.polynomialWidth - quotientChunkColumns }
    /// DEEP coefficients this table uses.
    var termCount: Int {
        2 * (preprocessed?.width ?? 0) + 2 * mainWidth + 2 * (auxiliary?.polynomialWidth ?? 0) + quotient.polynomialWidth
    }
}

enum DeepComposition {
    /// R_l(x) = Σ δ^k·(f_k(x) − f_k(z))/(x − z) + Σ δ^k·(f_k(x) − f_k(zω))/(x − zω) + Σ δ^k·μ_k(x)
    /// over every table whose LDE has 2^l points, at every LDE position
    /// (bit-reversed). `firstTerm[t]` indexes table t's first coefficient δ_k.
    static func compose(level: Int, tables: [Int], commitments: [TableCommitments], openings: [TableOpenings],
                        firstTerm: [Int], coefficients: [GoldilocksExt3], z: GoldilocksExt3, threads: Int) -> [GoldilocksExt3] {
        let size = 1 << level
        let logHeight = commitments[tables[0]].logHeight
        precondition(tables.allSatisfy { commitments[$0].logHeight == logHeight }, "one next-row point zω per composition")
        let zNext = z * Goldilocks.rootOfUnity(logOrder: logHeight)

        // Per table: the coefficients of its z-terms, next-terms and plain
        // (mask) terms, and the constants Σ δ^k v_k.
        struct Part {
            let matrix: RowMajorMatrix
            let zCoefficients: [GoldilocksExt3]
            let nextCoefficients: [GoldilocksExt3]
            var plainCoefficients: [GoldilocksExt3] = []
        }
        var parts = [Part]()
        var constantZ = GoldilocksExt3.zero, constantNext = GoldilocksExt3.zero
        for t in tables {
            let c = commitments[t], o = openings[t]
            var k = firstTerm[t]
            func coefficient() -> GoldilocksExt3 { defer { k += 1 }; return coefficients[k] }
            let prepWidth = c.preprocessed?.width ?? 0
            let mainWidth = c.mainWidth, auxWidth = c.auxiliary?.polynomialWidth ?? 0
            let prepZ = (0..<prepWidth).map { _ in coefficient() }
            let mainZ = (0..<mainWidth).map { _ in coefficient() }
            let auxZ = (0..<auxWidth).map { _ in coefficient() }
            let quotientZ = (0..<c.quotientChunkColumns).map { _ in coefficient() }
            let prepNext = (0..<prepWidth).map { _ in coefficient() }
            let mainNext = (0..<mainWidth).map { _ in coefficient() }
            let auxNext = (0..<auxWidth).map { _ in coefficient() }
            let mask = (0..<c.maskColumns).map { _ in coefficient() }
            for (p, v) in zip(prepZ + mainZ + auxZ + quotientZ, o.preprocessedAtZ + o.mainAtZ + o.auxiliaryAtZ + o.quotientAtZ) {
                constantZ = constantZ + p * v
            }
            for (p, v) in zip(prepNext + mainNext + auxNext, o.preprocessedAtNext + o.mainAtNext + o.auxiliaryAtNext) {
                constantNext = constantNext + p * v
            }
            let zero = GoldilocksExt3.zero
            if let p = c.preprocessed {
                parts.append(Part(matrix: p, zCoefficients: prepZ, nextCoefficients: prepNext))
            }
            if let m = c.main {
                parts.append(Part(matrix: m.matrix, zCoefficients: mainZ, nextCoefficients: mainNext))
            }
            if let a = c.auxiliary {
                parts.append(Part(matrix: a.matrix, zCoefficients: auxZ, nextCoefficients: auxNext))
            }
            parts.append(Part(matrix: c.quotient.matrix, zCoefficients: quotientZ,
                              nextCoefficients: [GoldilocksExt3](repeating: zero, count: c.quotientChunkColumns), plainCoefficients: mask))
        }

        let points = domainPoints(level: level, threads: threads)
        // Per part: its row pointer and stride, and the coefficients as three
        // coefficient words each (z terms, then next terms if any; then the
        // plain terms of the columns after them).
        struct Kernel {
            let rows: UnsafePointer<Goldilocks>
            let stride: Int
            let width: Int
            let packed: UnsafeMutablePointer<UInt64>   // [z c0, z c1, z c2, next c0, next c1, next c2] × width
            let hasNext: Bool
            let plainCoefficients: UnsafeMutablePointer<UInt64>   // [c0, c1, c2] × plainCount
            let plainCount: Int
        }
        var out = [GoldilocksExt3](unsafeUninitializedCapacity: size) { buffer, initialized in
            LargeBuffers.adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress!), byteCount: size * MemoryLayout<GoldilocksExt3>.stride)
            buffer.initialize(repeating: .zero)
            initialized = size
        }
        withColumnPointers(parts.map(\.matrix.values)) { rowPointers in
            let kernels = parts.enumerated().map { i, part in
                let w = part.zCoefficients.count
                let packed = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, 6 * w))
                for c in 0..<w {
                    let zp = part.zCoefficients[c], np = part.nextCoefficients[c]
                    packed[6 * c] = zp.c0.value; packed[6 * c + 1] = zp.c1.value; packed[6 * c + 2] = zp.c2.value
                    packed[6 * c + 3] = np.c0.value; packed[6 * c + 4] = np.c1.value; packed[6 * c + 5] = np.c2.value
                }
                let plain = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, 3 * part.plainCoefficients.count))
                for (c, p) in part.plainCoefficients.enumerated() {
                    plain[3 * c] = p.c0.value; plain[3 * c + 1] = p.c1.value; plain[3 * c + 2] = p.c2.value
                }
                return Kernel(rows: rowPointers[i], stride: part.matrix.width, width: w, packed: packed,
                              hasNext: part.nextCoefficients.contains { !$0.isZero }, plainCoefficients: plain,
                              plainCount: part.plainCoefficients.count)
            }
            defer { for k in kernels { k.packed.deallocate(); k.plainCoefficients.deallocate() } }
            out.withUnsafeMutableBufferPointer { buffer in
                let dst = SharedMutablePointer(buffer.baseAddress!)
                Parallel.forEachChunk(size, granularity: 256, threads: threads) { range in
                    let count = range.count
                    var denZ = [GoldilocksExt3](repeating: .zero, count: count)
                    var denNext = denZ
                    for (i, r) in range.enumerated() {
                        let x = points[r]
                        denZ[i] = GoldilocksExt3(x) - z
                        denNext[i] = GoldilocksExt3(x) - zNext
                    }
                    // z ∉ F_p, so no denominator vanishes.
                    try! batchInvert(&denZ)
                    try! batchInvert(&denNext)
                    for (i, r) in range.enumerated() {
                        var a = WideExtensionSum(), b = WideExtensionSum(), m = WideExtensionSum()
                        var masked = false
                        for k in kernels {
                            let row = k.rows + r * k.stride
                            var p = UnsafePointer(k.packed)
                            // Two passes keep each pass's 9 accumulator words in registers.
                            for c in 0..<k.width { a.add(row[c].value, p[0], p[1], p[2]); p += 6 }
                            if k.hasNext {
                                p = UnsafePointer(k.packed) + 3
                                for c in 0..<k.width { b.add(row[c].value, p[0], p[1], p[2]); p += 6 }
                            }
                            if k.plainCount > 0 {
                                masked = true
                                p = UnsafePointer(k.plainCoefficients)
                                for c in k.width..<(k.width + k.plainCount) { m.add(row[c].value, p[0], p[1], p[2]); p += 3 }
                            }
                        }
                        var value = (a.reduced - constantZ) * denZ[i] + (b.reduced - constantNext) * denNext[i]
                        if masked { value = value + m.reduced }
                        dst.base[r] = value
                    }
                }
            }
        }
        return out
    }

    /// shift·ω^{reverse(r)} for every bit-reversed position r of a level.
    static func domainPoints(level: Int, threads: Int) -> [Goldilocks] {
        let size = 1 << level
        let omega = Goldilocks.rootOfUnity(logOrder: level)
        var natural = [Goldilocks](repeating: LowDegreeExtension.defaultShift, count: size)
        for i in 1..<max(1, size) { natural[i] = natural[i - 1] * omega }
        BitReversal.permute(&natural)
        return natural
    }
}
