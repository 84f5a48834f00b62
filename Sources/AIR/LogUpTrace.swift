import Field
import Parallel
import Synchronization

/// Builds a table's auxiliary (LogUp) columns from its main and preprocessed
/// columns once the challenges α, β are known (see `Table` for the layout).
public enum LogUpTrace {
    /// Returns the auxiliary columns (each `height` extension values: the
    /// chunk columns and the running sum, or the sum alone when the table
    /// `foldsSum`) and the
    /// claimed sum Σ_rows Σ_interactions m/d, plus the blind
    /// b(0) + b(1)·β + b(n−1)·β² of a blinded table (S(n−1) is the claimed
    /// sum less b(n−1)·β²).
    ///
    /// - Throws: `AIRError.zeroDenominator` if some α − fp(message) vanishes
    ///   (probability ≤ rows·interactions·(w+1)/|F³| over the challenges).
    public static func build(table: Table, main: [[Goldilocks]], preprocessed: [[Goldilocks]],
                             challenges: [GoldilocksExt3], publicValues: [Goldilocks],
                             threads: Int = Parallel.defaultThreads) throws(AIRError) -> (columns: [[GoldilocksExt3]], claimedSum: GoldilocksExt3) {
        guard !table.interactions.isEmpty else { return ([], .zero) }
        let n = main.first?.count ?? preprocessed.first?.count ?? 0
        let chunkCount = table.chunks.count
        // Root offsets: interaction k's multiplicity is root offsets[k], its message follows.
        var offsets = [Int]()
        var next = 0
        for interaction in table.interactions { offsets.append(next); next += 1 + interaction.message.count }

        let blockSize = 128
        let blocks = (n + blockSize - 1) / blockSize
        let storage = LargeBuffers.allocate(GoldilocksExt3.self, capacity: max(1, chunkCount * n))
        defer { storage.deallocate() }
        let output = SharedMutablePointer(storage)
        let failure = Mutex<Int?>(nil)
        EvaluationInputs.with(rowCount: n, nextOffset: 1, main: main, preprocessed: preprocessed, auxiliary: [],
                              selectors: nil, challenges: challenges, publicValues: publicValues, claimedSum: .zero) { inputs in
            Parallel.forEachChunk(blocks, threads: threads) { range in
                let evaluator = BlockEvaluator(program: table.interactionProgram, blockSize: blockSize)
                let k = table.interactions.count
                var inverses = [GoldilocksExt3](repeating: .zero, count: k * blockSize)
                var prefix = [GoldilocksExt3](repeating: .zero, count: k * blockSize)
                for block in range {
                    let start = block * blockSize
                    let count = min(blockSize, n - start)
                    evaluator.run(start: start, count: count, inputs: inputs)
                    // d = α − (bus + Σ β^{i+1} m_i), packed: interaction j, row r at j·count + r.
                    for (j, interaction) in table.interactions.enumerated() {
                        let first = challenges[0] - Goldilocks(interaction.bus)
                        for r in 0..<count { inverses[j * count + r] = first }
                        for i in 0..<interaction.message.count {
                            let part = evaluator.baseRoot(offsets[j] + 1 + i)!
                            let beta = challenges[i + 1]
                            for r in 0..<count { inverses[j * count + r] = inverses[j * count + r] - beta * part[r] }
                        }
                    }
                    // Montgomery batch inversion of the k·count denominators.
                    let total = k * count
                    var acc = GoldilocksExt3.one
                    for i in 0..<total { prefix[i] = acc; acc = acc * inverses[i] }
                    guard var inv = try? acc.inverse() else {
                        failure.withLock { if $0 == nil || start < $0! { $0 = start } }
                        continue
                    }
                    var i = total - 1
                    while i >= 0 {
                        let d = inverses[i]
                        inverses[i] = inv * prefix[i]
                        inv = inv * d
                        i -= 1
                    }
                    for (c, chunk) in table.chunks.enumerated() {
                        let out = output.base + c * n + start
                        for r in 0..<count { out[r] = .zero }
                        for j in chunk {
                            let m = evaluator.baseRoot(offsets[j])!
                            for r in 0..<count { out[r] = out[r] + inverses[j * count + r] * m[r] }
                        }
                    }
                }
            }
        }
        if let row = failure.withLock({ $0 }) { throw .zeroDenominator(table: table.name, row: row) }
        var columns = (0..<chunkCount).map { c in Array(UnsafeBufferPointer(start: storage + c * n, count: n)) }
        columns.append([GoldilocksExt3](repeating: .zero, count: n))
        // Running sum, from a blinded table's b(0) + b(1)·β.
        var running = GoldilocksExt3.zero
        if let b = table.blindingColumn, n > 1 {
            running = GoldilocksExt3(main[b][0]) + challenges[1] * main[b][1]
        }
        for r in 0..<n {
            for c in 0..<chunkCount { running = running + columns[c][r] }
            columns[chunkCount][r] = running
        }
        // A table that folds its one chunk into the sum commits the sum alone.
        if table.foldsSum { columns.removeFirst(chunkCount) }
        // A blinded table claims its running sum plus b(n−1)·β².
        if let b = table.blindingColumn, n > 1 { return (columns, running + challenges[2] * main[b][n - 1]) }
        return (columns, running)
    }
}

