import AIR
import Field
import ISA
import ProofFiles
import Prover
import Testing
@testable import VMArithmetization
import VMProver
import VMVerifier

/// Committed weights the weights table holds (Spec/vm-air.md §10a): which
/// tensors qualify (decided from the layout and code alone), that their
/// cells leave the memory table, that the proof still binds them to the
/// commitment, and that a changed held weight is rejected by the check
/// that owns it.
@Suite struct HeldWeightsTests {
    /// y = x·W + b with W [3, 18] and b committed at 16 bits (both held), then `extra`.
    static func source(extra: String = "", w: String = "committed", bits: String = "bits=16") -> String {
        """
        .input x [2, 3] scale=4 public
        .weights W [3, 18] scale=4 \(bits) \(w) raw [1, -2, 3, 4, -5, 6, 7, 8, -9, 10, 11, 12, -13, 14, 15, 16, -17, 18, \
        2, 3, -4, 5, 6, -7, 8, 9, 10, -11, 12, 13, 14, -15, 16, 17, 18, -19, \
        -3, 4, 5, -6, 7, 8, 9, -10, 11, 12, -13, 14, 15, 16, -17, 18, 19, 20]
        .weights b [18] scale=8 bits=16 committed raw [100, -200, 300, 0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, -17, 18]
        .buffer z [3] scale=4
        .output y [2, 18] scale=4 public
            matmul y, x, W, b
        \(extra)
            halt
        """
    }
    static let inputs: [[Int64]] = [[16, -40, 0, 200, -3, 0]]   // column 2 is 0: W's row t = 2 meets only zeros
    static let seed = [UInt8](repeating: 9, count: 32)

    static func held(_ source: String) throws -> [String] {
        let program = try Examples.assemble(source)
        let code = try VMAir(program: program).dotCode
        return program.tensors.indices.filter { code.heldTensors[$0] }.map { program.tensors[$0].name }
    }

    @Test func heldTensorsAreThoseOnlyWeightsLanesRead() throws {
        #expect(try Self.held(Self.source()) == ["W", "b"])
        // Another instruction reads W: it stays in memory.
        #expect(try Self.held(Self.source(extra: "    copy z, W, shape=[3], strides=[1]")) == ["b"])
        // The same matmul twice, or another one over the same cells, reads the same weights rows.
        #expect(try Self.held(Self.source(extra: "    matmul y, x, W, b")) == ["W", "b"])
        #expect(try Self.held(Self.source(extra: "    matmul y, x, W")) == ["W", "b"])
        // Another one over other rows of W (k = 2, B from W's second row) reads its cells in a second row.
        #expect(try Self.held(Self.source(extra: "    matmul z, x, W + 18, m=1, k=2, n=3, ars=3, brs=18")) == ["b"])
        // Public weights are held too (by the publicweights table), at any
        // width; committed ones only at 16 bits; private ones never.
        #expect(try Self.held(Self.source(w: "public")) == ["W", "b"])
        #expect(try Self.held(Self.source(w: "public", bits: "")) == ["W", "b"])
        #expect(try Self.held(Self.source(bits: "")) == ["b"])
        #expect(try Self.held(Self.source(w: "private")) == ["b"])
        // A row of W no lane reads (k = 2): W stays in memory.
        #expect(try Self.held(Self.source().replacingOccurrences(of: "matmul y, x, W, b", with: "matmul y, x, W, b, k=2, ars=3")) == ["b"])
        // ld/st or a register-shifted tensor instruction could reach any cell.
        #expect(try Self.held(Self.source(extra: "    ld r1, [x]")) == [])
        #expect(try Self.held(Self.source(extra: "    li r1, 0\n    map z + r1, z, relu")) == [])
    }

