import AIR
import Field
import ISA
import Prover
import STARK
import Testing
import Verifier
import VMArithmetization
import VMProver
import VMVerifier

/// Single-cell changes to the tensor table of a program that uses every
/// tensor operation (SECURITY-PLAN A.1–A.2): every constraint family is
/// reached and every reached family's proof is rejected. Its maps and zips
/// run on the element table (`ElementSoundnessTests`); the matmul of two
/// inputs and the reductions are the tensor table's.
@Suite struct TensorSoundnessTests {
    static let source = """
    .input x [2, 3] scale=4 public
    .input w [3, 2] scale=4
    .weights bias [2] scale=8 raw [16, -32]
    .output y [2, 2] scale=4 public
    .output z [6] scale=4 public
    .output s [3] scale=4 public
    .buffer t [6] scale=4
    .buffer u [6] scale=8
        matmul y, x, w, bias
        copy t, x, shape=[3, 2], strides=[1, 3]
        zip z, x, t, add
        zip t, t, x, sub
        zip u, x, t, mul
        map t, x, clamp, lo=-8, hi=8
        map t, x, tanh
        map t, t, exp
        map t, u, rescale
        zip z, z, t, max
        zip z, z, x, min
        reduce s, x, sum, rows=0, cols=3
        reduce s, x, sum, rows=2, cols=3
        reduce s + 1, x, max
        reduce s + 2, x, argmax
        halt
    """
    static let inputs: [[Int64]] = [[16, -40, 7, 200, -3, 0], [5, -9, 33, 12, -1, 64]]

    static func setup() throws -> VMSoundnessTests.Setup { try VMSoundnessTests.setup(source: source, inputs: inputs) }

    @Test func everyTensorConstraintFamilyRejectsAChangedCell() throws {
        let setup = try Self.setup()
        let (vmAir, witness) = (setup.vmAir, setup.witness)
        #expect(VMSoundnessTests.broken(setup, main: witness.main) == nil)
        #expect(VMSoundnessTests.proveAndVerify(setup, main: witness.main))
        let tensor = vmAir.tensorIndex!
        let executed = witness.main[tensor][TensorColumns.active].filter { $0 == .one }.count
        let (families, harmless) = try VMSoundnessTests.sweep(setup, table: tensor, rows: 0..<executed,
                                                              columns: 0..<TensorColumns.width)
        let required = vmAir.air.tables[tensor].constraints.map(\.label).filter {
            !$0.hasPrefix("logup") && !["inactive rows stay inactive", "the table starts with a start",
                                         "the table ends with a last step", "an instance runs to its last step"].contains($0)
        } + ["bus balance"]
        let missing = required.filter { families[$0] == nil }
        #expect(missing.isEmpty, "tensor constraint families no single-cell change reached: \(missing)")
        // Helper cells that a step's operation does not use may change freely.
        var mayBeFree: Set<Int> = [TensorColumns.acc, TensorColumns.accIndex, TensorColumns.result, TensorColumns.dOld,
                                   TensorColumns.less, TensorColumns.remainder, TensorColumns.previousAcc,
                                   TensorColumns.previousIndex]
        mayBeFree.formUnion((0..<TensorColumns.accessCount).map { TensorColumns.previousTimestamp + $0 })
        mayBeFree.formUnion((0..<(2 * TensorColumns.accessCount)).map { TensorColumns.timestampLimbs + $0 })
        let unexpected = harmless.keys.filter { !mayBeFree.contains($0) }.sorted()
        #expect(unexpected.isEmpty, "changes to tensor columns \(unexpected) went unnoticed")
        VMSoundnessTests.expectRejected(setup, table: tensor, families: families)
        // The CPU rows of tensor instructions: their flags, the rd read and the instance start.
        let cpu = VMAir.TableIndex.cpu
        let (cpuFamilies, _) = try VMSoundnessTests.sweep(setup, table: cpu, rows: 0..<witness.steps,
                                                          columns: 0..<CPUColumns.width)
        let tensorRequired = ["flag tensor is boolean", "tensor instructions keep rd", "ts0 advances", "bus balance"]
        let cpuMissing = tensorRequired.filter { cpuFamilies[$0] == nil }
        #expect(cpuMissing.isEmpty, "CPU families of tensor instructions not reached: \(cpuMissing)")
        VMSoundnessTests.expectRejected(setup, table: cpu, families: cpuFamilies.filter { tensorRequired.contains($0.key) })
    }

