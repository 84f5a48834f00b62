import AIR
import Field

/// The rows of a table that runs tensor instructions from a static
/// schedule (Spec/vm-air.md §10–11): each active row looks its schedule row
/// up in a preprocessed code table, and consecutive rows of one instruction
/// form an *instance* — the descriptor's schedule rows in order, with the
/// instruction's T and register bases constant, started where the CPU sent
/// the instruction's tensor message. Padding rows (active = 0) look nothing
/// up and have fixed fields, so they read, write and send nothing.
///
/// Columns: the schedule fields first (`fields`), with the row's schedule
/// id, descriptor, isStart and isLast among them; then active, T, baseA,
/// baseD and, for a table whose instructions read B, baseB. Without a baseB
/// column rb is r0 for every instruction the table runs (validation), so
/// the tensor message's baseB is 0.
struct ScheduledInstances {
    /// The bus of the code-table lookup and the number of schedule fields.
    var bus: Int
    var fields: Int
    /// Fields that are 1 on padding rows (isLast among them); the others are 0.
    var paddingOnes: Set<Int>
    var id: Int, descriptor: Int, isStart: Int, isLast: Int
    var active: Int, instructionTime: Int, baseA: Int, baseD: Int
    var baseB: Int? = nil

    func constrain(_ t: inout TableBuilder) {
        func c(_ i: Int) -> Expression { .main(i) }
        func n(_ i: Int) -> Expression { .mainNext(i) }
        let active = c(self.active), nextActive = n(self.active)
        t.assertBoolean("active is boolean", active)
        t.assertOnTransition("inactive rows stay inactive", (1 - active) * nextActive)
        t.send("schedule row", bus: bus, (0..<fields).map(c), multiplicity: active)
        for field in 0..<fields {
            t.assertZero("padding field \(field) fixed", (1 - active) * (paddingOnes.contains(field) ? 1 - c(field) : c(field)))
        }
        let continuing = 1 - c(isLast)
        t.assertOnTransition("an instance runs to its last row", continuing * (1 - nextActive))
        var constant = [("T", instructionTime), ("baseA", baseA), ("baseD", baseD), ("descriptor", descriptor)]
        if let baseB { constant.append(("baseB", baseB)) }
        for (label, column) in constant {
            t.assertOnTransition("\(label) constant within an instance", continuing * (n(column) - c(column)))
        }
        t.assertOnTransition("schedule rows advance", continuing * (n(id) - c(id) - 1))
        t.assertOnTransition("a start follows exactly a last row", nextActive * (n(isStart) - c(isLast)))
        t.assertOnFirstRow("the table starts with a start", active * (1 - c(isStart)))
        t.assertOnLastRow("the table ends with a last row", active * (1 - c(isLast)))
        t.receive("tensor instruction", bus: Bus.tensor,
                  [c(instructionTime), c(descriptor), c(baseD), c(baseA), baseB.map(c) ?? .constant(.zero)], multiplicity: c(isStart))
    }

    /// Constraint families no single-cell change of an honest witness can
    /// break (they need two rows changed together).
    static let unreachableBySingleCells: Set<String> = [
        "inactive rows stay inactive", "the table starts with a start", "the table ends with a last row",
        "an instance runs to its last row",
    ]
}

extension ScheduledInstances {
    /// The code table of a schedule (`copycode`, `elementcode`): every
    /// schedule row's `fieldCount` fields, preprocessed, received on `bus`
    /// × a multiplicity (its one main column).
    static func codeTable(name: String, bus: Int, fieldCount: Int, blinded: Bool) throws(AIRError) -> Table {
        var t = TableBuilder(name: name, mainWidth: 1, preprocessedWidth: fieldCount)
        t.receive(name, bus: bus, (0..<fieldCount).map { .fixed($0) }, multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    /// A code table's preprocessed columns: row i holds schedule row i's
    /// fields; padding rows have descriptor −1 (no instruction has it).
    static func codeColumns(_ rows: [[Int64]], fieldCount: Int, logHeight: Int, descriptor: Int) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: fieldCount)
        for (row, fields) in rows.enumerated() {
            for (k, v) in fields.enumerated() { columns[k][row] = Goldilocks(Int(v)) }
        }
        for row in rows.count..<n { columns[descriptor][row] = -.one }
        return columns
    }
}