    /// The memory table has no row for a held cell; the proof (zero
    /// knowledge, committed weights) verifies against the commitment, and
    /// not against another one.
    @Test func heldCellsLeaveTheMemoryTableAndStayBound() throws {
        let program = try Examples.assemble(Self.source())
        let vmAir = try VMAir(program: program)
        let (w, b) = (program.tensor(named: "W")!, program.tensor(named: "b")!)
        let heldCells = Set(Int(w.address)..<(Int(w.address) + w.count)).union(Int(b.address)..<(Int(b.address) + b.count))
        #expect(vmAir.memoryCells == (0..<Int(program.memorySize)).filter { !heldCells.contains($0) })
        let memory = vmAir.preprocessedColumns(isLastSegment: true)[VMAir.TableIndex.memory]
        #expect(memory[1].prefix(vmAir.memoryCells.count).map { Int($0.value) } == vmAir.memoryCells)
        let options = VMSoundnessTests.options.with(zeroKnowledge: true)
        let file = try WeightsMatmulTests.prove(program, Self.inputs, options: options, seed: Self.seed)
        let other = try #require(try VMProver.commitment(program: program, seed: [UInt8](repeating: 8, count: 32)))
        let publicPart = program.publicPart
        #expect(throws: VMVerifierError.proof(.rejected(check: "the proof is for other weights than the published commitment"))) {
            _ = try VMVerifier.verify(file, program: publicPart, commitment: other, policy: .insecureTesting)
        }
    }

    static func setup() throws -> VMSoundnessTests.Setup {
        try VMSoundnessTests.setup(source: source(), inputs: inputs, seed: seed)
    }

    /// Every cell of the weights table: a changed weight, multiplicity or
    /// padding row is rejected (the weights, range and commitment buses, and
    /// the zero lanes beyond a held row's last).
    @Test func everyWeightsCellIsBound() throws {
        let s = try Self.setup()
        let index = s.vmAir.index(of: .weights)!
        let height = s.witness.main[index][0].count, real = s.vmAir.dotCode.weightsRows.count
        #expect(s.vmAir.dotCode.weightsRows.allSatisfy { $0.held })
        // W's rows have 16 and 2 lanes: lanes 2…15 of a 2-lane row are zero.
        #expect(s.vmAir.dotCode.weightsRows.contains { $0.lanes == 2 })
        // A padding row's weights are free (never read).
        // Lane 1 is in every row (16 or 2 lanes), so its zero constraint —
        // the same form as lane 2's — has nothing to catch here.
        try DotSoundnessTests.check(s, table: index, rows: 0..<height, width: s.vmAir.air.tables[index].mainWidth,
                                    unreachable: ["held row's lane 1 is zero beyond its lanes"], mayBeFree: { row, column in
                                        row >= real && column < WeightsTable.Main.multiplicity
                                    })
    }

    /// The setup, the dot and weights tables' indices, and the weights row
    /// whose lane 0 is W's cell `offset`, with its position in the table.
    static func weightsRow(offset: Int64) throws -> (VMSoundnessTests.Setup, dot: Int, weights: Int, row: Int, position: Int) {
        let s = try setup()
        let w = s.program.tensor(named: "W")!.address
        let row = try #require(s.vmAir.dotCode.weightsRows.firstIndex { $0.base == w + offset })
        let position = try #require(WeightsTable.rows(s.vmAir.dotCode).firstIndex(of: row))
        return (s, s.vmAir.index(of: .dot)!, s.vmAir.index(of: .weights)!, row, position)
    }

    /// A prover that claims another held weight everywhere it is used (the
    /// weights row and every dot slot that reads it, whose activations are
    /// all 0) keeps every constraint, the weights and the range bus; only
    /// the commitment bus, against the absorbed element, catches it.
    @Test func aConsistentlyForgedHeldWeightUnbalancesTheCommitmentBus() throws {
        let (s, dot, weights, row, position) = try Self.weightsRow(offset: 2 * 18)
        var main = s.witness.main
        // W[2, 0] = −3 → −2: its range value 2^15 − 3 → 2^15 − 2, recounted in the range table.
        #expect(main[weights][WeightsTable.Main.weights][position] == -Goldilocks(3))
        try VMSoundnessTests.recountRange(&main, removing: [(1 << 15) - 3], adding: [(1 << 15) - 2])
        #expect(DotSoundnessTests.forgeLaneZero(&main, code: s.vmAir.dotCode, dot: dot, weights: weights, row: row) == 2)   // two rows of x
        #expect(VMSoundnessTests.broken(s, main: main)?.hasPrefix("bus") == true, "every constraint holds")
        #expect(VMSoundnessTests.rejection(s, main: main) == VMSoundnessTests.logUpCheck)
    }

    /// Packing is injective only with every lane in 16 bits: a prover that
    /// moves 2^16 from lane 1 into lane 0 (W[2, 0] + 2^16, W[2, 1] − 1)
    /// leaves the packed element — and so the commitment bus — unchanged,
    /// and forges the dot slots too (their activations are 0); every
    /// constraint holds, and only the range bus, which has no row for
    /// W[2, 0] + 2^16 + 2^15, rejects the proof.
    @Test func aCarryBetweenPackedLanesIsCaughtByTheRangeBus() throws {
        let (s, dot, weights, row, position) = try Self.weightsRow(offset: 2 * 18)
        var main = s.witness.main
        func lanes() -> [Int64] {
            (0..<3).map { main[weights][WeightsTable.Main.weights + $0][position].signedValue }
        }
        let honest = lanes()
        #expect(honest == [-3, 4, 5])
        let carry = Goldilocks(1 << 16)
        main[weights][WeightsTable.Main.weights][position] = main[weights][WeightsTable.Main.weights][position] + carry
        main[weights][WeightsTable.Main.weights + 1][position] = main[weights][WeightsTable.Main.weights + 1][position] - .one
        #expect(DotSoundnessTests.forgeDotSlots(&main, dot: dot, row: row, lane: 0, by: carry) == 2)
        #expect(DotSoundnessTests.forgeDotSlots(&main, dot: dot, row: row, lane: 1, by: -.one) == 2)
        // Lane 1 stays in 16 bits and is recounted; lane 0's 2^15 − 3 + 2^16 has no range row.
        try VMSoundnessTests.recountRange(&main, removing: [(1 << 15) + 4], adding: [(1 << 15) + 3])
        // The absorbed element is the same: the commitment bus balances.
        let element = Goldilocks(honest[0]) + carry + Goldilocks(1 << 16) * Goldilocks(honest[1] - 1 + (1 << 15))
            + Goldilocks(1 << 32) * Goldilocks(honest[2] + (1 << 15))
        #expect(element == CommitmentTable.element(honest))
        #expect(VMSoundnessTests.broken(s, main: main)?.hasPrefix("bus") == true, "every constraint holds")
        #expect(VMSoundnessTests.rejection(s, main: main) == VMSoundnessTests.logUpCheck)
    }

    /// Lanes beyond a held row's last have no range check: a prover that
    /// changes lane 0 of a 2-lane row (W[2, 16]) and hides the difference in
    /// lane 2 (packed element, weights bus and range counts all kept,
    /// the dot slots forged too) is caught by the zero-lane constraint.
    @Test func aLaneBeyondAHeldRowsLastCannotAbsorbAChange() throws {
        let (s, dot, weights, row, position) = try Self.weightsRow(offset: 2 * 18 + 16)
        #expect(s.vmAir.dotCode.weightsRows[row].lanes == 2)
        var main = s.witness.main
        let lane0 = main[weights][WeightsTable.Main.weights][position]
        #expect(lane0 == Goldilocks(19) && main[weights][WeightsTable.Main.weights + 2][position] == .zero)
        // Lane 0: 19 → 20 (recounted); lane 2 takes −1/2^32, so the element is unchanged.
        let compensation = -(try Goldilocks(1 << 32).inverse())
        main[weights][WeightsTable.Main.weights][position] = lane0 + .one
        main[weights][WeightsTable.Main.weights + 2][position] = compensation
        #expect(lane0 + .one + Goldilocks(1 << 32) * compensation == lane0)
        try VMSoundnessTests.recountRange(&main, removing: [(1 << 15) + 19], adding: [(1 << 15) + 20])
        #expect(DotSoundnessTests.forgeDotSlots(&main, dot: dot, row: row, lane: 0, by: .one) == 2)
        #expect(DotSoundnessTests.forgeDotSlots(&main, dot: dot, row: row, lane: 2, by: compensation) == 2)
        // Every bus balances: only the constraint stands in the way.
        #expect(try Self.busesBalance(s, main: main))
        #expect(VMSoundnessTests.broken(s, main: main) == "held row's lane 2 is zero beyond its lanes")
        #expect(VMSoundnessTests.rejection(s, main: main) == VMSoundnessTests.outOfDomainCheck("weights"))
    }

    /// Whether the LogUp sums of every table of `main` and the statement's
    /// own messages cancel (the buses balance, whatever the constraints say).
    static func busesBalance(_ s: VMSoundnessTests.Setup, main: [[[Goldilocks]]]) throws -> Bool {
        let air = s.vmAir.air
        let challenges = LogUpChallenges.vector(alpha: GoldilocksExt3(Goldilocks(91), Goldilocks(17), Goldilocks(5)),
                                                beta: GoldilocksExt3(Goldilocks(3), Goldilocks(77), Goldilocks(12)),
                                                maxMessageLength: air.maxMessageLength)
        var total = GoldilocksExt3.zero
        for message in s.witness.boundary() { total = total + (try message.contribution(challenges: challenges)) }
        for (t, table) in air.tables.enumerated() {
            total = total + (try LogUpTrace.build(table: table, main: main[t], preprocessed: s.preprocessed[t],
                                                  challenges: challenges, publicValues: s.witness.publicValues,
                                                  threads: 1)).claimedSum
        }
        return total.isZero
    }

    /// Units cover every committed cell once, three lanes of a held row to
    /// an element; the packing is injective over 16-bit lanes.
    @Test func unitsCoverTheCommittedCellsOnce() throws {
        let program = try Examples.assemble(Self.source(extra: "    copy z, b, shape=[3], strides=[1]"))
        let code = try VMAir(program: program).dotCode
        #expect(code.heldTensors[program.tensors.firstIndex { $0.name == "W" }!])
        #expect(!code.heldTensors[program.tensors.firstIndex { $0.name == "b" }!])
        let units = CommitmentTable.units(program, code: code)
        let committed = program.committedWeights.flatMap { t in (0..<t.count).map { Int(t.address) + $0 } }
        #expect(units.flatMap(\.cells).sorted() == committed)
        // W: 3 rows of 16 lanes (6 units) and 3 of 2 (1 unit); b: 18 single cells.
        #expect(units.count == 3 * 6 + 3 + 18)
        #expect(units.filter { $0.cells.count == 3 }.count == 15)
        let extremes: [Int64] = [-(1 << 15), -1, 0, 1, (1 << 15) - 1]
        var seen = Set<UInt64>()
        for a in extremes { for b in extremes { for c in extremes { seen.insert(CommitmentTable.element([a, b, c]).value) } } }
        #expect(seen.count == extremes.count * extremes.count * extremes.count)
    }

    /// The prover's preprocessed held flags differ from the verifier's: the key's roots reject them.
    @Test func heldFlagsAreTheVerifiers() throws {
        let s = try Self.setup()
        let index = s.vmAir.index(of: .weights)!
        for (column, row) in [(WeightsTable.Fixed.held, 0), (WeightsTable.Fixed.real + 1, 0)] {
            try DotSoundnessTests.expectKeyRejects(s, table: index, column: column, row: row)
        }
    }
}
