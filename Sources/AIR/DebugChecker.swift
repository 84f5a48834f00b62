import Field
import Parallel

/// Checks a witness against an AIR row by row, without any cryptography, and
/// names the first failing table, constraint and row. Run by tests and by the
/// prover in debug builds; a proof of an unsatisfied witness is rejected by
/// the verifier anyway, but this says *why*.
public enum DebugChecker {
    /// - Parameters:
    ///   - main / preprocessed: per table, its columns (all of the table's height).
    ///   - challenges: the LogUp challenge vector (any values work for a check;
    ///     random ones make an accidental pass negligible).
    public static func check(air: AIRDefinition, main: [[[Goldilocks]]], preprocessed: [[[Goldilocks]]],
                             publicValues: [Goldilocks], boundary: [BoundaryMessage],
                             challenges: [GoldilocksExt3]) throws(AIRError) {
        let total = try checkConstraints(air: air, main: main, preprocessed: preprocessed, publicValues: publicValues,
                                         boundary: boundary, challenges: challenges)
        if !total.isZero { throw .busImbalance(detail: "Σ claimed sums + boundary = \(total) ≠ 0") }
    }

    /// Every constraint of every table, without the final balance check:
    /// returns Σ claimed sums + boundary contributions (segments of one run
    /// cancel only together; Spec/proof-system.md §4).
    public static func checkConstraints(air: AIRDefinition, main: [[[Goldilocks]]], preprocessed: [[[Goldilocks]]],
                                        publicValues: [Goldilocks], boundary: [BoundaryMessage],
                                        challenges: [GoldilocksExt3]) throws(AIRError) -> GoldilocksExt3 {
        guard main.count == air.tables.count, preprocessed.count == air.tables.count else {
            throw .invalidShape(table: air.name, detail: "expected \(air.tables.count) tables of columns")
        }
        var total = GoldilocksExt3.zero
        for (t, table) in air.tables.enumerated() {
            _ = try checkShape(table, main: main[t], preprocessed: preprocessed[t])
            let (aux, claimed) = try LogUpTrace.build(table: table, main: main[t], preprocessed: preprocessed[t],
                                                      challenges: challenges, publicValues: publicValues, threads: 1)
            total = total + claimed
            if let failure = failingConstraints(table: table, main: main[t], preprocessed: preprocessed[t], auxiliary: aux,
                                                claimedSum: claimed, challenges: challenges, publicValues: publicValues,
                                                firstOnly: true).first {
                throw .constraintFailed(table: table.name, constraint: failure.constraint, row: failure.row)
            }
        }
        for message in boundary {
            guard let c = try? message.contribution(challenges: challenges) else {
                throw .busImbalance(detail: "boundary message on bus \(message.bus) has a zero denominator")
            }
            total = total + c
        }
        return total
    }

    /// Every constraint of `table` that fails on some row, with the first
    /// such row, in constraint order (row order with `firstOnly`, which stops
    /// at the first failure). `auxiliary` and `claimedSum` come from
    /// `LogUpTrace.build`.
    public static func failingConstraints(table: Table, main: [[Goldilocks]], preprocessed: [[Goldilocks]],
                                          auxiliary: [[GoldilocksExt3]], claimedSum: GoldilocksExt3,
                                          challenges: [GoldilocksExt3], publicValues: [Goldilocks],
                                          firstOnly: Bool = false) -> [(constraint: String, row: Int)] {
        let height = main.first?.count ?? preprocessed.first?.count ?? 0
        var first = [Goldilocks](repeating: .zero, count: height)
        var last = first
        var transition = [Goldilocks](repeating: .one, count: height)
        first[0] = .one
        last[height - 1] = .one
        transition[height - 1] = .zero
        let blockSize = 64
        var failedAt = [Int?](repeating: nil, count: table.constraints.count)
        var order = [Int]()
        EvaluationInputs.with(rowCount: height, nextOffset: 1, main: main, preprocessed: preprocessed,
                              auxiliary: auxiliary, selectors: [first, last, transition], challenges: challenges,
                              publicValues: publicValues, claimedSum: claimedSum) { inputs in
            let evaluator = BlockEvaluator(program: table.program, blockSize: blockSize)
            var start = 0
            scan: while start < height {
                let count = min(blockSize, height - start)
                evaluator.run(start: start, count: count, inputs: inputs)
                for r in 0..<count {
                    for j in table.constraints.indices where failedAt[j] == nil {
                        let zero = evaluator.baseRoot(j).map { $0[r].isZero } ?? evaluator.extensionRoot(j)![r].isZero
                        if !zero {
                            failedAt[j] = start + r
                            order.append(j)
                            if firstOnly { break scan }
                        }
                    }
                }
                start += count
            }
        }
        return order.map { (table.constraints[$0].label, failedAt[$0]!) }
    }

    /// Validates column counts and lengths; returns the common height (a power of two).
    public static func checkShape(_ table: Table, main: [[Goldilocks]], preprocessed: [[Goldilocks]]) throws(AIRError) -> Int {
        guard main.count == table.mainWidth, preprocessed.count == table.preprocessedWidth else {
            throw .invalidShape(table: table.name, detail: "expected \(table.mainWidth) main and \(table.preprocessedWidth) preprocessed columns, got \(main.count) and \(preprocessed.count)")
        }
        let height = main.first?.count ?? preprocessed.first?.count ?? 0
        guard height > 0, height & (height - 1) == 0 else {
            throw .invalidShape(table: table.name, detail: "height \(height) is not a positive power of two")
        }
        guard (main + preprocessed).allSatisfy({ $0.count == height }) else {
            throw .invalidShape(table: table.name, detail: "columns differ in length")
        }
        return height
    }
}
