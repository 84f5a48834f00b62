import AIR
import Field

/// The `byte` table: 0 … 255, preprocessed, with a multiplicity; the range
/// table's rows send their two bytes here (Spec/vm-air.md §4a).
enum ByteTable: VMTableComponent {
    /// 2^8 rows (or the smallest height, padded with zero rows).
    static let logHeight = 8

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "byte", mainWidth: 1, preprocessedWidth: 1)
        t.receive("byte", bus: Bus.byte, [.fixed(0)], multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    /// The preprocessed column at height 2^byteLogHeight ≥ 2^8: 0 … 255,
    /// then zeros (a repeated 0 row is harmless: its multiplicity can be 0).
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        [(0..<(1 << air.byteLogHeight)).map { $0 < 256 ? Goldilocks($0) : .zero }]
    }
}
