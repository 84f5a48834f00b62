import AIR
import STARK

/// Structural checks of a decoded proof against the AIR and the policy,
/// before any cryptographic work, so later checks index only within the
/// shapes the AIR and the key give.
enum ProofShape {
    static func check(_ proof: Proof, input: VerifierInput, key: PreprocessedKey, policy: VerifierPolicy) throws(STARKError) {
        let air = input.air
        guard proof.tables.count == air.tables.count else {
            throw .rejected(check: "proof has \(proof.tables.count) tables, the AIR \(air.tables.count)")
        }
        guard key.logHeights.count == air.tables.count, key.logDomains.count == air.tables.count,
              input.publicValues.count == air.publicValueCount,
              (key.root != nil) == air.tables.contains(where: { $0.preprocessedWidth > 0 }) else {
            throw .invalidInput("verifier input does not match the AIR")
        }
        let options = proof.options
        guard key.logBlowup == options.logBlowup else {
            throw .rejected(check: "the proof uses blowup 2^\(options.logBlowup); the preprocessed key is for 2^\(key.logBlowup)")
        }
        let layout = CommitmentLayout(options: options)
        do { try layout.checkBlowup(options.logBlowup, air: air) } catch {
            throw .rejected(check: "the proof's blowup 2^\(options.logBlowup) is below what the AIR's constraint degrees need")
        }
        guard (proof.preprocessed != nil) == (key.root != nil) else {
            throw .rejected(check: "preprocessed opening present does not match the key")
        }
        guard (proof.main != nil) == air.tables.contains(where: { $0.mainWidth > 0 }),
              (proof.auxiliary != nil) == air.usesLogUp else {
            throw .rejected(check: "commitment rounds present do not match the AIR")
        }
        for (t, table) in air.tables.enumerated() {
            let p = proof.tables[t]
            let name = table.name
            guard p.logHeight >= Proof.minLogHeight, p.logHeight <= policy.maxLogHeight,
                  layout.logDomain(logHeight: p.logHeight) >= options.logFinalPolynomialLength,
                  layout.logDomain(logHeight: p.logHeight) + options.logBlowup <= 32 else {
                throw .rejected(check: "table \(name): height 2^\(p.logHeight) outside the accepted range")
            }
            if let limit = table.maxLogHeight, p.logHeight > limit {
                throw .rejected(check: "table \(name): height 2^\(p.logHeight) above its 2^\(limit) rows")
            }
            guard (key.logHeights[t] != nil) == (table.preprocessedWidth > 0) else {
                throw .invalidInput("table \(name): preprocessed key does not match the AIR")
            }
            if let fixed = key.logHeights[t], fixed != p.logHeight {
                throw .rejected(check: "table \(name): height 2^\(p.logHeight) differs from the key's 2^\(fixed)")
            }
            if let keyDomain = key.logDomains[t], keyDomain != layout.logDomain(logHeight: p.logHeight) {
                throw .rejected(check: "table \(name): the proof's options commit it on 2^\(layout.logDomain(logHeight: p.logHeight)) "
                                + "points, the key's columns on 2^\(keyDomain) (a key made for other options)")
            }
            guard (p.claimedSum != nil) == (table.auxiliaryWidth > 0) else {
                throw .rejected(check: "table \(name): claimed sum presence")
            }
            let o = p.openings
            guard o.preprocessedAtZ.count == table.preprocessedWidth, o.preprocessedAtNext.count == table.preprocessedWidth,
                  o.mainAtZ.count == table.mainWidth, o.mainAtNext.count == table.mainWidth,
                  o.auxiliaryAtZ.count == 3 * table.auxiliaryWidth, o.auxiliaryAtNext.count == 3 * table.auxiliaryWidth,
                  o.quotientAtZ.count == 3 * layout.quotientChunks(for: table) else {
                throw .rejected(check: "table \(name): opened value counts")
            }
        }
    }
}
