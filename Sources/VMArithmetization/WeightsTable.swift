import AIR
import Field
import ISA

/// The `weights` table: rows of `DotProduct.lanes` weights that weights
/// matmuls read by lookup, never through timestamped memory (Spec/vm-air.md
/// §10), but the rows of held public tensors (`PublicWeightsTable`). Preprocessed: the row's id (−1 on padding rows and in segments
/// other than the last), the address of lane 0, the lane stride, and one
/// flag per real lane of a memory tensor and one per lane of a held
/// tensor (§10a). Main: the weights and how many times the run reads the
/// row. Each real lane sends (memory space, address, weight) to the memory
/// table, which receives it against the cell's initial value — so a weight
/// is the cell's declared value: public (preprocessed), private, or
/// committed (hashed by the commitment table). Each held lane sends
/// (address, weight) to the commitment table itself, which absorbs it, and
/// its two range limbs (weight + 2^31), so it is in V like any committed weight.
package enum WeightsTable: VMTableComponent {
    enum Fixed {
        static let id = 0, base = 1, stride = 2, real = 3, held = 3 + DotProduct.lanes
        static let width = 3 + 2 * DotProduct.lanes
    }
    package enum Main {
        package static let weights = 0, multiplicity = DotProduct.lanes
        /// Two 16-bit limbs of a held lane's weight + 2^31 (zero on other lanes).
        package static func limbs(_ lane: Int) -> Int { DotProduct.lanes + 1 + 2 * lane }
        package static let width = DotProduct.lanes + 1 + 2 * DotProduct.lanes
    }

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        let lanes = DotProduct.lanes
        var t = TableBuilder(name: "weights", mainWidth: Main.width, preprocessedWidth: Fixed.width)
        t.receive("weights row", bus: Bus.weights, [.fixed(Fixed.id)] + (0..<lanes).map { .main(Main.weights + $0) },
                  multiplicity: .main(Main.multiplicity))
        for l in 0..<lanes {
            let address = Expression.fixed(Fixed.base) + l * .fixed(Fixed.stride)
            t.send("lane \(l) initial value", bus: Bus.weightsImage,
                   [.constant(Goldilocks(AddressSpace.memory)), address, .main(Main.weights + l)],
                   multiplicity: .fixed(Fixed.real + l))
            t.send("lane \(l) committed weight", bus: Bus.commitment, [address, .main(Main.weights + l)],
                   multiplicity: .fixed(Fixed.held + l))
            // A held weight is in V, as a committed weight in memory is (§4).
            let low = Expression.main(Main.limbs(l)), high = Expression.main(Main.limbs(l) + 1)
            t.assertZero("held lane \(l) in V", .fixed(Fixed.held + l) * (.main(Main.weights + l) + Int(1 << 31) - low - (1 << 16) * high))
            t.send("held lane \(l) limb low", bus: Bus.range, [low], multiplicity: .fixed(Fixed.held + l))
            t.send("held lane \(l) limb high", bus: Bus.range, [high], multiplicity: .fixed(Fixed.held + l))
        }
        return try t.build(blinded: blinded)
    }

    /// The ids of the rows it has (`DotCode.weightsRows` but the public
    /// table's), in order: row k of the table is weights row `rows[k]`.
    package static func rows(_ code: DotCode) -> [Int] { code.weightsRows.indices.filter { !code.weightsRows[$0].isPublic } }

    /// The last segment's rows (`rows`); elsewhere the smallest height with
    /// id −1 and no real lane.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        let n = 1 << air.weightsLogHeight(isLastSegment: isLastSegment)
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Fixed.width)
        columns[Fixed.id] = [Goldilocks](repeating: -.one, count: n)
        guard isLastSegment else { return columns }
        for (row, id) in rows(air.dotCode).enumerated() {
            let weights = air.dotCode.weightsRows[id]
            columns[Fixed.id][row] = Goldilocks(id)
            columns[Fixed.base][row] = Goldilocks(Int(weights.base))
            columns[Fixed.stride][row] = Goldilocks(Int(weights.stride))
            for l in 0..<weights.lanes { columns[(weights.held ? Fixed.held : Fixed.real) + l][row] = .one }
        }
        return columns
    }
}
