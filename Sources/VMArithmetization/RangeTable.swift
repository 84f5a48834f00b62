import AIR
import Field
import ISA

/// 16-bit range checks, sized to the run (Spec/vm-air.md §4a).
///
/// Every table range-checks 16-bit limbs by sending them on the range bus.
/// The `range` table receives them: its rows are values the prover
/// chooses, each with a multiplicity, and each row proves its value is
/// 16-bit by splitting it into two bytes that the preprocessed `byte` table
/// (0 … 255) receives. So the range table needs only as many rows as the
/// run has distinct limbs — at most 2^16, and at most the number of range
/// messages — instead of all 2^16 values.
///
/// Its height is not chosen from the limbs (that would reveal how many
/// distinct limbs a private run has): it follows from the segment's
/// timestamp span, which the statement already makes public
/// (`VMAir.rangeLogHeight`).
public enum RangeTable: VMTableComponent {
    /// Columns of the range table: the value's two bytes (the value is
    /// low + 2^8·high, never stored), and how many times it is received.
    public enum Column { public static let low = 0, high = 1, multiplicity = 2, width = 3 }

    /// The largest range table: every 16-bit value once.
    public static let maxLogHeight = 16

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        typealias C = Column
        var t = TableBuilder(name: "range", mainWidth: C.width)
        let low = Expression.main(C.low), high = Expression.main(C.high)
        t.send("range low byte", bus: Bus.byte, [low])
        t.send("range high byte", bus: Bus.byte, [high])
        t.receive("range", bus: Bus.range, [low + Expression.constant(Goldilocks(1 << 8)) * high], multiplicity: .main(C.multiplicity))
        return try t.build(blinded: blinded)
    }

    /// The fewest timestamps a row of each table that sends range messages
    /// consumes: the CPU, tensor, copy, element, dot and dotoutput tables
    /// are the only ones whose rows advance time and the only senders
    /// besides the memory table's hidden cells and held lanes. CPU rows take
    /// ≥ 8, tensor rows ≥ 5, dot rows `DotProduct.slots`, dotoutput rows 1,
    /// copy rows 2, element rows 2 (a map's read and write; a zip's take 3).
    static let timestampsPerRow: [VMTable: Int] = [
        .cpu: CPUColumns.timestampsPerRow, .tensor: Int(MicroStep.readsPerStep), .copy: 2, .element: 2,
        .dot: DotProduct.slots, .dotoutput: 1,
    ]

    /// Range messages a row can send per timestamp it consumes, over the
    /// `tables` a program has (`sends`: range messages per row, each of
    /// multiplicity ≤ 1): a segment spanning Δts timestamps sends at most
    /// this · Δts messages there.
    static func sendsPerTimestamp(_ tables: [VMTable], sends: [VMTable: Int]) -> Int {
        tables.map { t in
            let per = timestampsPerRow[t] ?? 1
            return ((sends[t] ?? 0) + per - 1) / per
        }.max() ?? 0
    }
}
