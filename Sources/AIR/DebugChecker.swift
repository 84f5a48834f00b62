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
        guard main.count == air.tables.count, preprocessed.count == air.tables.count else {
            throw .invalidShape(table: air.name, detail: "expected \(air.tables.count) tables of columns")
        }
        var total = GoldilocksExt3.zero
        for (t, table) in air.tables.enumerated() {
            let height = try checkShape(table, main: main[t], preprocessed: preprocessed[t])
            let (aux, claimed) = try LogUpTrace.build(table: table, main: main[t], preprocessed: preprocessed[t],
                                                      challenges: challenges, publicValues: publicValues, threads: 1)
            total = total + claimed
            var first = [Goldilocks](repeating: .zero, count: height)
            var last = first
            var transition = [Goldilocks](repeating: .one, count: height)
            first[0] = .one
            last[height - 1] = .one
            transition[height - 1] = .zero
            let blockSize = 64
            var failure: (row: Int, constraint: Int)?
            withPointers(main[t]) { m in
                withPointers(preprocessed[t]) { p in
                    withPointers(aux) { a in
                        withPointers([first, last, transition]) { s in
                            let inputs = EvaluationInputs(rowCount: height, nextOffset: 1, main: m, preprocessed: p,
                                                          auxiliary: a, selectors: s, challenges: challenges,
                                                          publicValues: publicValues, claimedSum: claimed)
                            let evaluator = BlockEvaluator(program: table.program, blockSize: blockSize)
                            var start = 0
                            while start < height, failure == nil {
                                let count = min(blockSize, height - start)
                                evaluator.run(start: start, count: count, inputs: inputs)
                                rows: for r in 0..<count {
                                    for j in table.constraints.indices {
                                        let zero = evaluator.baseRoot(j).map { $0[r].isZero } ?? evaluator.extensionRoot(j)![r].isZero
                                        if !zero { failure = (start + r, j); break rows }
                                    }
                                }
                                start += count
                            }
                        }
                    }
                }
            }
            if let failure {
                throw .constraintFailed(table: table.name, constraint: table.constraints[failure.constraint].label, row: failure.row)
            }
        }
        for message in boundary {
            guard let c = try? message.contribution(challenges: challenges) else {
                throw .busImbalance(detail: "boundary message on bus \(message.bus) has a zero denominator")
            }
            total = total + c
        }
        if !total.isZero { throw .busImbalance(detail: "Σ claimed sums + boundary = \(total) ≠ 0") }
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
