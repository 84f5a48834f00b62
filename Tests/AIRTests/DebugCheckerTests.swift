import AIR
import Field
import Testing

@Suite struct DebugCheckerTests {
    func fibonacci() throws -> AIRDefinition {
        var t = TableBuilder(name: "fib", mainWidth: 2)
        t.assertOnTransition("a' = b", .mainNext(0) - .main(1))
        t.assertOnTransition("b' = a + b", .mainNext(1) - .main(0) - .main(1))
        t.assertOnFirstRow("a(0) = 1", .main(0) - 1)
        return try AIRDefinition(name: "fib", tables: [t.build()], publicValueCount: 0)
    }

    func witness(_ n: Int) -> [[Goldilocks]] {
        var a = [Goldilocks](), b = [Goldilocks]()
        var x = Goldilocks.one, y = Goldilocks.one
        for _ in 0..<n { a.append(x); b.append(y); (x, y) = (y, x + y) }
        return [a, b]
    }

    let challenges = LogUpChallenges.vector(alpha: GoldilocksExt3(Goldilocks(5), Goldilocks(9), Goldilocks(2)),
                                            beta: GoldilocksExt3(Goldilocks(3), Goldilocks(1), Goldilocks(4)),
                                            maxMessageLength: 2)

    @Test func namesTheFirstFailingRowAndConstraint() throws {
        let air = try fibonacci()
        try DebugChecker.check(air: air, main: [witness(16)], preprocessed: [[]], publicValues: [], boundary: [],
                               challenges: challenges)
        var bad = witness(16)
        bad[1][5] = bad[1][5] + .one
        #expect(throws: AIRError.constraintFailed(table: "fib", constraint: "b' = a + b", row: 4)) {
            try DebugChecker.check(air: air, main: [bad], preprocessed: [[]], publicValues: [], boundary: [],
                                   challenges: challenges)
        }
    }

    @Test func degreeAboveTheLimitIsRefused() {
        var t = TableBuilder(name: "cubic", mainWidth: 1)
        t.assertOnTransition("too high", .main(0) * .main(0) * .main(0))
        #expect(throws: AIRError.self) { _ = try t.build() }
    }

    @Test func unknownColumnsAreRefused() {
        var t = TableBuilder(name: "t", mainWidth: 1)
        t.assertZero("bad", .main(3))
        #expect(throws: AIRError.self) { _ = try t.build() }
    }

    @Test func lookupImbalanceIsReported() throws {
        var sender = TableBuilder(name: "sender", mainWidth: 1)
        sender.send("x", bus: 1, [.main(0)])
        var receiver = TableBuilder(name: "receiver", mainWidth: 2)
        receiver.receive("x", bus: 1, [.main(0)], multiplicity: .main(1))
        let air = try AIRDefinition(name: "bus", tables: [sender.build(), receiver.build()], publicValueCount: 0)
        let values = (0..<8).map { Goldilocks($0 % 4) }
        let table = (0..<8).map { Goldilocks($0) }
        let good = (0..<8).map { Goldilocks($0 < 4 ? 2 : 0) }
        try DebugChecker.check(air: air, main: [[values], [table, good]], preprocessed: [[], []], publicValues: [],
                               boundary: [], challenges: challenges)
        var bad = good
        bad[2] = Goldilocks(3)
        #expect(throws: AIRError.self) {
            try DebugChecker.check(air: air, main: [[values], [table, bad]], preprocessed: [[], []], publicValues: [],
                                   boundary: [], challenges: challenges)
        }
    }

    /// A blinded table with one interaction keeps its fraction in the
    /// running sum (no chunk column); each of its three sum constraints
    /// rejects a changed sum cell, and a changed multiplicity breaks the
    /// steps once the sum is recomputed only by the bus.
    @Test func aFoldedRunningSumIsChecked() throws {
        var receiver = TableBuilder(name: "receiver", mainWidth: 2)
        receiver.receive("x", bus: 1, [.main(0)], multiplicity: .main(1))
        let folded = try receiver.build(blinded: true)
        #expect(folded.foldsSum && folded.auxiliaryWidth == 1)
        // Unblinded, its constraints stay at degree 2: it keeps the chunk column.
        let plain = try receiver.build()
        #expect(!plain.foldsSum && plain.auxiliaryWidth == 2 && plain.degreeLimit == 2)
        let table = (0..<8).map { Goldilocks($0) }
        let multiplicity = (0..<8).map { Goldilocks($0 < 4 ? 2 : 0) }
        let blind = (0..<8).map { Goldilocks(100 + $0) }
        let main = [table, multiplicity, blind]
        let (aux, claimed) = try LogUpTrace.build(table: folded, main: main, preprocessed: [], challenges: challenges,
                                                  publicValues: [], threads: 1)
        #expect(aux.count == 1)
        // The claimed sum is Σ m/d plus the blind, as with a chunk column.
        let (plainAux, plainClaimed) = try LogUpTrace.build(table: plain, main: Array(main.prefix(2)), preprocessed: [],
                                                            challenges: challenges, publicValues: [], threads: 1)
        let blindSum = GoldilocksExt3(blind[0]) + challenges[1] * blind[1] + challenges[2] * blind[7]
        #expect(plainAux.count == 2 && claimed == plainClaimed + blindSum)
        func failing(_ aux: [[GoldilocksExt3]], _ main: [[Goldilocks]] = main) -> [String] {
            DebugChecker.failingConstraints(table: folded, main: main, preprocessed: [], auxiliary: aux, claimedSum: claimed,
                                            challenges: challenges, publicValues: []).map(\.constraint)
        }
        #expect(failing(aux).isEmpty)
        for (row, expected) in [(0, ["logup running sum starts", "logup running sum steps"]), (3, ["logup running sum steps"]),
                                (7, ["logup running sum steps", "logup running sum ends"])] {
            var bad = aux
            bad[0][row] = bad[0][row] + .one
            #expect(failing(bad) == expected, "row \(row)")
        }
        var heavier = main
        heavier[1][2] = heavier[1][2] + .one
        #expect(failing(aux, heavier) == ["logup running sum steps"])
    }
}
