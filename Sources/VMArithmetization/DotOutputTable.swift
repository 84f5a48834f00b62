import AIR
import Field
import ISA

/// The `dotoutput` table: one row per output of a weights matmul
/// (Spec/vm-air.md §10). A group's first row receives the group's 16 sums
/// and looks up where they go; its rows then run through lanes
/// 0 … laneCount − 1, each passing the sums on rotated by one, so every
/// row's own sum is sums[0]. Each row rescales its sum into V and writes
/// it at baseD + dOffset + lane·dStride, time T + 8 + writeTime + lane.
enum DotOutputTable: VMTableComponent {
    typealias O = DotOutputColumns

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "dotoutput", mainWidth: O.width)
        func c(_ i: Int) -> Expression { .main(i) }
        func n(_ i: Int) -> Expression { .mainNext(i) }
        let lanes = DotProduct.lanes
        let active = c(O.active), first = c(O.first), last = c(O.last)
        let two16 = Expression.constant(Goldilocks(1 << 16))
        let two31 = Expression.constant(Goldilocks(Int(1) << 31))
        t.assertBoolean("active is boolean", active)
        t.assertBoolean("first is boolean", first)
        t.assertBoolean("last is boolean", last)
        t.assertOnTransition("inactive rows stay inactive", (1 - active) * n(O.active))
        t.assertZero("padding rows start nothing", (1 - active) * first)
        t.assertZero("padding rows end their group", (1 - active) * (1 - last))

        // Groups: a first row at lane 0, lanes advancing by one with the
        // group's fields and rotated sums, a last row at lane laneCount − 1.
        t.assertZero("a group starts at lane 0", first * c(O.lane))
        t.assertZero("a group starts at offset 0", first * c(O.laneOffset))
        t.assertZero("a group ends at its last lane", active * last * (c(O.lane) + 1 - c(O.laneCount)))
        let continuing = 1 - last
        t.assertOnTransition("a group runs to its last lane", continuing * (1 - n(O.active)))
        t.assertOnTransition("a row after a group's last starts a group", n(O.active) * (n(O.first) - last))
        t.assertOnTransition("lanes advance", continuing * (n(O.lane) - c(O.lane) - 1))
        t.assertOnTransition("offsets advance by the stride", continuing * (n(O.laneOffset) - c(O.laneOffset) - c(O.dStride)))
        for (label, column) in [("T", O.instructionTime), ("baseD", O.baseD), ("id", O.id), ("dOffset", O.dOffset), ("dStride", O.dStride),
                                ("laneCount", O.laneCount), ("2^s", O.pow), ("half", O.half), ("writeTime", O.writeTime)] {
            t.assertOnTransition("\(label) constant within a group", continuing * (n(column) - c(column)))
        }
        for k in 0..<(lanes - 1) {
            t.assertOnTransition("sums rotate past lane \(k + 1)", continuing * (n(O.sums + k) - c(O.sums + k + 1)))
        }
        t.assertOnFirstRow("the table starts with a group", active * (1 - first))
        t.assertOnLastRow("the table ends with a group's last lane", active * (1 - last))
        t.receive("group sums", bus: Bus.dotOutput,
                  [c(O.instructionTime), c(O.baseD), c(O.id)] + (0..<lanes).map { c(O.sums + $0) }, multiplicity: first)
        t.send("group outputs", bus: Bus.dotOutputCode, (O.id...O.writeTime).map(c), multiplicity: first)

        // The row's output: rescaled, in V, written.
        let pow = c(O.pow), result = c(O.result), remainder = c(O.remainder)
        t.assertZero("rescale", active * (c(O.sums) + c(O.half) - result * pow - remainder))
        let slots: [(String, Expression)] = [("result in V", result + two31), ("remainder", remainder),
                                             ("remainder bound", pow - 1 - remainder)]
        for (s, (label, value)) in slots.enumerated() {
            let lo = c(O.slotLimbs + 2 * s), hi = c(O.slotLimbs + 2 * s + 1)
            t.assertZero(label, active * (value - lo - two16 * hi))
            t.send("\(label) low", bus: Bus.range, [lo], multiplicity: active)
            t.send("\(label) high", bus: Bus.range, [hi], multiplicity: active)
        }
        MemoryAccess(name: "output", enabled: active, space: .space(AddressSpace.memory), address: c(O.baseD) + c(O.dOffset) + c(O.laneOffset),
                     old: c(O.old), new: result,
                     timestamp: c(O.instructionTime) + CPUColumns.timestampsPerRow + c(O.writeTime) + c(O.lane),
                     previousColumn: O.previousTimestamp, limbColumn: O.timestampLimbs)
            .constrain(&t)
        return try t.build(blinded: blinded)
    }
}
