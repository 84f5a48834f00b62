import Field
import ISA
import Testing
import VM
@testable import VMArithmetization
import VMProver

/// Public weights the weights tables hold (Spec/vm-air.md §10b): their
/// rows are preprocessed in the `publicweights` table, their cells leave
/// the memory table, and every change — a multiplicity, a weight a dot row
/// claims, a preprocessed value — is rejected by the check that owns it.
@Suite struct PublicWeightsTests {
    /// y = x·W + b with W [5, 18] and b public (both held: 5 × 2 + 2 = 12
    /// public rows, so the table has padding rows), and z = x·V with V
    /// private (in memory, read through the image bus).
    static let source = """
    .input x [2, 5] scale=4 public
    .weights W [5, 18] scale=4 raw [\((0..<90).map { String($0 * 7 % 23 - 11) }.joined(separator: ", "))]
    .weights b [18] scale=8 raw [100, -200, 300, 0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, -17, 18]
    .weights V [5, 2] scale=4 private raw [7, -3, 2, 9, -8, 1, 4, 4, -2, 6]
    .output y [2, 18] scale=4 public
    .output z [2, 2] scale=4 public
        matmul y, x, W, b
        matmul z, x, V
        halt
    """
    static let inputs: [[Int64]] = [[16, -40, 0, 200, -3, 0, 5, 0, 1, 2]]   // column 2 is 0: W's row t = 2 meets only zeros

    static func setup() throws -> VMSoundnessTests.Setup { try VMSoundnessTests.setup(source: source, inputs: inputs) }

    @Test func publicWeightsLeaveMemoryForTheirTable() throws {
        let s = try Self.setup()
        let (w, b, v) = (s.program.tensor(named: "W")!, s.program.tensor(named: "b")!, s.program.tensor(named: "V")!)
        #expect(s.vmAir.shape.hasPublicWeights)
        #expect(s.program.tensors.indices.filter { s.vmAir.dotCode.heldTensors[$0] }.map { s.program.tensors[$0].name } == ["W", "b"])
        let held = Set(Int(w.address)..<(Int(w.address) + w.count)).union(Int(b.address)..<(Int(b.address) + b.count))
        #expect(s.vmAir.memoryCells == (0..<Int(s.program.memorySize)).filter { !held.contains($0) })
        #expect(s.vmAir.memoryCells.contains(Int(v.address)))
        // W's 5 × 2 rows and b's 2 are public; V's 5 stay in the weights table.
        let rows = s.vmAir.dotCode.weightsRows
        #expect(rows.filter(\.isPublic).count == 12 && WeightsTable.rows(s.vmAir.dotCode).count == 5)
        #expect(s.witness.main[s.vmAir.index(of: .publicweights)!][0].count == 16, "padding rows for the sweep")
        #expect(VMSoundnessTests.broken(s, main: s.witness.main) == nil)
        #expect(VMSoundnessTests.proveAndVerify(s, main: s.witness.main))
        let run = try Machine(program: s.program).run(rawInputs: Self.inputs)
        #expect(s.witness.statement.publicOutputs == run.outputs.map(\.raw))
        // The preprocessed values are the program's: row k's lanes at base + l·stride.
        let table = s.vmAir.index(of: .publicweights)!
        for (position, id) in rows.indices.filter({ rows[$0].isPublic }).enumerated() {
            let row = rows[id], tensor = s.program.tensors[row.tensor]
            #expect(s.preprocessed[table][PublicWeightsTable.Fixed.id][position] == Goldilocks(id))
            for l in 0..<row.lanes {
                let value = tensor.data![Int(row.base + Int64(l) * row.stride - tensor.address)]
                #expect(s.preprocessed[table][PublicWeightsTable.Fixed.values + l][position] == Goldilocks(value))
            }
        }
    }

    /// Two matmuls over the same weights (as an unrolled recurrent layer
    /// has): one set of weights rows, read by both schedules, so the tensors
    /// stay held; the proof verifies and matches the VM.
    @Test func matmulsOverTheSameWeightsShareTheirRows() throws {
        let twice = Self.source.replacingOccurrences(of: "    matmul z, x, V", with: "    matmul z, x, V\n    matmul u, x, W, b")
            .replacingOccurrences(of: ".output z [2, 2] scale=4 public", with: ".output z [2, 2] scale=4 public\n.output u [2, 18] scale=4 public")
        let s = try VMSoundnessTests.setup(source: twice, inputs: Self.inputs)
        let once = try Self.setup()
        #expect(s.program.descriptors.count == once.program.descriptors.count + 1)
        #expect(s.vmAir.dotCode.weightsRows == once.vmAir.dotCode.weightsRows)
        #expect(s.program.tensors.indices.filter { s.vmAir.dotCode.heldTensors[$0] }.map { s.program.tensors[$0].name } == ["W", "b"])
        #expect(VMSoundnessTests.proveAndVerify(s, main: s.witness.main))
        let run = try Machine(program: s.program).run(rawInputs: Self.inputs)
        #expect(run.outputs[2].raw == run.outputs[0].raw)
        #expect(s.witness.statement.publicOutputs == run.outputs.map(\.raw))
    }

    /// Every multiplicity (padding rows included) is bound by the weights bus.
    @Test func everyMultiplicityIsBound() throws {
        let s = try Self.setup()
        let index = s.vmAir.index(of: .publicweights)!
        try DotSoundnessTests.check(s, table: index, rows: 0..<s.witness.main[index][0].count, width: 1, unreachable: [],
                                    mayBeFree: { _, _ in false })
    }

    /// A prover that claims another public weight in every dot slot that
    /// reads it (all of whose activations are 0, so no sum changes) keeps
    /// every constraint; the weights bus, against the preprocessed value,
    /// rejects it.
    @Test func aWeightTheDotRowsClaimIsThePreprocessedOne() throws {
        let s = try Self.setup()
        var main = s.witness.main
        let w = s.program.tensor(named: "W")!.address
        let row = try #require(s.vmAir.dotCode.weightsRows.firstIndex { $0.base == w + 2 * 18 })
        #expect(DotSoundnessTests.forgeDotSlots(&main, dot: s.vmAir.index(of: .dot)!, row: row) == 2)   // two rows of x
        #expect(VMSoundnessTests.broken(s, main: main)?.hasPrefix("bus") == true, "every constraint holds")
        #expect(VMSoundnessTests.rejection(s, main: main) == VMSoundnessTests.logUpCheck)
    }

    /// The prover's preprocessed id or value differs from the verifier's: the key's roots reject it.
    @Test func preprocessedRowsAreTheVerifiers() throws {
        let s = try Self.setup()
        let index = s.vmAir.index(of: .publicweights)!
        for (column, row) in [(PublicWeightsTable.Fixed.id, 1), (PublicWeightsTable.Fixed.values + 3, 2)] {
            try DotSoundnessTests.expectKeyRejects(s, table: index, column: column, row: row)
        }
    }
}
