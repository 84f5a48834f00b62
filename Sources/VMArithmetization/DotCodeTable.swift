import AIR
import Field
import ISA

/// The `dotcode` table: every weights matmul's static schedule
/// (preprocessed, `DotCode`), one row per schedule row, with two
/// multiplicities: `dot` rows look up the row's fields, `dotoutput` rows a
/// group end's output fields (Spec/vm-air.md §10).
enum DotCodeTable: VMTableComponent {
    /// Preprocessed: the `DotStep.fields`, then the output fields with the
    /// id replaced by −1 on rows that end no group (so no output row matches them).
    enum Fixed {
        static let outputs = DotStep.fieldCount
        static let width = DotStep.fieldCount + DotStep.outputFieldCount
    }
    enum Main { static let steps = 0, outputs = 1, width = 2 }

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "dotcode", mainWidth: Main.width, preprocessedWidth: Fixed.width)
        t.receive("schedule row", bus: Bus.dotcode, (0..<DotStep.fieldCount).map { .fixed($0) }, multiplicity: .main(Main.steps))
        t.receive("group outputs", bus: Bus.dotOutputCode, (0..<DotStep.outputFieldCount).map { .fixed(Fixed.outputs + $0) },
                  multiplicity: .main(Main.outputs))
        return try t.build(blinded: blinded)
    }

    /// One row per schedule row; padding rows have descriptor −1 and
    /// output id −1, so no executed row can match them.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        let steps = air.dotCode.steps
        let n = 1 << air.dotcodeLogHeight
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Fixed.width)
        for (row, step) in steps.enumerated() {
            for (k, v) in step.fields.enumerated() { columns[k][row] = Goldilocks(Int(v)) }
            if step.groupEnd {
                for (k, v) in step.outputFields.enumerated() { columns[Fixed.outputs + k][row] = Goldilocks(Int(v)) }
            } else {
                columns[Fixed.outputs][row] = -.one
            }
        }
        for row in steps.count..<n {
            columns[DotColumns.descriptor][row] = -.one
            columns[Fixed.outputs][row] = -.one
        }
        return columns
    }
}

/// The `weights` table: rows of `DotProduct.lanes` weights that weights
/// matmuls read by lookup, never through timestamped memory (Spec/vm-air.md
/// §10). Preprocessed: the row's id (−1 on padding rows and in segments
/// other than the last), the address of lane 0, the lane stride, and one
/// flag per real lane. Main: the weights and how many times the run reads
/// the row. Each real lane sends (memory space, address, weight) to the
/// memory table, which receives it against the cell's initial value — so a
/// weight is the cell's declared value: public (preprocessed), private, or
/// committed (hashed by the commitment table).
package enum WeightsTable: VMTableComponent {
    enum Fixed {
        static let id = 0, base = 1, stride = 2, real = 3
        static let width = 3 + DotProduct.lanes
    }
    package enum Main {
        package static let weights = 0, multiplicity = DotProduct.lanes
        package static let width = DotProduct.lanes + 1
    }

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        let lanes = DotProduct.lanes
        var t = TableBuilder(name: "weights", mainWidth: Main.width, preprocessedWidth: Fixed.width)
        t.receive("weights row", bus: Bus.weights, [.fixed(Fixed.id)] + (0..<lanes).map { .main(Main.weights + $0) },
                  multiplicity: .main(Main.multiplicity))
        for l in 0..<lanes {
            t.send("lane \(l) initial value", bus: Bus.weightsImage,
                   [.constant(Goldilocks(AddressSpace.memory)), .fixed(Fixed.base) + l * .fixed(Fixed.stride), .main(Main.weights + l)],
                   multiplicity: .fixed(Fixed.real + l))
        }
        return try t.build(blinded: blinded)
    }

    /// The last segment's rows (`DotCode.weightsRows`); elsewhere the
    /// smallest height with id −1 and no real lane.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        let n = 1 << air.weightsLogHeight(isLastSegment: isLastSegment)
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Fixed.width)
        columns[Fixed.id] = [Goldilocks](repeating: -.one, count: n)
        guard isLastSegment else { return columns }
        for (row, weights) in air.dotCode.weightsRows.enumerated() {
            columns[Fixed.id][row] = Goldilocks(row)
            columns[Fixed.base][row] = Goldilocks(Int(weights.base))
            columns[Fixed.stride][row] = Goldilocks(Int(weights.stride))
            for l in 0..<weights.lanes { columns[Fixed.real + l][row] = .one }
        }
        return columns
    }
}
