import AIR
import Field
import Parallel
import Polynomials
import STARK

/// The quotient Q = Σ_j γ^j·C_j / Z_H of one table (Spec/proof-system.md §3),
/// evaluated on the quotient domain s·⟨ω_q⟩ (the first q = 2n rows of the
/// bit-reversed LDE, 4n for masked columns of degree < n + h) and returned
/// as coefficients split into `layout.quotientChunks` polynomials of degree < n:
/// Q(x) = Σ_k x^{k·n}·q_k(x). Each q_k is extension-valued; the result holds
/// three base coefficient columns per chunk (chunk k, component c at 3k + c).
enum QuotientBuilder {
    static func build(table: Table, layout: CommitmentLayout, logHeight: Int, committed: CommittedMatrix?,
                      main: CommittedMatrix?, auxiliary: CommittedMatrix?,
                      preprocessedLDE: [[Goldilocks]], challenges: [GoldilocksExt3], publicValues: [Goldilocks],
                      claimedSum: GoldilocksExt3, gamma: GoldilocksExt3, threads: Int) throws(STARKError) -> [[Goldilocks]] {
        let chunks = layout.quotientChunks
        let logQ = logHeight + layout.quotientLogRatio
        let q = 1 << logQ
        let n = 1 << logHeight

        // Selectors at x_i = s·ω_q^i (natural order).
        let shift = LowDegreeExtension.defaultShift
        let omegaQ = Goldilocks.rootOfUnity(logOrder: logQ)
        let omegaInverse = try! Goldilocks.rootOfUnity(logOrder: logHeight).inverse()
        var points = [Goldilocks](repeating: shift, count: q)
        for i in 1..<q { points[i] = points[i - 1] * omegaQ }
        let sn = shift.power(UInt64(n))
        // x^n = s^n·ω_q^{i·n}: the q/n = `chunks`-th roots of unity cycle.
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
        let ratio = q / n
        let first = (0..<q).map { vanishing[$0 % ratio] * firstDen[$0] }
        let last = (0..<q).map { vanishing[$0 % ratio] * lastDen[$0] }
        let transition = points.map { $0 - omegaInverse }

        var gammaPowers = [GoldilocksExt3]()
        var g = GoldilocksExt3.one
        for _ in table.constraints { gammaPowers.append(g); g = g * gamma }

        // The domain is evaluated in windows: the committed LDE rows of a
        // window, plus `ratio` rows for the next-row values (wrapping at q),
        // are gathered into natural-order column buffers, so the gathered
        // copy stays small however large the table. Natural position i sits
        // at bit-reversed LDE row reverse(i).
        let window = min(q, 1 << 14)
        let rows = window + ratio
        let mw = table.mainWidth, aw = table.auxiliaryWidth, pw = preprocessedLDE.count
        // Row strides of the committed matrices (salt columns follow the polynomials).
        let mainStride = main?.width ?? 0, auxStride = auxiliary?.width ?? 0, committedStride = committed?.width ?? 0
        // Table main column c sits in the committed round's matrix (if committed) or the main round's, at this index.
        let inCommitted = (0..<mw).map { table.committedColumns.contains($0) }
        let roundIndex = (0..<mw).map { c in
            inCommitted[c] ? table.committedColumns.firstIndex(of: c)! : table.mainRoundColumns.firstIndex(of: c)!
        }
        let mainBuffer = UnsafeMutablePointer<Goldilocks>.allocate(capacity: max(1, mw * rows))
        let prepBuffer = UnsafeMutablePointer<Goldilocks>.allocate(capacity: max(1, pw * rows))
        let auxBuffer = UnsafeMutablePointer<GoldilocksExt3>.allocate(capacity: max(1, aw * rows))
        let selectorBuffer = UnsafeMutablePointer<Goldilocks>.allocate(capacity: 3 * rows)
        defer { mainBuffer.deallocate(); prepBuffer.deallocate(); auxBuffer.deallocate(); selectorBuffer.deallocate() }
        let (mainOut, prepOut) = (SharedMutablePointer(mainBuffer), SharedMutablePointer(prepBuffer))
        let (auxOut, selectorOut) = (SharedMutablePointer(auxBuffer), SharedMutablePointer(selectorBuffer))
        let inputs = EvaluationInputs(
            rowCount: rows, nextOffset: ratio, main: (0..<mw).map { UnsafePointer(mainBuffer + $0 * rows) },
            preprocessed: (0..<pw).map { UnsafePointer(prepBuffer + $0 * rows) },
            auxiliary: (0..<aw).map { UnsafePointer(auxBuffer + $0 * rows) },
            selectors: (0..<3).map { UnsafePointer(selectorBuffer + $0 * rows) }, challenges: challenges,
            publicValues: publicValues, claimedSum: claimedSum)
        let selectors = [first, last, transition]

        var quotient = [GoldilocksExt3](repeating: .zero, count: q)
        let blockSize = 128
        Self.withPointer(committed) { committedLDE in
        Self.withPointer(main) { mainLDE in
            Self.withPointer(auxiliary) { auxLDE in
                withColumnPointers(preprocessedLDE) { prepLDE in
                    withColumnPointers(selectors) { selectorValues in
                        quotient.withUnsafeMutableBufferPointer { out in
                            let dst = SharedMutablePointer(out.baseAddress!)
                            for base in stride(from: 0, to: q, by: window) {
                                Parallel.forEachChunk(rows, granularity: 1 << 10, threads: threads) { range in
                                    for r in range {
                                        let i = (base + r) & (q - 1)
                                        let lde = BitReversal.reverse(i, bits: logQ)
                                        if let mainLDE, committedLDE == nil {
                                            let row = mainLDE + lde * mainStride
                                            for c in 0..<mw { (mainOut.base + c * rows + r).initialize(to: row[c]) }
                                        } else if mw > 0 {
                                            let mainRow = mainLDE.map { $0 + lde * mainStride }
                                            let committedRow = committedLDE! + lde * committedStride
                                            for c in 0..<mw {
                                                let v = inCommitted[c] ? committedRow[roundIndex[c]] : mainRow![roundIndex[c]]
                                                (mainOut.base + c * rows + r).initialize(to: v)
                                            }
                                        }
                                        if let auxLDE {
                                            let row = auxLDE + lde * auxStride
                                            for e in 0..<aw {
                                                (auxOut.base + e * rows + r).initialize(
                                                    to: GoldilocksExt3(row[3 * e], row[3 * e + 1], row[3 * e + 2]))
                                            }
                                        }
                                        for c in 0..<pw { (prepOut.base + c * rows + r).initialize(to: prepLDE[c][lde]) }
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
                                            let gj = gammaPowers[j]
                                            if let values = evaluator.baseRoot(j) {
                                                for r in 0..<count { acc[r] = acc[r] + gj * values[r] }
                                            } else {
                                                let values = evaluator.extensionRoot(j)!
                                                for r in 0..<count { acc[r] = acc[r] + gj * values[r] }
                                            }
                                        }
                                        for r in 0..<count {
                                            let i = base + start + r
                                            dst.base[i] = acc[r] * vanishingInverse[i % ratio]
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

        // Coefficients of Q (degree < q), split into chunks of n.
        var result = [[Goldilocks]]()
        let components = ExtensionColumns.split(quotient).map { try! Polynomial.interpolate(cosetEvaluations: $0, shift: shift) }
        for k in 0..<chunks {
            for c in 0..<3 { result.append(Array(components[c][k * n ..< (k + 1) * n])) }
        }
        return result
    }

    /// Calls `body` with a stable pointer to the matrix's values (nil for no matrix).
    static func withPointer<R>(_ matrix: CommittedMatrix?, _ body: (UnsafePointer<Goldilocks>?) -> R) -> R {
        guard let matrix else { return body(nil) }
        return matrix.matrix.values.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

