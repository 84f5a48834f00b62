import Field
import ISA
import VMArithmetization

/// The `weights` and `publicweights` tables' main columns (last segment):
/// each row's weights and how many `dot` rows of the whole run read it;
/// and the memory table's count of weights lanes per cell.
enum WeightsWitness {
    /// Per weights row (`DotCode.weightsRows`): how many `dot` rows of the
    /// whole run read it.
    /// - Parameter executions: per descriptor, how many times the run executed it.
    static func uses(code: DotCode, executions: [Int]) -> [Int] {
        var uses = [Int](repeating: 0, count: code.weightsRows.count)
        // Slot 0 always looks its row up (the bias or a read); a later slot only when it reads.
        for s in code.steps {
            for slot in 0..<DotProduct.slots where slot == 0 || s.readA[slot] { uses[s.weightsRow[slot]] += executions[s.descriptor] }
        }
        return uses
    }

    /// The `weights` table's columns (its rows: `WeightsTable.rows`).
    /// - Parameter range: the segment's range counts; a held lane's weight + 2^15 is added.
    static func columns(code: DotCode, image: [Int64], uses: [Int], logHeight: Int, range: inout [Int]) throws -> [[Goldilocks]] {
        let n = 1 << logHeight
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: WeightsTable.Main.width)
        for (row, id) in WeightsTable.rows(code).enumerated() {
            let weights = code.weightsRows[id]
            for l in 0..<weights.lanes {
                let value = image[Int(weights.base + Int64(l) * weights.stride)]
                columns[WeightsTable.Main.weights + l][row] = Goldilocks(value)
                if weights.held {
                    guard TensorDeclaration.fits(value, bits: 16) else {
                        throw VMArithmetizationError.witness("held weight \(value) outside its declared 16 bits")
                    }
                    range[Int(value + (1 << 15))] += 1
                }
            }
            columns[WeightsTable.Main.multiplicity][row] = Goldilocks(uses[id])
        }
        return columns
    }

    /// The `publicweights` table's multiplicity column (its rows: the held public weights rows, in order).
    static func publicColumn(code: DotCode, uses: [Int], logHeight: Int) -> [Goldilocks] {
        var column = [Goldilocks](repeating: .zero, count: 1 << logHeight)
        for (row, id) in PublicWeightsTable.rows(code).enumerated() {
            column[row] = Goldilocks(uses[id])
        }
        return column
    }

    /// Per memory cell: how many real weights lanes send its initial value.
    static func imageReads(code: DotCode, memorySize: Int) -> [Int] {
        var reads = [Int](repeating: 0, count: memorySize)
        for weights in code.weightsRows where !weights.held {
            for l in 0..<weights.lanes { reads[Int(weights.base + Int64(l) * weights.stride)] += 1 }
        }
        return reads
    }
}
