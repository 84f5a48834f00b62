import AIR
import AlgebraicHashing
import Field
import ISA
import ProofFiles
import Prover
import STARK
import Testing
import Verifier
@testable import VMArithmetization
import VMProver
import VMVerifier

/// A lying prover changes one cell of the VM witness and proves the rest
/// honestly; the verifier must reject (SECURITY-PLAN A.1–A.4). The debug
/// checker names the constraint each change breaks, which gives the
/// coverage report: every CPU constraint family is hit by some change.
@Suite struct VMSoundnessTests {
    static let source = """
    .input a [4] scale=4 public
    .input p [2] scale=4
    .output out [8] scale=4 public
    .table e exp in=4 out=4
        li r1, 3
        li r9, 0
    loop:
        addi r1, r1, -1
        ld r2, [r1 + a]
        ld r3, [p]
        mul r4, r2, r3
        mulr r5, r2, r3, 4
        rescale r6, r4, 3
        sub r7, r5, r6
        lt r8, r7, r2
        eq r10, r8, r9
        select r11, r10, r5, r7
        min r12, r11, r2
        max r13, r11, r2
        lut r14, r13, e
        mov r15, r14
        add r9, r9, r8
        st r15, [r1 + out]
        bnz r1, loop
        jmp skip
        halt
    skip:
        bz r1, done
        halt
    done:
        li r1, 100000
        lut r2, r1, e
        st r2, [out + 4]
        li r1, -100000
        lut r2, r1, e
        st r2, [out + 5]
        st r9, [out + 6]
        halt
    """
    static let inputs: [[Int64]] = [[16, -24, 40, 3], [20, -7]]
    static let options = ProofOptions(logBlowup: 3, queries: 16, logFoldingArity: 3, grindingBits: 0, logFinalPolynomialLength: 1)

    struct Setup {
        let program: Program
        let vmAir: VMAir
        let witness: WitnessBuilder.Witness
        let preprocessed: [[[Goldilocks]]]
        /// The published commitment of a program with committed weights.
        var commitment: WeightCommitment? = nil
    }

    static func setup() throws -> Setup { try setup(source: source, inputs: inputs) }

