import AIR
import Field
import STARK

/// The DEEP-ALI check of one table at z: Σ_j γ_j·C_j(z) = Z_H(z)·Σ_k z^{kL}·q_k(z)
/// (k < d − 1 for the table's degree limit d; L = n, or n + h for masked
/// columns: Spec/zk.md §2.2),
/// with the preprocessed values the proof opens (bound to the key's root by
/// the query phase, like every other opened value).
enum OutOfDomainCheck {
    static func check(table: Table, layout: CommitmentLayout, tableProof: TableProof, z: GoldilocksExt3,
                      coefficients: ArraySlice<GoldilocksExt3>, challenges: [GoldilocksExt3],
                      publicValues: [Goldilocks]) throws(STARKError) {
        let h = tableProof.logHeight
        let o = tableProof.openings
        let selectors: DomainEvaluation.Selectors
        let prepZ = o.preprocessedAtZ, prepNext = o.preprocessedAtNext
        do {
            selectors = try DomainEvaluation.selectors(at: z, logHeight: h)
        } catch {
            throw .rejected(check: "out-of-domain point lies in the trace domain")
        }
        func aux(_ values: [GoldilocksExt3], _ c: Int) -> GoldilocksExt3 {
            ExtensionColumns.combine(values[3 * c], values[3 * c + 1], values[3 * c + 2])
        }
        let claimed = tableProof.claimedSum ?? .zero
        let values = table.program.evaluate { (v: Variable) -> GoldilocksExt3 in
            switch v {
            case .main(let c, let next): return next ? o.mainAtNext[c] : o.mainAtZ[c]
            case .preprocessed(let c, let next): return next ? prepNext[c] : prepZ[c]
            case .auxiliary(let c, let next): return aux(next ? o.auxiliaryAtNext : o.auxiliaryAtZ, c)
            case .challenge(let k): return challenges[k]
            case .claimedSum: return claimed
            case .publicValue(let k): return GoldilocksExt3(publicValues[k])
            case .isFirstRow: return selectors.isFirstRow
            case .isLastRow: return selectors.isLastRow
            case .isTransition: return selectors.isTransition
            }
        }
        guard coefficients.count == values.count else { throw .invalidInput("one coefficient per constraint of table \(table.name)") }
        var combined = GoldilocksExt3.zero
        for (v, g) in zip(values, coefficients) { combined = combined + g * v }
        var quotient = GoldilocksExt3.zero
        // Q(z) = Σ_k z^{kL}·q_k(z), L = n (+ h with masking).
        let zL = z.power(UInt64(layout.quotientChunkLength(logHeight: h)))
        var zkL = GoldilocksExt3.one
        for k in 0..<layout.quotientChunks(for: table) {
            quotient = quotient + zkL * aux(o.quotientAtZ, k)
            zkL = zkL * zL
        }
        guard combined == quotient * selectors.vanishing else {
            throw .rejected(check: "table \(table.name): constraints do not hold at the out-of-domain point")
        }
    }
}
