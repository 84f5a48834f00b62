import AIR
import Field
import Prover
import Verifier

/// Small AIRs that exercise every mechanism of the proof system: transition
/// and boundary constraints, public values, preprocessed columns, lookups
/// with multiplicities, a permutation between tables of different heights,
/// and a statement message on a bus.
enum ToyAIRs {
    /// Fibonacci: (a, b) → (b, a + b); a(0) = pv0, b(0) = pv1, b(n−1) = pv2.
    static func fibonacci() throws -> AIRDefinition {
        var t = TableBuilder(name: "fibonacci", mainWidth: 2)
        t.assertOnTransition("a' = b", .mainNext(0) - .main(1))
        t.assertOnTransition("b' = a + b", .mainNext(1) - .main(0) - .main(1))
        t.assertOnFirstRow("a(0) = pv0", .main(0) - .publicValue(0))
        t.assertOnFirstRow("b(0) = pv1", .main(1) - .publicValue(1))
        t.assertOnLastRow("b(n-1) = pv2", .main(1) - .publicValue(2))
        return try AIRDefinition(name: "fibonacci", tables: [t.build(publicValueCount: 3)], publicValueCount: 3)
    }

    static func fibonacciWitness(logHeight: Int) -> (main: [[Goldilocks]], publicValues: [Goldilocks]) {
        let n = 1 << logHeight
        var a = [Goldilocks](), b = [Goldilocks]()
        var x = Goldilocks.one, y = Goldilocks.one
        for _ in 0..<n { a.append(x); b.append(y); (x, y) = (y, x + y) }
        return ([a, b], [.one, .one, b[n - 1]])
    }

    static let rangeBus = 1
    static let linkBus = 2

    /// Three tables:
    /// - `values` (height n): columns v, w, s with w = v², s a selector; sends
    ///   v and w to the range table, sends (v, w) on the link bus when s = 1;
    /// - `range` (height 256): preprocessed column 0…255, main column =
    ///   multiplicity, receives lookups;
    /// - `sink` (height m): receives (v, w) pairs on the link bus with
    ///   multiplicity column k; the statement sends one extra pair (pv0, pv1)
    ///   that `sink` must also receive.
    static func lookups() throws -> AIRDefinition {
        var values = TableBuilder(name: "values", mainWidth: 3)
        values.assertZero("w = v^2", .main(1) - .main(0) * .main(0))
        values.assertBoolean("s is boolean", .main(2))
        values.send("v in range", bus: rangeBus, [.main(0)])
        values.send("w in range", bus: rangeBus, [.main(1)])
        values.send("link (v, w)", bus: linkBus, [.main(0), .main(1)], multiplicity: .main(2))

        var range = TableBuilder(name: "range", mainWidth: 1, preprocessedWidth: 1)
        range.receive("range table", bus: rangeBus, [.fixed(0)], multiplicity: .main(0))

        var sink = TableBuilder(name: "sink", mainWidth: 3)
        sink.receive("link sink", bus: linkBus, [.main(0), .main(1)], multiplicity: .main(2))
        return try AIRDefinition(name: "lookups", tables: [
            values.build(publicValueCount: 2), range.build(publicValueCount: 2), sink.build(publicValueCount: 2),
        ], publicValueCount: 2)
    }

    struct LookupWitness {
        var main: [[[Goldilocks]]]
        var preprocessed: [[[Goldilocks]]]
        var publicValues: [Goldilocks]
        var boundary: [BoundaryMessage]
    }

    static func lookupWitness(logHeight: Int, logSink: Int) -> LookupWitness {
        let n = 1 << logHeight, m = 1 << logSink
        var v = [Goldilocks](), w = [Goldilocks](), s = [Goldilocks]()
        var counts = [Int](repeating: 0, count: 256)
        var pairs = [(Int, Int)]()
        for i in 0..<n {
            let x = (i * 7 + 3) % 16
            v.append(Goldilocks(x)); w.append(Goldilocks(x * x))
            counts[x] += 1; counts[x * x] += 1
            let selected = i % 3 == 0 && pairs.count < m - 1
            s.append(selected ? .one : .zero)
            if selected { pairs.append((x, x * x)) }
        }
        let publicPair = (5, 25)
        // Sink rows: one per distinct pair with its count, padded with zero multiplicity.
        var sinkCounts = [String: (Int, Int, Int)]()
        for p in pairs + [publicPair] { sinkCounts["\(p.0),\(p.1)", default: (p.0, p.1, 0)].2 += 1 }
        var a = [Goldilocks](), b = [Goldilocks](), k = [Goldilocks]()
        for (_, entry) in sinkCounts.sorted(by: { $0.key < $1.key }) {
            a.append(Goldilocks(entry.0)); b.append(Goldilocks(entry.1)); k.append(Goldilocks(entry.2))
        }
        while a.count < m { a.append(.zero); b.append(.zero); k.append(.zero) }
        let boundary = [BoundaryMessage(bus: linkBus, multiplicity: .one,
                                        message: [Goldilocks(publicPair.0), Goldilocks(publicPair.1)])]
        return LookupWitness(
            main: [[v, w, s], [counts.map { Goldilocks($0) }], [a, b, k]],
            preprocessed: [[], [(0..<256).map { Goldilocks($0) }], []],
            publicValues: [Goldilocks(publicPair.0), Goldilocks(publicPair.1)],
            boundary: boundary)
    }

    static func proverInput(_ air: AIRDefinition, _ w: LookupWitness, statement: [UInt8] = [1, 2, 3]) -> ProverInput {
        ProverInput(air: air, main: w.main, preprocessed: w.preprocessed, publicValues: w.publicValues,
                    boundary: w.boundary, statement: statement)
    }

    static func verifierInput(_ air: AIRDefinition, _ w: LookupWitness, statement: [UInt8] = [1, 2, 3]) -> VerifierInput {
        VerifierInput(air: air, preprocessed: w.preprocessed, publicValues: w.publicValues,
                      boundary: w.boundary, statement: statement)
    }
}
