import AIR
import Field
import Prover
import STARK
import Testing
import Verifier

/// A lying prover changes one value and runs the rest honestly; the
/// verifier must reject (SECURITY-PLAN A.1, A.4, A.5).
@Suite struct SoundnessTests {
    let air = try! ToyAIRs.lookups()
    let witness = ToyAIRs.lookupWitness(logHeight: 7, logSink: 3)
    let options = ProofOptions(logBlowup: 2, queries: 24, logFoldingArity: 2, grindingBits: 0, logFinalPolynomialLength: 1)

    func lyingProof(_ change: (inout ToyAIRs.LookupWitness) -> Void) throws -> Proof {
        var w = witness
        change(&w)
        return try Prover.prove(ToyAIRs.proverInput(air, w), options: options, checkWitness: false).proof
    }

    func rejects(_ proof: Proof, _ input: VerifierInput? = nil) -> Bool { rejection(proof, input) != nil }

    /// The check that rejected the proof ("accepted" if none did).
    func rejection(_ proof: Proof, _ input: VerifierInput? = nil) -> String? {
        do {
            try Verifier.verify(proof, input: input ?? ToyAIRs.verifierInput(air, witness), policy: .insecureTesting)
            return nil
        } catch .rejected(let check) {
            return check
        } catch {
            return "\(error)"
        }
    }

    @Test func honestProofVerifies() throws {
        #expect(!rejects(try lyingProof { _ in }))
    }

    static let outOfDomain = "table values: constraints do not hold at the out-of-domain point"
    static let logUp = "LogUp sums do not cancel"

    /// Each changed cell and the check that rejects it: a broken constraint
    /// fails at z, an unbalanced bus at the LogUp sum.
    @Test(arguments: [
        ("values.v (range lookup + square)", 0, 0, 5, outOfDomain),
        ("values.w (square constraint)", 0, 1, 9, outOfDomain),
        ("values.s (0 → 1: still boolean, one more link message)", 0, 2, 1, logUp),
        ("range multiplicity", 1, 0, 3, logUp),
        ("sink value", 2, 0, 0, logUp),
        ("sink multiplicity", 2, 2, 1, logUp),
    ])
    func changedCellIsRejected(_ label: String, _ table: Int, _ column: Int, _ row: Int, _ check: String) throws {
        let proof = try lyingProof { w in w.main[table][column][row] = w.main[table][column][row] + .one }
        #expect(rejection(proof) == check, "\(label)")
    }

    @Test func multiplicityOffByMinusOneIsRejected() throws {
        let proof = try lyingProof { w in w.main[1][0][3] = w.main[1][0][3] - .one }
        #expect(rejection(proof) == Self.logUp)
    }

    @Test func lookupOfAValueOutsideTheTableIsRejected() throws {
        // v = 300 is not in 0…255: no multiplicity assignment can balance it.
        let proof = try lyingProof { w in
            w.main[0][0][0] = Goldilocks(300)
            w.main[0][1][0] = Goldilocks(90000)
        }
        #expect(rejection(proof) == Self.logUp)
    }

    @Test func tableEntryChangedOnTheVerifierSideIsRejected() throws {
        let proof = try lyingProof { _ in }
        var columns = witness.preprocessed
        columns[1][0][7] = Goldilocks(1000)
        var input = ToyAIRs.verifierInput(air, witness)
        input.preprocessed = .columns(columns)
        #expect(rejects(proof, input))
    }

