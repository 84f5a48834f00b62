import Foundation
import Importer
import ISA
import STARK
import Testing
import VM
import VMProver
import VMVerifier

/// Imported models prove and verify with the general backend (issue 5,
/// deliverable 7): the proof's public outputs are the VM's outputs, and a
/// changed output is rejected. LeNet (417k MACs) proves in the benchmark.
@Suite struct ImportProveTests {
    /// Fast test options (the security floor is waived; the constraints are the same).
    static let options = ProofOptions(logBlowup: 3, queries: 16, logFoldingArity: 3, grindingBits: 0, logFinalPolynomialLength: 1)

    @Test(arguments: ["logistic_regression", "attention", "ops", "gelu", "logic", "gru", "recurrent_variants",
                      "random_forest", "xgboost", "svr_rbf", "vision_ops", "indexing_variants", "hummingbird_traversal",
                      "integer_ops"])
    func importedModelProvesAndVerifies(_ name: String) throws {
        let (model, program) = try Fixtures.importFixture(name)
        let x = Fixtures.split(try Fixtures.reference(name).inputs[0], model)
        let machine = Machine(program: program)
        let raw = try machine.quantizeInputs(x)
        let expected = try machine.run(rawInputs: raw).outputs.map(\.raw)
        let result = try VMProver.prove(program: program, rawInputs: raw, options: Self.options, minimumProvenBits: nil,
                                        checkWitness: true)
        // Imported weights are committed: this proof's one-off commitment (no secret seed given).
        let commitment = result.file.statement.weightCommitment
        #expect(commitment != nil)
        _ = try VMVerifier.verify(result.file, program: program, commitment: commitment, policy: .insecureTesting)
        #expect(result.file.statement.publicOutputs == expected)
        var forged = result.file
        forged.statement.publicOutputs[0][0] += 1
        #expect(throws: VMVerifierError.proof(.rejected(check: "table program: constraints do not hold at the out-of-domain point"))) {
            _ = try VMVerifier.verify(forged, program: program, commitment: commitment, policy: .insecureTesting)
        }
    }
}
