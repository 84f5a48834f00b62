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

    /// One row per schedule row (the last segment's; the others have only
    /// padding); padding rows have descriptor −1 and output id −1, so no
    /// executed row can match them.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        let steps = isLastSegment ? air.dotCode.steps : []
        let n = 1 << air.codeLogHeight(.dotcode, isLastSegment: isLastSegment)
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
