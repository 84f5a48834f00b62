import AIR
import Field
import Parallel
import Polynomials
import STARK

/// The quotient Q = Σ_j γ^j·C_j / Z_H of one table (Spec/proof-system.md §3),
/// evaluated on the quotient domain s·⟨ω_{2n}⟩ (the first 2n rows of the
/// bit-reversed LDE) and returned as coefficients split into
/// `Table.quotientChunks` polynomials of degree < n:
/// Q(x) = Σ_k x^{k·n}·q_k(x). Each q_k is extension-valued; the result holds
/// three base coefficient columns per chunk (chunk k, component c at 3k + c).
enum QuotientBuilder {
    static func build(table: Table, logHeight: Int, main: CommittedMatrix?, auxiliary: CommittedMatrix?,
                      preprocessedLDE: [[Goldilocks]], challenges: [GoldilocksExt3], publicValues: [Goldilocks],
                      claimedSum: GoldilocksExt3, gamma: GoldilocksExt3, threads: Int) throws(STARKError) -> [[Goldilocks]] {
        let chunks = Table.quotientChunks
        let logQ = logHeight + (chunks - 1).bitWidth - (chunks - 1).leadingZeroBitCount
        let q = 1 << logQ
        let n = 1 << logHeight
        let mainColumns = main?.naturalColumns(0..<table.mainWidth, logCount: logQ, threads: threads) ?? []
        let auxBase = auxiliary?.naturalColumns(0..<(3 * table.auxiliaryWidth), logCount: logQ, threads: threads) ?? []
        let auxColumns: [[GoldilocksExt3]] = (0..<table.auxiliaryWidth).map { e in
            (0..<q).map { GoldilocksExt3(auxBase[3 * e][$0], auxBase[3 * e + 1][$0], auxBase[3 * e + 2][$0]) }
        }
        let prepColumns = preprocessedLDE.map { lde in (0..<q).map { lde[BitReversal.reverse($0, bits: logQ)] } }

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

        var quotient = [GoldilocksExt3](repeating: .zero, count: q)
        let blockSize = 128
        let blocks = (q + blockSize - 1) / blockSize
        quotient.withUnsafeMutableBufferPointer { out in
            let dst = SharedMutablePointer(out.baseAddress!)
            EvaluationInputs.with(rowCount: q, nextOffset: ratio, main: mainColumns, preprocessed: prepColumns,
                                  auxiliary: auxColumns, selectors: [first, last, transition], challenges: challenges,
                                  publicValues: publicValues, claimedSum: claimedSum) { inputs in
                Parallel.forEachChunk(blocks, threads: threads) { range in
                    let evaluator = BlockEvaluator(program: table.program, blockSize: blockSize)
                    var acc = [GoldilocksExt3](repeating: .zero, count: blockSize)
                    for block in range {
                        let start = block * blockSize
                        let count = min(blockSize, q - start)
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
                        for r in 0..<count { dst.base[start + r] = acc[r] * vanishingInverse[(start + r) % ratio] }
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
}

