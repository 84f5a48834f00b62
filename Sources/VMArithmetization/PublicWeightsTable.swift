import AIR
import Field
import ISA

/// The `publicweights` table (Spec/vm-air.md §10b): the weights rows of
/// public tensors the weights tables hold (`HeldWeights`), their values
/// preprocessed — committed in the verification key — so weights matmuls
/// read public weights by lookup with no memory-table row, no memory image
/// and no range check per weight (the verifier derives every value from
/// the program, and validation keeps them in V).
///
/// Preprocessed: the row's id (its index among `DotCode.weightsRows`; −1
/// on padding rows and in segments other than the last) and its 16 lane
/// values (0 beyond the row's lanes). Main: how many times the run reads it.
package enum PublicWeightsTable: VMTableComponent {
    enum Fixed {
        static let id = 0, values = 1, width = 1 + DotProduct.lanes
    }

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "publicweights", mainWidth: 1, preprocessedWidth: Fixed.width)
        t.receive("public weights row", bus: Bus.weights, (0..<Fixed.width).map { .fixed($0) }, multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    /// The ids of the rows it has (the held public `DotCode.weightsRows`),
    /// in order: row k of the table is weights row `rows[k]`.
    package static func rows(_ code: DotCode) -> [Int] { code.weightsRows.indices.filter { code.weightsRows[$0].isPublic } }

    /// The last segment's rows (`rows`); elsewhere the smallest height with id −1.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        let n = 1 << air.publicWeightsLogHeight(isLastSegment: isLastSegment)
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Fixed.width)
        columns[Fixed.id] = [Goldilocks](repeating: -.one, count: n)
        guard isLastSegment else { return columns }
        let program = air.program
        for (position, id) in rows(air.dotCode).enumerated() {
            let row = air.dotCode.weightsRows[id], tensor = program.tensors[row.tensor]
            columns[Fixed.id][position] = Goldilocks(id)
            for l in 0..<row.lanes {
                let offset = Int(row.base + Int64(l) * row.stride - tensor.address)
                columns[Fixed.values + l][position] = Goldilocks(tensor.data?[offset] ?? 0)
            }
        }
        return columns
    }
}
