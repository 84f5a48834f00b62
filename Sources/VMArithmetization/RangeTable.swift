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

    /// Range messages a row can send, per timestamp it consumes: the CPU,
    /// tensor, copy, element, dot and dotoutput tables are the only ones whose rows advance
    /// time and the only senders besides the memory table's hidden cells,
    /// so a segment spanning Δts timestamps sends at most this · Δts
    /// messages there. Derived from the tables' own interactions (each of
    /// multiplicity ≤ 1 per row): CPU rows take ≥ 8 timestamps, tensor rows
    /// ≥ 5, dot rows `DotProduct.slots`, dotoutput rows 1, copy rows 2,
    /// element rows 2 (a map's read and write; a zip's take 3). Tables a
    /// program lacks do not count.
    static func sendsPerTimestamp(cpu: Table, tensor: Table?, dot: (rows: Table, outputs: Table)? = nil, copy: Table? = nil,
                                  element: Table? = nil) -> Int {
        func sends(_ table: Table) -> Int { table.interactions.filter { $0.bus == Bus.range }.count }
        var rate = (sends(cpu) + CPUColumns.timestampsPerRow - 1) / CPUColumns.timestampsPerRow
        if let tensor {
            let perStep = Int(MicroStep.readsPerStep)
            rate = max(rate, (sends(tensor) + perStep - 1) / perStep)
        }
        if let dot {
            rate = max(rate, (sends(dot.rows) + DotProduct.slots - 1) / DotProduct.slots, sends(dot.outputs))
        }
        if let copy { rate = max(rate, (sends(copy) + 1) / 2) }
        if let element { rate = max(rate, (sends(element) + 1) / 2) }
        return rate
    }
}