    /// The witness of one run of `source` and the verifier's preprocessed
    /// columns; committed weights are salted from `seed`.
    static func setup(source: String, inputs: [[Int64]], seed: [UInt8]? = nil) throws -> Setup {
        let program = try Examples.assemble(source)
        let vmAir = try VMAir(program: program)
        let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: inputs, maxSteps: 10_000,
                                                           weightSalt: seed.map { WeightSponge.salt(fromSeed: $0) })
        return Setup(program: program, vmAir: vmAir, witness: witness,
                     preprocessed: vmAir.preprocessedColumns(statement: witness.statement),
                     commitment: try seed.flatMap { try VMProver.commitment(program: program, seed: $0) })
    }

    /// The first constraint the debug checker finds broken, or nil.
    static func broken(_ s: Setup, main: [[[Goldilocks]]]) -> String? {
        let challenges = LogUpChallenges.vector(alpha: GoldilocksExt3(Goldilocks(91), Goldilocks(17), Goldilocks(5)),
                                                beta: GoldilocksExt3(Goldilocks(3), Goldilocks(77), Goldilocks(12)),
                                                maxMessageLength: s.vmAir.air.maxMessageLength)
        do {
            try DebugChecker.check(air: s.vmAir.air, main: main, preprocessed: s.preprocessed, publicValues: s.witness.publicValues,
                                   boundary: s.vmAir.boundaryMessages(statement: s.witness.statement), challenges: challenges)
            return nil
        } catch let AIRError.constraintFailed(_, constraint, _) {
            return constraint
        } catch {
            return "bus: \(error)"
        }
    }

    static func proveAndVerify(_ s: Setup, main: [[[Goldilocks]]], statement: VMStatement? = nil) -> Bool {
        rejection(s, main: main, statement: statement) == nil
    }

    /// The check that rejects the honest prover's proof of `main` (bound to
    /// the run's statement) when verified with `statement`, or nil if it verifies.
    static func rejection(_ s: Setup, main: [[[Goldilocks]]], statement: VMStatement? = nil) -> String? {
        let st = statement ?? s.witness.statement
        do {
            let input = ProverInput(air: s.vmAir.air, main: main, preprocessed: s.vmAir.preprocessedColumns(statement: s.witness.statement),
                                    publicValues: s.witness.publicValues, boundary: s.witness.boundary(),
                                    statement: s.witness.segmentStatement())
            let proof = try Prover.prove(input, options: options, checkWitness: false).proof
            let file = s.witness.file(proof.encoded(), statement: st)
            _ = try VMVerifier.verify(file, program: s.program, commitment: s.commitment, policy: .insecureTesting)
            return nil
        } catch let error as VMVerifierError {
            return error.rejectedCheck ?? "not a verification check: \(error)"
        } catch {
            return "not a verification check: \(error)"
        }
    }

    /// Moves range-table counts from the `removing` limbs to the `adding`
    /// ones, claiming a padding row (and counting its bytes) for a value
    /// the table does not hold yet: a forged row's range messages stay balanced.
    static func recountRange(_ main: inout [[[Goldilocks]]], removing: [Int], adding: [Int]) throws {
        let range = VMAir.TableIndex.range, byte = VMAir.TableIndex.byte
        typealias R = RangeTable.Column
        func bump(_ value: Int, _ delta: Goldilocks) throws {
            var r = main[range][R.low].indices.first {
                main[range][R.low][$0] == Goldilocks(value & 0xFF) && main[range][R.high][$0] == Goldilocks(value >> 8)
            }
            if r == nil {
                let padding = try #require(main[range][R.multiplicity].lastIndex(of: .zero))
                main[range][R.low][padding] = Goldilocks(value & 0xFF)
                main[range][R.high][padding] = Goldilocks(value >> 8)
                main[byte][0][0] = main[byte][0][0] - Goldilocks(2)
                main[byte][0][value & 0xFF] = main[byte][0][value & 0xFF] + .one
                main[byte][0][value >> 8] = main[byte][0][value >> 8] + .one
                r = padding
            }
            main[range][R.multiplicity][r!] = main[range][R.multiplicity][r!] + delta
        }
        for value in removing { try bump(value, -Goldilocks.one) }
        for value in adding { try bump(value, .one) }
    }

    static let logUpCheck = "LogUp sums do not cancel over the segments"
    static func outOfDomainCheck(_ table: String) -> String { "table \(table): constraints do not hold at the out-of-domain point" }

    /// Changes each cell of `table` in `rows` × `columns` by +1 and collects,
    /// per broken constraint family (or "bus balance"), the first change that
    /// breaks it, plus the rows of each column whose change breaks nothing.
    static func sweep(_ s: Setup, table index: Int, rows: Range<Int>, columns: Range<Int>) throws
        -> (families: [String: (column: Int, row: Int)], harmless: [Int: [Int]]) {
        let check = try TableCheck(s, table: index)
        var families = [String: (column: Int, row: Int)]()
        var harmless = [Int: [Int]]()
        for row in rows {
            for column in columns {
                var cells = s.witness.main[index]
                cells[column][row] = cells[column][row] + .one
                let broken = try check.broken(cells)
                if broken.isEmpty { harmless[column, default: []].append(row) }
                for f in broken where families[f] == nil { families[f] = (column, row) }
            }
        }
        return (families, harmless)
    }

    /// Every constraint family one table's changed main columns break, and
    /// "bus balance" when its LogUp sum no longer cancels against the other
    /// tables' and the statement's messages (fixed challenges).
    struct TableCheck {
        let setup: Setup
        let index: Int
        let challenges: [GoldilocksExt3]
        let others: GoldilocksExt3

        init(_ s: Setup, table index: Int) throws {
            let air = s.vmAir.air
            challenges = LogUpChallenges.vector(alpha: GoldilocksExt3(Goldilocks(91), Goldilocks(17), Goldilocks(5)),
                                                beta: GoldilocksExt3(Goldilocks(3), Goldilocks(77), Goldilocks(12)),
                                                maxMessageLength: air.maxMessageLength)
            // The other tables' sums and the statement's own messages (public I/O).
            var others = GoldilocksExt3.zero
            for message in s.witness.boundary() { others = others + (try message.contribution(challenges: challenges)) }
            for (t, table) in air.tables.enumerated() where t != index {
                others = others + (try LogUpTrace.build(table: table, main: s.witness.main[t], preprocessed: s.preprocessed[t],
                                                        challenges: challenges, publicValues: s.witness.publicValues,
                                                        threads: 1)).claimedSum
            }
            (setup, self.index, self.others) = (s, index, others)
        }

        func broken(_ cells: [[Goldilocks]]) throws -> [String] {
            let table = setup.vmAir.air.tables[index], preprocessed = setup.preprocessed[index]
            let (aux, claimed) = try LogUpTrace.build(table: table, main: cells, preprocessed: preprocessed,
                                                      challenges: challenges, publicValues: setup.witness.publicValues, threads: 1)
            var broken = DebugChecker.failingConstraints(table: table, main: cells, preprocessed: preprocessed,
                                                         auxiliary: aux, claimedSum: claimed, challenges: challenges,
                                                         publicValues: setup.witness.publicValues).map(\.constraint)
            if !(claimed + others).isZero { broken.append("bus balance") }
            return broken
        }
    }

    /// For each family, the recorded +1 change in `table` must give a
    /// rejected proof, rejected by the check that guards the family: a
    /// constraint family by the table's constraints at z; the bus balance by
    /// the LogUp sum, or at z when the same change also breaks a constraint
    /// (checked first).
    static func expectRejected(_ s: Setup, table: Int, families: [String: (column: Int, row: Int)]) {
        let name = s.vmAir.air.tables[table].name
        for (label, change) in families.sorted(by: { $0.key < $1.key }) {
            var main = s.witness.main
            main[table][change.column][change.row] = main[table][change.column][change.row] + .one
            let check = rejection(s, main: main)
            #expect(check != nil, "accepted a proof breaking '\(label)'")
            let expected = label == "bus balance" ? [logUpCheck, outOfDomainCheck(name)] : [outOfDomainCheck(name)]
            #expect(expected.contains(check ?? ""), "'\(label)' rejected by '\(check ?? "nothing")', expected \(expected)")
        }
    }

    /// The one-cell sweep of a table that runs a schedule one row per
    /// element (`ScheduledInstances`: copy, element) and of its code
    /// table's multiplicities: every constraint family but the two-row ones
    /// is reached, only the first padding row's non-schedule cells may change
    /// freely, and every reached family's proof is rejected by its check.
    static func sweepScheduledTable(_ s: Setup, table: VMTable, code: VMTable, width: Int, active: Int) throws {
        let index = s.vmAir.index(of: table)!
        let executed = s.witness.main[index][active].filter { $0 == .one }.count
        try #require(executed < s.witness.main[index][0].count, "the sweep needs a padding row")
        let (families, harmless) = try sweep(s, table: index, rows: 0..<(executed + 1), columns: 0..<width)
        let required = s.vmAir.air.tables[index].constraints.map(\.label).filter {
            !$0.hasPrefix("logup") && !ScheduledInstances.unreachableBySingleCells.contains($0)
        } + ["bus balance"]
        let missing = required.filter { families[$0] == nil }
        #expect(missing.isEmpty, "\(table) constraint families no single-cell change reached: \(missing)")
        let unexpected = harmless.filter { column, rows in column <= active || rows.contains { $0 < executed } }
        #expect(unexpected.isEmpty, "changes to \(table) cells (column: rows) \(unexpected) went unnoticed")
        expectRejected(s, table: index, families: families)
        let codeIndex = s.vmAir.index(of: code)!
        let (codeFamilies, _) = try sweep(s, table: codeIndex, rows: 0..<s.witness.main[codeIndex][0].count, columns: 0..<1)
        #expect(codeFamilies["bus balance"] != nil)
        expectRejected(s, table: codeIndex, families: codeFamilies)
    }

    @Test func honestWitnessVerifies() throws {
        let s = try Self.setup()
        #expect(Self.broken(s, main: s.witness.main) == nil)
        #expect(Self.proveAndVerify(s, main: s.witness.main))
    }

    /// Every CPU cell of every executed row, changed by +1. For each change
    /// the CPU constraints it breaks are collected (all of them, not just the
    /// first) and a change that breaks none must unbalance a bus. Then one
    /// proof per broken family (and one per bus) must be rejected.
    @Test func everyCPUConstraintFamilyRejectsAChangedCell() throws {
        let s = try Self.setup()
        let cpu = VMAir.TableIndex.cpu
        let air = s.vmAir.air
        let (byFamily, harmless) = try Self.sweep(s, table: cpu, rows: 0..<s.witness.steps, columns: 0..<CPUColumns.width)
        // (The tensor flag is covered by TensorSoundnessTests.)
        let tensorFlags = ["flag tensor is boolean"]
        // (The full-segment and non-last-segment families need a run in
        // several segments: VMSegmentTests reaches them.)
        let required = air.tables[cpu].constraints.map(\.label).filter {
            !$0.hasPrefix("logup") && !["first row is active", "a full trace ends in halt",
                                         "inactive rows stay inactive"].contains($0)
                && !VMSegmentTests.segmentFamilies.contains($0) && !tensorFlags.contains($0)
        } + ["bus balance"]
        let missing = required.filter { byFamily[$0] == nil }
        #expect(missing.isEmpty, "constraint families no single-cell change reached: \(missing)")
        // Cells a change may leave valid: helper columns unconstrained on
        // rows whose opcode does not use them, and an access's columns only
        // on rows where that access is off (the third without select, bnz,
        // bz, ld or st; the rd write on rows that write nothing).
        let helpers: Set<Int> = [CPUColumns.inverse, CPUColumns.less, CPUColumns.clampLow, CPUColumns.clampHigh,
                                 CPUColumns.clamped, CPUColumns.remainder, CPUColumns.pow, CPUColumns.half]
        let third: Set<Int> = [CPUColumns.cAddress, CPUColumns.vc, CPUColumns.cNew, CPUColumns.previousTimestamp + 2,
                               CPUColumns.timestampLimbs + 4, CPUColumns.timestampLimbs + 5]
        let write: Set<Int> = [CPUColumns.result, CPUColumns.rdOld, CPUColumns.previousTimestamp + 3,
                               CPUColumns.timestampLimbs + 6, CPUColumns.timestampLimbs + 7]
        let main = s.witness.main[cpu]
        func flagged(_ ops: [Opcode], _ row: Int) -> Bool { ops.contains { main[CPUColumns.flag($0)][row] == .one } }
        let unexpected = harmless.flatMap { column, rows in
            rows.filter { row in
                if helpers.contains(column) { return false }
                if third.contains(column) { return flagged(CPUColumns.readsRC + [.ld, .st], row) }
                if write.contains(column) { return flagged(CPUColumns.writers + CPUColumns.tensorOpcodes, row) }
                return true
            }.map { (row: Int) in "column \(column), row \(row)" }
        }
        #expect(unexpected.isEmpty, "changes to \(unexpected) went unnoticed")
        Self.expectRejected(s, table: cpu, families: byFamily)
    }

    /// A row's flags decide its instruction's kind and where its third
    /// access goes. An `add` row made a tensor row (its flag moved to the
    /// tensor flag, rd kept and range slot A cleared, so every CPU
    /// constraint holds) fetches the tensor class code, which the program
    /// has only at tensor instructions, and starts an instance nobody
    /// runs: only the buses reject it. A `bnz` row (not taken) made an `ld`
    /// turns its rc read into a memory access at va + imm, which the row's
    /// address, rc, does not match.
    @Test func flagsPinTheInstructionKind() throws {
        let s = try Self.setup()
        let cpu = VMAir.TableIndex.cpu
        var main = s.witness.main
        let add = try #require((0..<s.witness.steps).first { main[cpu][CPUColumns.flag(.add)][$0] == .one })
        main[cpu][CPUColumns.flag(.add)][add] = .zero
        main[cpu][CPUColumns.tensorFlag][add] = .one
        main[cpu][CPUColumns.result][add] = main[cpu][CPUColumns.rdOld][add]
        main[cpu][CPUColumns.slotLimbs][add] = .zero
        main[cpu][CPUColumns.slotLimbs + 1][add] = .zero
        #expect(Self.broken(s, main: main)?.hasPrefix("bus:") == true)
        #expect(Self.rejection(s, main: main) == Self.logUpCheck)

        // A select row made a st: the same cells, the third access now at
        // memory (space 0) instead of register rc.
        main = s.witness.main
        let select = try #require((0..<s.witness.steps).first { main[cpu][CPUColumns.flag(.select)][$0] == .one })
        main[cpu][CPUColumns.flag(.select)][select] = .zero
        main[cpu][CPUColumns.flag(.st)][select] = .one
        #expect(Self.broken(s, main: main) != nil)
        #expect(Self.rejection(s, main: main) == Self.outOfDomainCheck("cpu"))

        main = s.witness.main
        let bnz = try #require((0..<s.witness.steps).last { main[cpu][CPUColumns.flag(.bnz)][$0] == .one })
        #expect(main[cpu][CPUColumns.nonZeroC][bnz] == .zero)
        main[cpu][CPUColumns.flag(.bnz)][bnz] = .zero
        main[cpu][CPUColumns.flag(.ld)][bnz] = .one
        #expect(Self.broken(s, main: main) == "memory address")
        #expect(Self.rejection(s, main: main) == Self.outOfDomainCheck("cpu"))
    }

    @Test func multiplicityAndBoundaryChangesAreRejected() throws {
        let s = try Self.setup()
        let changes: [(String, Int, Int, Int, Goldilocks)] = [
            ("program fetch count", VMAir.TableIndex.program, 0, 3, .one),
            ("program fetch count −1", VMAir.TableIndex.program, 0, 2, -Goldilocks.one),
            ("range multiplicity", VMAir.TableIndex.range, RangeTable.Column.multiplicity, 0, .one),
            ("range multiplicity p−1", VMAir.TableIndex.range, RangeTable.Column.multiplicity, 1, -Goldilocks.one),
            ("byte multiplicity", VMAir.TableIndex.byte, 0, 7, .one),
            ("activation multiplicity", s.vmAir.activationIndex!, 0, 0, .one),
            ("memory final value", VMAir.TableIndex.memory, 1, 3, .one),
            ("memory final timestamp", VMAir.TableIndex.memory, 2, 3, .one),
            ("private input value", VMAir.TableIndex.memory, 0, 4, .one),
            ("register final value", VMAir.TableIndex.memory, 1, s.vmAir.memoryCells.count + 9, .one),
        ]
        for (label, table, column, row, delta) in changes {
            var main = s.witness.main
            main[table][column][row] = main[table][column][row] + delta
            #expect(Self.broken(s, main: main) != nil, "debug checker missed \(label)")
            // Multiplicities and boundary values are bus terms: the balance
            // rejects them, or the table's constraints at z first (a private
            // value's range limbs).
            let check = Self.rejection(s, main: main) ?? "accepted"
            #expect([Self.logUpCheck, Self.outOfDomainCheck(s.vmAir.air.tables[table].name)].contains(check), "\(label): \(check)")
        }
    }

    /// The range table's rows are the prover's, and a row's value is its two
    /// bytes: changing a used row's byte changes the value it receives, so
    /// only the range bus rejects it; a row whose "high byte" is 273 (value
    /// 70,000, 17 bits) on multiplicity 0 keeps the range bus balanced, and
    /// only the byte bus rejects it.
    @Test func rangeRowsAreTheirBytes() throws {
        let s = try Self.setup()
        typealias C = RangeTable.Column
        let range = VMAir.TableIndex.range, byte = VMAir.TableIndex.byte
        var main = s.witness.main
        let used = try #require(main[range][C.multiplicity].indices.first {
            !main[range][C.multiplicity][$0].isZero && main[range][C.high][$0] != Goldilocks(255)
        })
        let high = main[range][C.high][used]
        main[range][C.high][used] = high + .one
        // The byte table's counts follow the new byte, so only the range bus is off.
        main[byte][0][Int(high.value)] = main[byte][0][Int(high.value)] - .one
        main[byte][0][Int(high.value) + 1] = main[byte][0][Int(high.value) + 1] + .one
        #expect(Self.broken(s, main: main) != nil)
        #expect(Self.rejection(s, main: main) == Self.logUpCheck)

        let padding = try #require(main[range][C.multiplicity].lastIndex(of: .zero))
        main = s.witness.main
        main[range][C.low][padding] = Goldilocks(70_000 & 0xFF)
        main[range][C.high][padding] = Goldilocks(70_000 >> 8)
        // Keep the low byte's count honest: only the high byte is missing from the byte table.
        main[byte][0][0] = main[byte][0][0] - .one
        main[byte][0][70_000 & 0xFF] = main[byte][0][70_000 & 0xFF] + .one
        #expect(Self.broken(s, main: main) != nil)
        #expect(Self.rejection(s, main: main) == Self.logUpCheck)
    }

    /// A lookup input above its table's proven domain (but inside the
    /// 16-bit domain, where the table is constant) must be clamped: a prover
    /// that looks the raw input up instead — its result is the same number,
    /// every constraint holds and its range limbs are honest 16-bit values —
    /// finds no activation row, and only that bus rejects it.
    @Test func lookupsOutsideTheProvenDomainMustClamp() throws {
        let program = try Examples.assemble("""
        .output out [2] scale=4 public
        .table e exp in=4 out=4
            li r1, 1000
            lut r2, r1, e
            st r2, [out]
            li r1, 20
            lut r2, r1, e
            st r2, [out + 1]
            halt
        """)
        let vmAir = try VMAir(program: program)
        let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: [], maxSteps: 100)
        let s = Setup(program: program, vmAir: vmAir, witness: witness, preprocessed: vmAir.preprocessedColumns(statement: witness.statement))
        let domain = vmAir.activationDomains[0]
        #expect(domain.upperBound < 1000 && domain.upperBound > 20, "exp at 4 bits saturates to the largest value near 300")
        #expect(s.preprocessed[try #require(vmAir.activationIndex)][0].count < 1 << 16)
        #expect(Self.proveAndVerify(s, main: witness.main))
        let cpu = VMAir.TableIndex.cpu
        var main = witness.main
        let row = try #require(main[cpu][CPUColumns.va].indices.first {
            main[cpu][CPUColumns.flag(.lut)][$0] == .one && main[cpu][CPUColumns.va][$0] == Goldilocks(1000)
        })
        #expect(main[cpu][CPUColumns.clampHigh][row] == .one)
        // No clamp: clamped = va, slot A (the excess) 0, slot B = va − lo in two 16-bit limbs.
        main[cpu][CPUColumns.clampHigh][row] = .zero
        main[cpu][CPUColumns.clamped][row] = Goldilocks(1000)
        let slotB = Int(1000 - domain.lowerBound)
        #expect(slotB < 1 << 16)
        for (column, value) in [(CPUColumns.slotLimbs, 0), (CPUColumns.slotLimbs + 1, 0),
                                (CPUColumns.slotLimbs + 2, slotB & 0xFFFF), (CPUColumns.slotLimbs + 3, slotB >> 16)] {
            main[cpu][column][row] = Goldilocks(value)
        }
        // The range table counts the limbs the forged row sends instead of the honest ones.
        let honest = (CPUColumns.slotLimbs...(CPUColumns.slotLimbs + 3)).map { Int(witness.main[cpu][$0][row].value) }
        try Self.recountRange(&main, removing: honest, adding: [0, 0, slotB & 0xFFFF, slotB >> 16])
        // Every constraint holds (the checker names a broken constraint
        // before the balance); the range and byte counts are honest for the
        // forged limbs, so the activation bus is what is unbalanced.
        #expect(Self.broken(s, main: main)?.hasPrefix("bus") == true)
        #expect(Self.rejection(s, main: main) == Self.logUpCheck)
    }

    @Test func wrongPublicOutputsAndInputsAreRejected() throws {
        let s = try Self.setup()
        var statement = s.witness.statement
        // The statement is absorbed first: every challenge moves and z no longer fits the openings.
        statement.publicOutputs[0][2] += 1
        #expect(Self.rejection(s, main: s.witness.main, statement: statement)?.hasSuffix("constraints do not hold at the out-of-domain point") == true)
        statement = s.witness.statement
        statement.publicInputs[0][1] += 1
        #expect(Self.rejection(s, main: s.witness.main, statement: statement)?.hasSuffix("constraints do not hold at the out-of-domain point") == true)
    }

    /// A prover that binds a forged public output (or input) in its own
    /// transcript, with the honest witness: every constraint holds, and only
    /// the public-I/O bus — the memory table's sends against the statement's
    /// messages — can catch it.
    @Test func forgedPublicValuesUnbalanceThePublicIOBus() throws {
        let s = try Self.setup()
        let forgeries: [(String, (inout VMStatement) -> Void)] = [
            ("output", { $0.publicOutputs[0][2] += 1 }), ("input", { $0.publicInputs[0][1] += 1 }),
        ]
        for (label, forge) in forgeries {
            var statement = s.witness.statement
            forge(&statement)
            let input = ProverInput(air: s.vmAir.air, main: s.witness.main, preprocessed: s.preprocessed,
                                    publicValues: s.witness.publicValues, boundary: s.witness.boundary(statement),
                                    statement: s.witness.segmentStatement(statement))
            let proof = try Prover.prove(input, options: Self.options, checkWitness: false).proof
            let file = s.witness.file(proof.encoded(), statement: statement)
            #expect(throws: VMVerifierError.proof(.rejected(check: "LogUp sums do not cancel over the segments")), "forged \(label)") {
                _ = try VMVerifier.verify(file, program: s.program, policy: .insecureTesting)
            }
        }
        // The witnessed initial value of a public input cell, and a witnessed
        // value in a cell that is neither hidden nor a public input.
        let memory = VMAir.TableIndex.memory
        // Memory rows by address (the table's rows are `memoryCells`).
        func row(_ address: Int) -> Int { s.vmAir.memoryCells.firstIndex(of: address)! }
        let a = row(Int(s.program.tensor(named: "a")!.address) + 1) - 1, out = row(Int(s.program.tensor(named: "out")!.address))
        var changed = s.witness.main
        changed[memory][MemoryTable.Main.hiddenInitial][a + 1] = changed[memory][MemoryTable.Main.hiddenInitial][a + 1] + .one
        #expect(Self.broken(s, main: changed)?.hasPrefix("bus") == true)
        #expect(!Self.proveAndVerify(s, main: changed))
        changed = s.witness.main
        changed[memory][MemoryTable.Main.hiddenInitial][out] = .one
        #expect(Self.broken(s, main: changed) == "witnessed value only in hidden and public-input cells")
        #expect(!Self.proveAndVerify(s, main: changed))
    }

    @Test func activationTableEntryChangedIsRejected() throws {
        // A lying prover whose activation table differs in one entry: its
        // proof is checked against the verifier's own table.
        let s = try Self.setup()
        var preprocessed = s.preprocessed
        let used = s.witness.main[s.vmAir.activationIndex!][0].firstIndex { !$0.isZero }!
        preprocessed[s.vmAir.activationIndex!][2][used] = preprocessed[s.vmAir.activationIndex!][2][used] + .one
        var main = s.witness.main
        // The prover's CPU rows claim the changed output.
        let cpu = VMAir.TableIndex.cpu
        for row in 0..<s.witness.steps where main[cpu][CPUColumns.flag(.lut)][row] == .one
            && main[cpu][CPUColumns.clamped][row] == s.preprocessed[s.vmAir.activationIndex!][1][used] {
            main[cpu][CPUColumns.result][row] = preprocessed[s.vmAir.activationIndex!][2][used]
        }
        let input = ProverInput(air: s.vmAir.air, main: main, preprocessed: preprocessed, publicValues: s.witness.publicValues,
                                boundary: s.witness.boundary(), statement: s.witness.segmentStatement())
        let proof = try Prover.prove(input, options: Self.options, checkWitness: false).proof
        let file = s.witness.file(proof.encoded())
        #expect(throws: VMVerifierError.proof(.rejected(check: Self.outOfDomainCheck("program")))) { _ = try VMVerifier.verify(file, program: s.program, policy: .insecureTesting) }
    }

    /// Every cell of the memory boundary table changed by +1: every memory
    /// constraint family is reached, and a proof breaking each is rejected.
    @Test func everyMemoryConstraintFamilyRejectsAChangedCell() throws {
        let s = try Self.setup()
        let memory = VMAir.TableIndex.memory
        let rows = 0..<(s.vmAir.memoryCells.count + 16)
        let (families, _) = try Self.sweep(s, table: memory, rows: rows, columns: 0..<s.vmAir.air.tables[memory].mainWidth)
        let required = s.vmAir.air.tables[memory].constraints.map(\.label).filter { !$0.hasPrefix("logup") } + ["bus balance"]
        let missing = required.filter { families[$0] == nil }
        #expect(missing.isEmpty, "memory constraint families not reached: \(missing)")
        Self.expectRejected(s, table: memory, families: families)
    }

    /// One bit flipped at 400 spread positions of a whole `.zkp` file
    /// (statement and STARK proof): nothing is accepted, nothing traps.
    @Test func proofFileBitFlipsAreRejected() throws {
        let s = try Self.setup()
        let input = ProverInput(air: s.vmAir.air, main: s.witness.main, preprocessed: s.preprocessed, publicValues: s.witness.publicValues,
                                boundary: s.witness.boundary(), statement: s.witness.segmentStatement())
        let proof = try Prover.prove(input, options: Self.options, checkWitness: false).proof
        let bytes = s.witness.file(proof.encoded()).encoded()
        _ = try VMVerifier.verify(try VMProofFile.decode(bytes), program: s.program, policy: .insecureTesting)
        var accepted = [Int]()
        let step = max(1, bytes.count / 400)
        for i in stride(from: 0, to: bytes.count, by: step) {
            var mutated = bytes
            mutated[i] ^= UInt8(1 << (i % 8))
            if let file = try? VMProofFile.decode(mutated),
               (try? VMVerifier.verify(file, program: s.program, policy: .insecureTesting)) != nil {
                accepted.append(i)
            }
        }
        #expect(accepted.isEmpty, "accepted flips at bytes \(accepted.prefix(10)) of \(bytes.count)")
    }
}
