import AIR
import Field

/// The full range table (Spec/vm-air.md §4a): every 16-bit value once, in
/// order — value 0 on the first row, value + 1 on each next one — with how
/// many times the range bus sends it. It serves a segment whose range
/// bound reaches 2^16, where it replaces the byte-checked `range` table
/// (both then receive on the range bus; the idle one has the smallest
/// height and zero multiplicities). Its rows need no byte lookups: 2 main
/// columns and one interaction instead of 3 and 3.
///
/// Soundness rests on its height: row i holds i, so every received value
/// is below the height, which the table's `maxLogHeight` caps at 2^16 (the
/// generic verifier checks first, `ProofShape`).
public enum RangeFullTable: VMTableComponent {
    public enum Column { public static let value = 0, multiplicity = 1, width = 2 }

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        typealias C = Column
        var t = TableBuilder(name: "range16", mainWidth: C.width)
        t.assertOnFirstRow("values start at 0", .main(C.value))
        t.assertOnTransition("values count up", .mainNext(C.value) - .main(C.value) - 1)
        t.receive("range", bus: Bus.range, [.main(C.value)], multiplicity: .main(C.multiplicity))
        return try t.build(blinded: blinded, maxLogHeight: RangeTable.maxLogHeight)
    }
}
