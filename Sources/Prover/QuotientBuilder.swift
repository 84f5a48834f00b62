import AIR
import Field
import Parallel
import Polynomials
import STARK

/// The quotient Q = Σ_j γ^j·C_j / Z_H of one table (Spec/proof-system.md §3),
/// H = ⟨ω_n⟩ the trace domain, evaluated on cosets of the table's domain
/// H_N ⊇ H (N = n unless masking commits a small table on a larger domain,
/// `CommitmentLayout.logDomain`) inside s·⟨ω_q⟩ (the first q = 2N rows of
/// the bit-reversed LDE, 4N with masking, 8N for a degree limit of 7) and
/// returned as coefficients split at L into `layout.quotientChunks(for:)`
/// polynomials: Q(x) = Σ_k x^{kL}·q_k(x).
/// Each q_k is extension-valued; the result holds three base coefficient
/// columns per chunk (chunk k, component c at 3k + c).
enum QuotientBuilder {
    static func build(table: Table, layout: CommitmentLayout, logHeight: Int, logDomain: Int, main: CommittedMatrix?,
                      auxiliary: CommittedMatrix?,
                      preprocessed: RowMajorMatrix?, challenges: [GoldilocksExt3], publicValues: [Goldilocks],
                      claimedSum: GoldilocksExt3, coefficients: [GoldilocksExt3], threads: Int) throws(STARKError) -> [[Goldilocks]] {
        // Cosets evaluated (by the table's degree); `all` below keeps the
        // layout's full length so every table's chunks have one shape.
        let chunks = layout.quotientCosets(for: table)
        let logRatio = layout.quotientLogRatio(for: table)
        let logQ = logDomain + logRatio
        let q = 1 << logQ
        let n = 1 << logHeight
        let size = 1 << logDomain   // N: points per coset
        let step = size / n         // the next trace row: ω_n = ω_N^step

        // Selectors at x_i = s·ω_q^i (natural order).
        let shift = LowDegreeExtension.defaultShift
        let omegaQ = Goldilocks.rootOfUnity(logOrder: logQ)
        let omegaInverse = try! Goldilocks.rootOfUnity(logOrder: logHeight).inverse()
        var points = [Goldilocks](repeating: shift, count: q)
        for i in 1..<q { points[i] = points[i - 1] * omegaQ }
        let sn = shift.power(UInt64(n))
        // x^n = s^n·ω_q^{i·n}: the (q/n)-th roots of unity cycle, so Z_H(x_i)
        // depends on i mod q/n only.
        let omegaChunks = Goldilocks.rootOfUnity(logOrder: logQ - logHeight)
        var vanishing = [Goldilocks]()
        var power = Goldilocks.one
        for _ in 0..<(q / n) { vanishing.append(sn * power - .one); power = power * omegaChunks }
        var firstDen = points.map { ($0 - .one) * Goldilocks(n) }
        var lastDen = points.map { ($0 - omegaInverse) * Goldilocks(n) }
        let vanishingInverse: [Goldilocks]
        do {
            vanishingInverse = try batchInverse(vanishing)
            try batchInvert(&firstDen)
            try batchInvert(&lastDen)
        } catch {
            throw .invalidInput("quotient domain meets the trace domain")
        }
        let cycle = q / n
        let first = (0..<q).map { vanishing[$0 % cycle] * firstDen[$0] }
        let last = (0..<q).map { vanishing[$0 % cycle] * lastDen[$0] }
        let transition = points.map { $0 - omegaInverse }

        precondition(coefficients.count == table.constraints.count, "one coefficient per constraint")

        // The domain is evaluated in windows: the committed LDE rows of a
        // window, plus `step` rows for the next-row values (wrapping within
        // the coset), are gathered into natural-order column buffers, so the
        // gathered copy stays small however large the table. Natural
        // position i sits at bit-reversed LDE row reverse(i).
        // Q is evaluated on `chunks` cosets g_k·H_N of H_N inside the
        // q-domain (g_k = s·ω_q^k, natural positions i = ratio·j + k): as many
        // points as Q has coefficients (< chunks·N): d of the 2^⌈log2 d⌉·N
        // points with masking (three of 4N at d = 3). Within a coset the next row of j is
        // j + step (x·ω_n). The cosets are the first `chunks` chunks of the
        // bit-reversed LDE (chunk c is coset reverse(c) of the q-domain).
        let ratio = q / size
        let cosets = (0..<chunks).map { BitReversal.reverse($0, bits: logRatio) }
        let window = min(size, 1 << 14)
        let rows = window + step
        let mw = table.mainWidth, aw = table.auxiliaryWidth, pw = table.preprocessedWidth
        // Row strides of the committed matrices (salt columns follow the polynomials).
        let mainStride = main?.width ?? 0, auxStride = auxiliary?.width ?? 0, prepStride = preprocessed?.width ?? 0
        let mainBuffer = UnsafeMutablePointer<Goldilocks>.allocate(capacity: max(1, mw * rows))
        let prepBuffer = UnsafeMutablePointer<Goldilocks>.allocate(capacity: max(1, pw * rows))
        let auxBuffer = UnsafeMutablePointer<GoldilocksExt3>.allocate(capacity: max(1, aw * rows))
        let selectorBuffer = UnsafeMutablePointer<Goldilocks>.allocate(capacity: 3 * rows)
        defer { mainBuffer.deallocate(); prepBuffer.deallocate(); auxBuffer.deallocate(); selectorBuffer.deallocate() }
        let (mainOut, prepOut) = (SharedMutablePointer(mainBuffer), SharedMutablePointer(prepBuffer))
        let (auxOut, selectorOut) = (SharedMutablePointer(auxBuffer), SharedMutablePointer(selectorBuffer))
        let inputs = EvaluationInputs(
            rowCount: rows, nextOffset: step, main: (0..<mw).map { UnsafePointer(mainBuffer + $0 * rows) },
            preprocessed: (0..<pw).map { UnsafePointer(prepBuffer + $0 * rows) },
            auxiliary: (0..<aw).map { UnsafePointer(auxBuffer + $0 * rows) },
            selectors: (0..<3).map { UnsafePointer(selectorBuffer + $0 * rows) }, challenges: challenges,
            publicValues: publicValues, claimedSum: claimedSum)
        let selectors = [first, last, transition]

        var quotient = [GoldilocksExt3](repeating: .zero, count: chunks * size)   // coset-major
        let blockSize = 128
        Self.withPointer(main) { mainLDE in
            Self.withPointer(auxiliary) { auxLDE in
                Self.withPointer(preprocessed) { prepLDE in
                    withColumnPointers(selectors) { selectorValues in
                        quotient.withUnsafeMutableBufferPointer { out in
                            let dst = SharedMutablePointer(out.baseAddress!)
                            for (kk, k) in cosets.enumerated() {
                            for base in stride(from: 0, to: size, by: window) {
                                Parallel.forEachChunk(rows, granularity: 1 << 10, threads: threads) { range in
                                    for r in range {
                                        let i = ratio * ((base + r) & (size - 1)) + k
                                        let lde = BitReversal.reverse(i, bits: logQ)
                                        if let mainLDE {
                                            let row = mainLDE + lde * mainStride
                                            for c in 0..<mw { (mainOut.base + c * rows + r).initialize(to: row[c]) }
                                        }
                                        if let auxLDE {
                                            let row = auxLDE + lde * auxStride
                                            for e in 0..<aw {
                                                (auxOut.base + e * rows + r).initialize(
                                                    to: GoldilocksExt3(row[3 * e], row[3 * e + 1], row[3 * e + 2]))
                                            }
                                        }
                                        if let prepLDE {
                                            let row = prepLDE + lde * prepStride
                                            for c in 0..<pw { (prepOut.base + c * rows + r).initialize(to: row[c]) }
                                        }
                                        for k in 0..<3 { (selectorOut.base + k * rows + r).initialize(to: selectorValues[k][i]) }
                                    }
                                }
                                let blocks = (window + blockSize - 1) / blockSize
                                Parallel.forEachChunk(blocks, threads: threads) { range in
                                    let evaluator = BlockEvaluator(program: table.program, blockSize: blockSize)
                                    var acc = [GoldilocksExt3](repeating: .zero, count: blockSize)
                                    for block in range {
                                        let start = block * blockSize
                                        let count = min(blockSize, window - start)
                                        evaluator.run(start: start, count: count, inputs: inputs)
                                        for r in 0..<count { acc[r] = .zero }
                                        for j in 0..<table.constraints.count {
                                            let gj = coefficients[j]
                                            if let values = evaluator.baseRoot(j) {
                                                for r in 0..<count { acc[r] = acc[r] + gj * values[r] }
                                            } else {
                                                let values = evaluator.extensionRoot(j)!
                                                for r in 0..<count { acc[r] = acc[r] + gj * values[r] }
                                            }
                                        }
                                        for r in 0..<count {
                                            let j = base + start + r
                                            dst.base[kk * size + j] = acc[r] * vanishingInverse[(ratio * j + k) % cycle]
                                        }
                                    }
                                }
                            }
                            }
                        }
                    }
                }
            }
        }

        // Coefficients of Q = Σ_k X^{kN}·A_k (deg A_k < N). On g_k·H_N, X^N is
        // the constant t_k = g_k^N, so interpolating coset k gives
        // d_k = Σ_i t_k^i·A_i; a Vandermonde solve in the t_k gives the A_i.
        let t = cosets.map { points[$0].power(UInt64(size)) }
        let inverse = try Self.invertVandermonde(t)
        // Then split at multiples of L (n, or n + h with masking) into the
        // table's chunks q_k, each as its coefficients (lowest first).
        let length = layout.quotientChunkLength(logHeight: logHeight)
        let pieces = layout.quotientChunks(for: table)
        var result = [[Goldilocks]](repeating: [], count: 3 * pieces)
        for c in 0..<3 {
            let d = cosets.enumerated().map { kk, k in
                try! Polynomial.interpolate(cosetEvaluations: (0..<size).map { Self.component(quotient[kk * size + $0], c) },
                                            shift: points[k])
            }
            var all = [Goldilocks](repeating: .zero, count: max(chunks * size, (pieces - 1) * length + n + layout.degreeExcess))
            for i in 0..<chunks {
                for kk in 0..<chunks {
                    let f = inverse[i][kk]
                    all.withUnsafeMutableBufferPointer { out in
                        d[kk].withUnsafeBufferPointer { src in
                            for m in 0..<size { out[i * size + m] = out[i * size + m] + f * src[m] }
                        }
                    }
                }
            }
            // Q has degree < (d − 1)·n (+ d·h): q_0 … q_{d−3} take L
            // coefficients each, the last one the rest, of degree < n (+ 2h).
            for k in 0..<pieces - 1 { result[3 * k + c] = Array(all[k * length..<(k + 1) * length]) }
            let last = (pieces - 1) * length
            result[3 * (pieces - 1) + c] = Array(all[last..<min(all.count, last + n + layout.degreeExcess)])
        }
        return result
    }