    @Test func statementBindingIsChecked() throws {
        let proof = try lyingProof { _ in }
        var wrongPublic = ToyAIRs.verifierInput(air, witness)
        wrongPublic.publicValues[0] = wrongPublic.publicValues[0] + .one
        #expect(rejects(proof, wrongPublic))
        var wrongBoundary = ToyAIRs.verifierInput(air, witness)
        wrongBoundary.boundary[0].message[1] = Goldilocks(26)
        #expect(rejects(proof, wrongBoundary))
        var noBoundary = ToyAIRs.verifierInput(air, witness)
        noBoundary.boundary = []
        #expect(rejects(proof, noBoundary))
        #expect(rejects(proof, ToyAIRs.verifierInput(air, witness, statement: [1, 2, 4])))
        // The same proof against another AIR.
        let other = try ToyAIRs.fibonacci()
        #expect(throws: STARKError.rejected(check: "proof has 3 tables, the AIR 1")) {
            try Verifier.verify(proof, input: VerifierInput(air: other, preprocessed: [[]], publicValues: [.one, .one, .one],
                                                            boundary: [], statement: [1, 2, 3]), policy: .insecureTesting)
        }
    }

    @Test func changedProofValuesAreRejected() throws {
        let proof = try lyingProof { _ in }
        var p = proof
        p.tables[0].claimedSum = p.tables[0].claimedSum! + .one
        p.tables[2].claimedSum = p.tables[2].claimedSum! - .one   // keeps the total balanced
        #expect(rejection(p) == Self.outOfDomain)
        p = proof
        p.tables[0].openings.mainAtZ[1] = p.tables[0].openings.mainAtZ[1] + .one
        #expect(rejection(p) == Self.outOfDomain)
        p = proof
        p.tables[1].openings.auxiliaryAtNext[0] = p.tables[1].openings.auxiliaryAtNext[0] + .one
        #expect(rejection(p) == "table range: constraints do not hold at the out-of-domain point")
        p = proof
        p.tables[2].openings.quotientAtZ[1] = p.tables[2].openings.quotientAtZ[1] + .one
        #expect(rejection(p) == "table sink: constraints do not hold at the out-of-domain point")
        // The final polynomial is absorbed before the queries are drawn: the
        // queries move, and the first round's opening no longer fits them.
        p = proof
        p.finalPolynomial[0] = p.finalPolynomial[0] + .one
        #expect(rejection(p)?.hasPrefix("preprocessed Merkle opening invalid") == true)
        p = proof
        p.main!.rows[0][0][0] = p.main!.rows[0][0][0] + .one
        #expect(rejection(p) == "main Merkle opening invalid (rootMismatch)")
        p = proof
        p.quotient.rows[2][0][1] = p.quotient.rows[2][0][1] + .one
        #expect(rejection(p) == "quotient Merkle opening invalid (rootMismatch)")
        p = proof
        p.friLayers[0].queries.rows[0][0] = p.friLayers[0].queries.rows[0][0] + .one
        #expect(rejection(p) == "FRI layer 0: Merkle opening invalid (rootMismatch)")
    }

    @Test func downgradedParametersAreRefused() throws {
        let air = try ToyAIRs.fibonacci()
        let (main, pv) = ToyAIRs.fibonacciWitness(logHeight: 5)
        let weak = ProofOptions(logBlowup: 3, queries: 20, logFoldingArity: 2, grindingBits: 0, logFinalPolynomialLength: 1)
        let (proof, _) = try Prover.prove(ProverInput(air: air, main: [main], preprocessed: [[]], publicValues: pv, statement: []),
                                          options: weak)
        let input = VerifierInput(air: air, preprocessed: [[]], publicValues: pv, boundary: [], statement: [])
        try Verifier.verify(proof, input: input, policy: .insecureTesting)
        do {
            try Verifier.verify(proof, input: input)
            Issue.record("a 20-query proof passed the 100-bit floor")
        } catch {
            guard case .policyViolation = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    /// Flips one bit in every byte of a serialized proof: nothing is accepted
    /// and nothing traps (SECURITY-PLAN C.8).
    @Test func bitFlipSweepAcceptsNothing() throws {
        let small = ToyAIRs.lookupWitness(logHeight: 5, logSink: 3)
        let opts = ProofOptions(logBlowup: 1, queries: 3, logFoldingArity: 2, grindingBits: 0, logFinalPolynomialLength: 0)
        let bytes = try Prover.prove(ToyAIRs.proverInput(air, small), options: opts).proof.encoded()
        let input = ToyAIRs.verifierInput(air, small)
        try Verifier.verify(try Proof.decode(bytes), input: input, policy: .insecureTesting)
        var accepted = [Int]()
        for i in bytes.indices {
            var mutated = bytes
            mutated[i] ^= UInt8(1 << (i % 8))
            if let proof = try? Proof.decode(mutated),
               (try? Verifier.verify(proof, input: input, policy: .insecureTesting)) != nil {
                accepted.append(i)
            }
        }
        #expect(accepted.isEmpty, "accepted flips at bytes \(accepted.prefix(10)) of \(bytes.count)")
        // Every truncation fails to decode.
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            #expect(throws: STARKError.self) { _ = try Proof.decode(Array(bytes[..<cut])) }
        }
    }
}
