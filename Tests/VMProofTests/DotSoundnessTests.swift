import AIR
import Field
import ISA
import Prover
import STARK
import Testing
import Verifier
import VM
@testable import VMArithmetization
import VMProver
import VMVerifier

/// Single-cell changes to the weights-matmul tables — dot, dotoutput,
/// weights, and the dotcode multiplicities — of a program with held public
/// weights (W, b), public weights in memory (U, which a copy reads too),
/// private weights, a bias, a partial lane block, groups of 1 to 5 slots
/// and a matmul in a loop (SECURITY-PLAN A.1–A.2): every constraint family is reached, and every
/// reached family's proof is rejected by the check that owns it.
@Suite struct DotSoundnessTests {
    static let source = """
    .input x [2, 3] scale=4 public
    .weights W [3, 18] scale=4 raw [1, -2, 3, 4, -5, 6, 7, 8, -9, 10, 11, 12, -13, 14, 15, 16, -17, 18, \
    2, 3, -4, 5, 6, -7, 8, 9, 10, -11, 12, 13, 14, -15, 16, 17, 18, -19, \
    -3, 4, 5, -6, 7, 8, 9, -10, 11, 12, -13, 14, 15, 16, -17, 18, 19, 20]
    .weights b [18] scale=8 raw [100, -200, 300, 0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, -17, 18]
    .weights V [3, 2] scale=4 private raw [7, -3, 2, 9, -8, 1]
    .weights U [2, 3] scale=4 raw [5, -6, 7, 1, 2, -3]
    .output y [2, 18] scale=4 public
    .output z [2, 2] scale=4 public
    .output u [2, 3] scale=4 public
    .weights P [5, 2] scale=4 raw [3, -1, 4, 1, -5, 9, 2, -6, 5, 3]
    .weights Q [1, 2] scale=4 raw [-7, 8]
    .output q [1, 2] scale=4 public
    .output v [2, 2] scale=4 public
    .buffer c [2] scale=4
        matmul y, x, W, b
        matmul u, x, U, k=2, ars=3
        matmul q, x, P, m=1, k=5, ars=5
        matmul v, x, Q, k=1, ars=3
        copy c, U, shape=[2], strides=[1]
        li r1, 4
    again:
        matmul z, x, V
        addi r1, r1, -1
        bnz r1, again
        halt
    """
    static let inputs: [[Int64]] = [[16, -40, 0, 200, -3, 0]]   // column 2 is 0: see the forged-weight test

    static func setup() throws -> VMSoundnessTests.Setup { try VMSoundnessTests.setup(source: source, inputs: inputs) }

    /// A convolution as one patterned weights matmul (`MatmulPatternTests.Convolution`):
    /// overlapping input windows, outputs channel-major (dStride 6), a
    /// bias, and groups of 13 slots whose last row has an unused slot.
    static func patternedSetup() throws -> VMSoundnessTests.Setup {
        let conv = MatmulPatternTests.Convolution()
        return try VMSoundnessTests.setup(source: conv.source(weightsB: true), inputs: [conv.input])
    }

    static func setup(patterned: Bool) throws -> VMSoundnessTests.Setup { patterned ? try patternedSetup() : try setup() }

    /// Rows to sweep: every active row and the first padding row.
    static func rows(_ s: VMSoundnessTests.Setup, _ table: Int, active: Int) -> Range<Int> {
        let executed = s.witness.main[table][active].filter { $0 == .one }.count
        return 0..<min(executed + 1, s.witness.main[table][0].count)
    }

    @Test func theProgramRunsOnTheDotTables() throws {
        let s = try Self.setup()
        #expect(s.vmAir.shape.hasWeightsMatmuls && !s.vmAir.shape.hasTensorInstructions)
        #expect(VMSoundnessTests.broken(s, main: s.witness.main) == nil)
        #expect(VMSoundnessTests.proveAndVerify(s, main: s.witness.main))
        // The outputs are the VM's, which reads B and the bias from the weights.
        let run = try Machine(program: s.program).run(rawInputs: Self.inputs)
        #expect(s.witness.statement.publicOutputs == run.outputs.map(\.raw))
        let x = Self.inputs[0], w = s.program.tensor(named: "W")!.data!, b = s.program.tensor(named: "b")!.data!
        for i in 0..<2 {
            for j in 0..<18 {
                let sum = b[j] + (0..<3).reduce(Int64(0)) { $0 + x[i * 3 + $1] * w[$1 * 18 + j] }
                #expect(run.outputs[0].raw[i * 18 + j] == FixedPoint.rescale(sum, shift: 4))
            }
        }
    }