    @Test func microcodeMultiplicityAndEntryChangesAreRejected() throws {
        let setup = try Self.setup()
        let (program, vmAir, witness) = (setup.program, setup.vmAir, setup.witness)
        var main = witness.main
        main[vmAir.microcodeIndex!][0][4] = main[vmAir.microcodeIndex!][0][4] + .one
        #expect(!VMSoundnessTests.proveAndVerify(setup, main: main))
        // The prover's microcode differs from the verifier's in one entry (a write offset).
        var preprocessed = setup.preprocessed
        preprocessed[vmAir.microcodeIndex!][TensorColumns.dOffset][2] = preprocessed[vmAir.microcodeIndex!][TensorColumns.dOffset][2] + .one
        let input = ProverInput(air: vmAir.air, main: witness.main, preprocessed: preprocessed, publicValues: witness.publicValues,
                                boundary: witness.boundary(), statement: witness.segmentStatement())
        let proof = try Prover.prove(input, options: VMSoundnessTests.options, checkWitness: false).proof
        #expect(throws: VMVerifierError.proof(.rejected(check: VMSoundnessTests.outOfDomainCheck("program")))) {
            _ = try VMVerifier.verify(witness.file(proof.encoded()),
                                      program: program, policy: .insecureTesting)
        }
    }

    /// A padding row of the tensor table (not looked up in the microcode)
    /// that writes a public output cell: every constraint but the padding
    /// rule holds and every bus balances, so without that rule a prover could
    /// claim any output (found in review).
    @Test func paddingRowsCannotTouchMemory() throws {
        let setup = try Self.setup()
        let (program, vmAir, witness) = (setup.program, setup.vmAir, setup.witness)
        let tensor = vmAir.tensorIndex!, memory = VMAir.TableIndex.memory, range = VMAir.TableIndex.range
        let executed = witness.main[tensor][TensorColumns.active].filter { $0 == .one }.count
        try #require(executed < witness.main[tensor][0].count, "the tensor table needs a padding row")
        let cell = Int(program.tensor(named: "s")!.address)
        let honest = witness.main[memory][1][cell]
        let lastTs = witness.main[memory][2][cell]
        let forged = honest + Goldilocks(1000)
        var main = witness.main
        let row = executed
        main[tensor][TensorColumns.write][row] = .one
        main[tensor][TensorColumns.baseD][row] = Goldilocks(cell)
        main[tensor][TensorColumns.dOld][row] = honest
        main[tensor][TensorColumns.previousTimestamp + TensorColumns.writeAccess][row] = lastTs
        main[tensor][TensorColumns.time][row] = lastTs + .one - Goldilocks(CPUColumns.timestampsPerRow)
        main[tensor][TensorColumns.result][row] = forged
        main[memory][1][cell] = forged
        main[memory][2][cell] = lastTs + .one
        // The write's two timestamp limbs (both 0) are range messages: count them.
        typealias R = RangeTable.Column
        let zeroRow = try #require(main[range][R.low].indices.first {
            main[range][R.low][$0] == .zero && main[range][R.high][$0] == .zero && main[range][R.multiplicity][$0] != .zero
        })
        main[range][R.multiplicity][zeroRow] = main[range][R.multiplicity][zeroRow] + Goldilocks(2)
        #expect(VMSoundnessTests.broken(setup, main: main)?.hasPrefix("padding field") == true)
        var statement = witness.statement
        let outputs = program.tensors.filter { $0.kind == .output && $0.visibility == .public }
        let k = outputs.firstIndex { $0.name == "s" }!
        statement.publicOutputs[k][0] += 1000
        let preprocessed = vmAir.preprocessedColumns(statement: statement)
        let input = ProverInput(air: vmAir.air, main: main, preprocessed: preprocessed, publicValues: witness.publicValues,
                                boundary: witness.boundary(statement), statement: witness.segmentStatement(statement))
        let proof = try Prover.prove(input, options: VMSoundnessTests.options, checkWitness: false).proof
        #expect(throws: VMVerifierError.proof(.rejected(check: VMSoundnessTests.outOfDomainCheck("tensor")))) {
            _ = try VMVerifier.verify(witness.file(proof.encoded(), statement: statement),
                                      program: program, policy: .insecureTesting)
        }
    }
}
