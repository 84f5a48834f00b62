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
}