    /// Sweeps every cell of `rows` and checks that every constraint family
    /// but the `unreachable` ones is reached, that only the cells
    /// `mayBeFree(row, column)` allows change without breaking anything, and
    /// that every reached family's proof is rejected.
    static func check(_ s: VMSoundnessTests.Setup, table: Int, rows: Range<Int>, width: Int, unreachable: Set<String>,
                      mayBeFree: (Int, Int) -> Bool) throws {
        let (families, harmless) = try VMSoundnessTests.sweep(s, table: table, rows: rows, columns: 0..<width)
        let name = s.vmAir.air.tables[table].name
        let required = s.vmAir.air.tables[table].constraints.map(\.label).filter {
            !$0.hasPrefix("logup") && !unreachable.contains($0)
        } + ["bus balance"]
        let missing = required.filter { families[$0] == nil }
        #expect(missing.isEmpty, "\(name) constraint families no single-cell change reached: \(missing)")
        let unexpected = harmless.flatMap { column, rows in rows.filter { !mayBeFree($0, column) }.map { "(\($0), \(column))" } }
        #expect(unexpected.isEmpty, "changes to \(name) cells (row, column) \(unexpected.sorted()) went unnoticed")
        VMSoundnessTests.expectRejected(s, table: table, families: families)
    }

