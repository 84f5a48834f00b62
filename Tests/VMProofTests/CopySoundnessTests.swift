import Field
import ISA
import Prover
import Testing
import VM
@testable import VMArithmetization
import VMProver
import VMVerifier

/// Single-cell changes to the `copy` table and the `copycode`
/// multiplicities of a program with strided, in-place, register-shifted
/// and empty copies (SECURITY-PLAN A.1–A.2): every constraint family is
/// reached, and every reached family's proof is rejected by the check
/// that owns it.
@Suite struct CopySoundnessTests {
    static let source = """
    .input x [2, 3] scale=4 public
    .output t [6] scale=4 public
    .output u [4] scale=4 public
        copy t, x, shape=[3, 2], strides=[1, 3]
        copy t, t + 5, shape=[6], strides=[-1]
        copy u, x, shape=[0], strides=[1]
        copy u + 3, x + 1, shape=[1], strides=[1]
        li r1, 2
        li r2, 0
    again:
        copy u + r2, x + r2, shape=[2], strides=[2]
        addi r2, r2, 1
        addi r1, r1, -1
        bnz r1, again
        halt
    """
    static let inputs: [[Int64]] = [[16, -40, 7, 200, -3, 0]]

    static func setup() throws -> VMSoundnessTests.Setup { try VMSoundnessTests.setup(source: source, inputs: inputs) }

    @Test func copiesRunOnTheCopyTable() throws {
        let s = try Self.setup()
        #expect(s.vmAir.shape.hasCopies && s.vmAir.shape.hasTensorInstructions)   // the empty copy stays a micro-step
        #expect(VMSoundnessTests.broken(s, main: s.witness.main) == nil)
        #expect(VMSoundnessTests.proveAndVerify(s, main: s.witness.main))
        let run = try Machine(program: s.program).run(rawInputs: Self.inputs)
        #expect(s.witness.statement.publicOutputs == run.outputs.map(\.raw))
        // x transposed, then reversed in place; u from the loop's register-shifted copies
        // (r2 = 0: u[0, 1] = x[0, 2]; r2 = 1: u[1, 2] = x[1, 3]) after u[3] = x[1].
        let transposed: [Int64] = [16, 200, -40, -3, 7, 0]
        #expect(run.outputs[0].raw == transposed.reversed())
        #expect(run.outputs[1].raw == [16, -40, 200, -40])
    }

    @Test func everyCopyConstraintFamilyRejectsAChangedCell() throws {
        try VMSoundnessTests.sweepScheduledTable(try Self.setup(), table: .copy, code: .copycode, width: CopyColumns.width,
                                                 active: CopyColumns.active)
    }

    /// The prover's schedule differs from the verifier's in one entry (a
    /// destination offset): the key's roots reject it.
    @Test func thePreprocessedScheduleIsTheVerifiers() throws {
        let s = try Self.setup()
        let code = s.vmAir.index(of: .copycode)!
        var preprocessed = s.preprocessed
        preprocessed[code][CopyColumns.dstOffset][2] = preprocessed[code][CopyColumns.dstOffset][2] + .one
        let input = ProverInput(air: s.vmAir.air, main: s.witness.main, preprocessed: preprocessed, publicValues: s.witness.publicValues,
                                boundary: s.witness.boundary(), statement: s.witness.segmentStatement())
        let proof = try Prover.prove(input, options: VMSoundnessTests.options, checkWitness: false).proof
        #expect(throws: VMVerifierError.proof(.rejected(check: VMSoundnessTests.outOfDomainCheck("program")))) {
            _ = try VMVerifier.verify(s.witness.file(proof.encoded()), program: s.program, policy: .insecureTesting)
        }
    }
}
