import AIR
import Field
import Prover
import STARK
import Testing
import Verifier

@Suite struct ProverVerifierTests {
    @Test func fibonacciProvesAndVerifies() throws {
        let air = try ToyAIRs.fibonacci()
        let (main, pv) = ToyAIRs.fibonacciWitness(logHeight: 6)
        let input = ProverInput(air: air, main: [main], preprocessed: [[]], publicValues: pv, statement: [7])
        let (proof, _) = try Prover.prove(input, options: .testing)
        let verifierInput = VerifierInput(air: air, preprocessed: [[]], publicValues: pv, boundary: [], statement: [7])
        try Verifier.verify(proof, input: verifierInput, policy: .insecureTesting)
        // Round trip through bytes.
        let decoded = try Proof.decode(proof.encoded())
        #expect(decoded == proof)
        try Verifier.verify(decoded, input: verifierInput, policy: .insecureTesting)
    }

    @Test func lookupsProveAndVerifyAcrossHeights() throws {
        let air = try ToyAIRs.lookups()
        let w = ToyAIRs.lookupWitness(logHeight: 9, logSink: 4)
        for options in [ProofOptions.testing,
                        ProofOptions(logBlowup: 2, queries: 12, logFoldingArity: 1, grindingBits: 2, logFinalPolynomialLength: 0),
                        ProofOptions(logBlowup: 3, queries: 10, logFoldingArity: 3, grindingBits: 0, logFinalPolynomialLength: 2)] {
            let (proof, _) = try Prover.prove(ToyAIRs.proverInput(air, w), options: options)
            try Verifier.verify(proof, input: ToyAIRs.verifierInput(air, w), policy: .insecureTesting)
        }
    }

    @Test func standardOptionsMeetTheFloor() throws {
        let air = try ToyAIRs.lookups()
        let w = ToyAIRs.lookupWitness(logHeight: 8, logSink: 3)
        let (proof, _) = try Prover.prove(ToyAIRs.proverInput(air, w), options: .transparent)
        let level = try Verifier.verify(proof, input: ToyAIRs.verifierInput(air, w))
        #expect(level.provenBits >= 100)
        // Zero knowledge (the default): tables below 4E rows (here all
        // three) are committed on larger domains and still meet the floor.
        let (masked, _) = try Prover.prove(ToyAIRs.proverInput(air, w), options: .standard)
        let layout = CommitmentLayout(options: .standard)
        #expect(masked.tables.allSatisfy { layout.logDomain(logHeight: $0.logHeight) > $0.logHeight })
        #expect(try Verifier.verify(masked, input: ToyAIRs.verifierInput(air, w)).provenBits >= 110)
    }
}