    @Test(arguments: [false, true]) func everyDotConstraintFamilyRejectsAChangedCell(patterned: Bool) throws {
        let s = try Self.setup(patterned: patterned)
        typealias D = DotColumns
        let dot = s.vmAir.index(of: .dot)!
        let main = s.witness.main[dot]
        // A slot that reads nothing (a bias slot, an unused slot, any slot
        // of a padding row) has free timestamp helpers; an unused slot's
        // weights are multiplied by its activation 0 and looked up nowhere; a
        // padding row's instruction fields are free (it sends and receives nothing).
        for slot in 1..<DotProduct.slots where !patterned || slot == 1 {
            #expect((0..<main[D.active].count).contains {
                main[D.active][$0] == .one && main[D.readA(slot)][$0] == .zero && main[D.readA(slot - 1)][$0] == .one
            }, "the program has a row whose first unused slot is \(slot)")
        }
        try Self.check(s, table: dot, rows: Self.rows(s, dot, active: D.active), width: D.width,
                       unreachable: ScheduledInstances.unreachableBySingleCells,
                       mayBeFree: { row, column in
                           (0..<DotProduct.slots).contains { slot in
                               main[D.readA(slot)][row] == .zero
                                   && ([D.previousTimestamp(slot), D.timestampLimbs(slot), D.timestampLimbs(slot) + 1].contains(column)
                                       || slot > 0 && (D.weights(slot)..<(D.weights(slot) + DotProduct.lanes)).contains(column))
                           }
                               || main[D.active][row] == .zero && [D.instructionTime, D.baseA, D.baseD].contains(column)
                       })
    }

    @Test(arguments: [false, true]) func everyDotOutputConstraintFamilyRejectsAChangedCell(patterned: Bool) throws {
        let s = try Self.setup(patterned: patterned)
        typealias O = DotOutputColumns
        let output = s.vmAir.index(of: .dotoutput)!
        let main = s.witness.main[output]
        // A row after a group's first passes on sums[1…15] but nothing
        // constrains the last one it takes in; a padding row is free but for
        // its flags.
        try Self.check(s, table: output, rows: Self.rows(s, output, active: O.active), width: O.width,
                       unreachable: ["inactive rows stay inactive", "the table starts with a group",
                                     "the table ends with a group's last lane", "a group runs to its last lane"],
                       mayBeFree: { row, column in
                           main[O.active][row] == .one && main[O.first][row] == .zero && column == O.sums + DotProduct.lanes - 1
                               || main[O.active][row] == .zero && ![O.active, O.first, O.last].contains(column)
                       })
    }

    @Test func weightsAndScheduleMultiplicitiesAreBound() throws {
        let s = try Self.setup()
        for table in [VMTable.weights, .dotcode] {
            let index = s.vmAir.index(of: table)!
            let height = s.witness.main[index][0].count
            // A weights row past the program's rows (id −1, no real lane) is never read.
            let real = table == .weights ? WeightsTable.rows(s.vmAir.dotCode).count : height
            // No lane of the weights table is held here (W and b are the public table's, U is
            // public in memory — a copy reads it —, V private): no held row has zero lanes.
            let held = WeightsTable.laneGroups.flatMap(\.self).filter { !WeightsTable.laneGroups.map(\.lowerBound).contains($0) }
                .map { "held row's lane \($0) is zero beyond its lanes" }
            try Self.check(s, table: index, rows: 0..<height, width: s.vmAir.air.tables[index].mainWidth,
                           unreachable: Set(["only real cells answer weights lanes"] + held),
                           mayBeFree: { row, column in row >= real && column < WeightsTable.Main.multiplicity })
        }
        // The memory table's count of weights lanes per cell, and its guard on padding rows.
        let memory = VMAir.TableIndex.memory
        let (families, _) = try VMSoundnessTests.sweep(s, table: memory, rows: 0..<s.witness.main[memory][0].count,
                                                       columns: MemoryTable.Main.imageReads..<(MemoryTable.Main.imageReads + 1))
        #expect(families["only real cells answer weights lanes"] != nil && families["bus balance"] != nil)
        VMSoundnessTests.expectRejected(s, table: memory, families: families)
    }

    /// The prover's preprocessed schedule or weights rows differ from the
    /// verifier's in one entry: the key's roots reject them.
    @Test func preprocessedScheduleAndWeightsRowsAreTheVerifiers() throws {
        let s = try Self.setup()
        for (table, column, row) in [(VMTable.dotcode, DotColumns.aOffset(0), 1), (.dotcode, DotCodeTable.Fixed.outputs + 1, 3),
                                     (.dotcode, DotCodeTable.Fixed.outputs + 2, 3), (.dotcode, DotColumns.readA(1), 1),
                                     (.dotcode, DotColumns.aOffset(1), 1), (.dotcode, DotColumns.weightsRow(1), 1),
                                     (.weights, WeightsTable.Fixed.base, 2)] {
            try Self.expectKeyRejects(s, table: s.vmAir.index(of: table)!, column: column, row: row)
        }
    }

    /// A prover that claims another private weight everywhere it is used —
    /// the weights row and every dot row that reads it, all of whose
    /// activations are 0, so no sum changes — keeps every constraint and
    /// balances the weights bus; only the memory table, which holds the
    /// weight's declared value, can catch it.
    @Test func aConsistentlyForgedWeightUnbalancesTheImageBus() throws {
        let s = try Self.setup()
        let (dot, weights) = (s.vmAir.index(of: .dot)!, s.vmAir.index(of: .weights)!)
        var main = s.witness.main
        // V's weights row for t = 2 (x[·, 2] = 0), lane 0.
        let v = s.program.tensor(named: "V")!.address
        let row = try #require(s.vmAir.dotCode.weightsRows.firstIndex { $0.base == v + 4 })
        let users = Self.forgeLaneZero(&main, code: s.vmAir.dotCode, dot: dot, weights: weights, row: row)
        #expect(users == 8)   // two rows of x, four executions
        #expect(VMSoundnessTests.broken(s, main: main)?.hasPrefix("bus") == true, "every constraint holds")
        #expect(VMSoundnessTests.rejection(s, main: main) == VMSoundnessTests.logUpCheck)
    }

    /// Every output of a group shifted by the same offset c (each row's
    /// laneOffset + c): only "a group starts at offset 0" and the memory
    /// bus see it, and the proof is rejected.
    @Test func aGroupsOffsetsStartAtZero() throws {
        let s = try Self.patternedSetup()
        typealias O = DotOutputColumns
        let output = s.vmAir.index(of: .dotoutput)!
        var cells = s.witness.main[output]
        let stride = cells[O.dStride][0]
        #expect(stride == Goldilocks(6) && cells[O.first][0] == .one)
        var row = 0
        repeat {
            cells[O.laneOffset][row] = cells[O.laneOffset][row] + stride
            row += 1
        } while cells[O.last][row - 1] == .zero
        let check = try VMSoundnessTests.TableCheck(s, table: output)
        let broken = try check.broken(cells)
        #expect(Set(broken) == ["a group starts at offset 0", "bus balance"], "\(broken)")
        var main = s.witness.main
        main[output] = cells
        let rejected = VMSoundnessTests.rejection(s, main: main)
        #expect([VMSoundnessTests.outOfDomainCheck("dotoutput"), VMSoundnessTests.logUpCheck].contains(rejected ?? ""),
                "rejected by \(rejected ?? "nothing")")
    }

    /// The schedule's structure (Spec/vm-air.md §10): slot 0 reads or is a
    /// group's bias; every read has its own timestamp below S·R; every write
    /// its own at or above it; the span is S·R + m·n.
    @Test(arguments: [false, true]) func schedulesKeepReadsAndWritesApart(patterned: Bool) throws {
        let s = try Self.setup(patterned: patterned)
        let code = s.vmAir.dotCode, slots = Int64(DotProduct.slots)
        for (d, operands) in code.operands.enumerated() {
            guard operands != nil, case .matmul(let mm) = s.program.descriptors[d] else { continue }
            let steps = code.steps[code.firstStep[d] ..< code.firstStep[d] + code.stepCounts[d]]
            let rows = Int64(steps.count)
            var reads = Set<Int64>(), writes = Set<Int64>()
            for step in steps {
                #expect(step.readA[0] || step.groupFirst && mm.bias != nil, "slot 0 of row \(step.id) neither reads nor is a bias")
                for slot in 0..<DotProduct.slots where step.readA[slot] {
                    let time = step.time + Int64(slot)
                    #expect(time < slots * rows && reads.insert(time).inserted)
                }
                if step.groupEnd {
                    for l in 0..<Int64(step.laneCount) { #expect(step.writeTime + l >= slots * rows && writes.insert(step.writeTime + l).inserted) }
                }
            }
            #expect(Int64(writes.count) == mm.m * mm.n && code.spans[d] == slots * rows + mm.m * mm.n)
            #expect(Int64(reads.count) == mm.m * Int64((Int(mm.n) + DotProduct.lanes - 1) / DotProduct.lanes) * mm.k)
        }
    }

    /// Adds 1 to lane 0 of weights row `row` (an id of `code.weightsRows`,
    /// a row of the `weights` table) and to that weight in every active dot
    /// slot that reads the row (each must read activation 0, so no sum
    /// changes); returns how many slots it changed.
    static func forgeLaneZero(_ main: inout [[[Goldilocks]]], code: DotCode, dot: Int, weights: Int, row: Int) -> Int {
        let position = WeightsTable.rows(code).firstIndex(of: row)!
        main[weights][WeightsTable.Main.weights][position] = main[weights][WeightsTable.Main.weights][position] + .one
        return forgeDotSlots(&main, dot: dot, row: row)
    }

    /// Adds `delta` to lane `lane`'s weight in every active dot slot that
    /// reads weights row `row` (each must read activation 0); returns how many it changed.
    static func forgeDotSlots(_ main: inout [[[Goldilocks]]], dot: Int, row: Int, lane: Int = 0,
                              by delta: Goldilocks = .one) -> Int {
        typealias D = DotColumns
        var users = 0
        for r in 0..<main[dot][0].count where main[dot][D.active][r] == .one {
            for slot in 0..<DotProduct.slots where main[dot][D.weightsRow(slot)][r] == Goldilocks(row) && main[dot][D.readA(slot)][r] == .one {
                #expect(main[dot][D.activation(slot)][r] == .zero)
                main[dot][D.weights(slot) + lane][r] = main[dot][D.weights(slot) + lane][r] + delta
                users += 1
            }
        }
        return users
    }

    /// A proof whose preprocessed entry (table, column, row) is one more than
    /// the verifier's: the key's roots reject it at the out-of-domain check.
    static func expectKeyRejects(_ s: VMSoundnessTests.Setup, table index: Int, column: Int, row: Int) throws {
        var preprocessed = s.preprocessed
        preprocessed[index][column][row] = preprocessed[index][column][row] + .one
        let input = ProverInput(air: s.vmAir.air, main: s.witness.main, preprocessed: preprocessed,
                                publicValues: s.witness.publicValues, boundary: s.witness.boundary(),
                                statement: s.witness.segmentStatement())
        let proof = try Prover.prove(input, options: VMSoundnessTests.options, checkWitness: false).proof
        #expect(throws: VMVerifierError.proof(.rejected(check: VMSoundnessTests.outOfDomainCheck("program"))),
                "table \(index), column \(column), row \(row)") {
            _ = try VMVerifier.verify(s.witness.file(proof.encoded()), program: s.program, commitment: s.commitment,
                                      policy: .insecureTesting)
        }
    }
}
