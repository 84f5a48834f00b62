import AIR
import Field
import ISA

/// The `weights` table: rows of `DotProduct.lanes` weights that weights
/// matmuls read by lookup, never through timestamped memory (Spec/vm-air.md
/// §10), but the rows of held public tensors (`PublicWeightsTable`).
/// Preprocessed: the row's id (−1 on padding rows and in segments other
/// than the last), the address of lane 0, the lane stride, and one flag per
/// real lane of a memory tensor and one per lane of a held tensor (§10a).
/// Main: the weights and how many times the run reads the row. Each real
/// lane sends (memory space, address, weight) to the memory table, which
/// receives it against the cell's initial value — so a weight is the
/// cell's declared value: public (preprocessed), private, or committed
/// (hashed by the commitment table). A held tensor is committed at 16 bits:
/// each held lane range-checks weight + 2^15, and each group of three lanes
/// (`laneGroups`) sends its packed element (`CommitmentTable.element`) to
/// the commitment table itself, which absorbs it.
package enum WeightsTable: VMTableComponent {
    enum Fixed {
        static let id = 0, base = 1, stride = 2, real = 3, held = 3 + DotProduct.lanes
        static let width = 3 + 2 * DotProduct.lanes
    }
    package enum Main {
        package static let weights = 0, multiplicity = DotProduct.lanes
        package static let width = DotProduct.lanes + 1
    }

    /// The lanes a held row packs into one absorbed element each: five
    /// groups of three and lane 15 alone.
    package static let laneGroups: [Range<Int>] = stride(from: 0, to: DotProduct.lanes, by: 3).map {
        $0..<min($0 + 3, DotProduct.lanes)
    }

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        let lanes = DotProduct.lanes
        var t = TableBuilder(name: "weights", mainWidth: Main.width, preprocessedWidth: Fixed.width)
        t.receive("weights row", bus: Bus.weights, [.fixed(Fixed.id)] + (0..<lanes).map { .main(Main.weights + $0) },
                  multiplicity: .main(Main.multiplicity))
        func address(_ l: Int) -> Expression { .fixed(Fixed.base) + l * .fixed(Fixed.stride) }
        for l in 0..<lanes {
            t.send("lane \(l) initial value", bus: Bus.weightsImage,
                   [.constant(Goldilocks(AddressSpace.memory)), address(l), .main(Main.weights + l)],
                   multiplicity: .fixed(Fixed.real + l))
            // A held weight is 16-bit: weight + 2^15 in [0, 2^16).
            t.send("held lane \(l) in 16 bits", bus: Bus.range, [.main(Main.weights + l) + (1 << 15)],
                   multiplicity: .fixed(Fixed.held + l))
        }
        for group in laneGroups {
            let first = group.lowerBound
            // A held row's lanes beyond its last are zero, so its packed
            // elements are the sponge's (`CommitmentTable.element`).
            var element = Expression.main(Main.weights + first)
            for l in group.dropFirst() {
                t.assertZero("held row's lane \(l) is zero beyond its lanes",
                             (.fixed(Fixed.held) - .fixed(Fixed.held + l)) * .main(Main.weights + l))
                let limb = Expression.main(Main.weights + l) + (1 << 15) * .fixed(Fixed.held + l)
                element = element + Int(1 << (16 * (l - first))) * limb
            }
            t.send("lanes \(first)…\(group.upperBound - 1) committed element", bus: Bus.commitment, [address(first), element],
                   multiplicity: .fixed(Fixed.held + first))
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