    static func component(_ e: GoldilocksExt3, _ c: Int) -> Goldilocks { c == 0 ? e.c0 : c == 1 ? e.c1 : e.c2 }

    /// The inverse of the Vandermonde matrix V[k][i] = t_k^i (distinct t_k).
    static func invertVandermonde(_ t: [Goldilocks]) throws(STARKError) -> [[Goldilocks]] {
        let size = t.count
        var m = t.map { x in (0..<size).map { x.power(UInt64($0)) } }
        var inv = (0..<size).map { r in (0..<size).map { $0 == r ? Goldilocks.one : .zero } }
        for col in 0..<size {
            guard let pivot = (col..<size).first(where: { !m[$0][col].isZero }) else {
                throw .invalidInput("quotient cosets are not distinct")
            }
            m.swapAt(col, pivot); inv.swapAt(col, pivot)
            let scale = try! m[col][col].inverse()
            for j in 0..<size { m[col][j] = m[col][j] * scale; inv[col][j] = inv[col][j] * scale }
            for r in 0..<size where r != col && !m[r][col].isZero {
                let f = m[r][col]
                for j in 0..<size { m[r][j] = m[r][j] - f * m[col][j]; inv[r][j] = inv[r][j] - f * inv[col][j] }
            }
        }
        // m·V = I was reduced from V: inv = V⁻¹ with V[k][i] = t_k^i, so A = inv·d.
        return inv
    }

    /// Calls `body` with a stable pointer to the matrix's values (nil for no matrix).
    static func withPointer<R>(_ matrix: CommittedMatrix?, _ body: (UnsafePointer<Goldilocks>?) -> R) -> R {
        withPointer(matrix?.matrix, body)
    }

    static func withPointer<R>(_ matrix: RowMajorMatrix?, _ body: (UnsafePointer<Goldilocks>?) -> R) -> R {
        guard let matrix else { return body(nil) }
        return matrix.values.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

