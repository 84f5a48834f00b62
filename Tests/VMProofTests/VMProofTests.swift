import AIR
import Field
import ISA
import ProofFiles
import Prover
import STARK
import Testing
import Verifier
import VMArithmetization
import VMProver
import VMVerifier

@Suite struct VMProofTests {
    static let fast = ProofOptions(logBlowup: 1, queries: 8, logFoldingArity: 2, grindingBits: 0, logFinalPolynomialLength: 1)

    @Test(arguments: ["collatz", "decision_tree", "linear_regression", "logistic_regression", "mlp", "cnn"])
    func examplesProveAndVerify(name: String) throws {
        let (program, inputs) = try Examples.load(name)
        // The witness satisfies every constraint and balances every bus.
        let result = try VMProver.prove(program: program, rawInputs: inputs, options: .standard, checkWitness: true)
        let level = try VMVerifier.verify(try VMProofFile.decode(result.file.encoded()), program: program)
        #expect(level.provenBits >= 100)
    }

}
