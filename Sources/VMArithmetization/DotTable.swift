import AIR
import Field
import ISA

/// The `dot` table: one row per executed row of a weights matmul's schedule
/// (Spec/vm-air.md §10). A row reads one activation a (1 on a bias row),
/// looks up one row of `DotProduct.lanes` weights, and adds a·w_l to each
/// lane's running sum; a group's last row sends its sums to `dotoutput`.
enum DotTable: VMTableComponent {
    typealias D = DotColumns

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "dot", mainWidth: D.width)
        func c(_ i: Int) -> Expression { .main(i) }
        func n(_ i: Int) -> Expression { .mainNext(i) }
        let active = c(D.active)
        let lanes = DotProduct.lanes
        // Schedule rows in instances; padding rows have isLast = groupFirst = 1.
        ScheduledInstances(bus: Bus.dotcode, fields: DotStep.fieldCount, paddingOnes: [D.isLast, D.groupFirst], id: D.id,
                           descriptor: D.descriptor, isStart: D.isStart, isLast: D.isLast, active: D.active,
                           instructionTime: D.instructionTime, baseA: D.baseA, baseD: D.baseD).constrain(&t)

        // a is the activation read, or 1 on a bias row.
        let a = c(D.activation)
        t.assertZero("bias rows multiply by 1", (1 - c(D.readA)) * (a - 1))
        MemoryAccess(name: "activation", enabled: c(D.readA), space: AddressSpace.memory, address: c(D.baseA) + c(D.aOffset),
                     old: a, new: a, timestamp: c(D.instructionTime) + CPUColumns.timestampsPerRow + c(D.time),
                     previousColumn: D.previousTimestamp, limbColumn: D.timestampLimbs).constrain(&t)
        t.send("weights row", bus: Bus.weights, [c(D.weightsRow)] + (0..<lanes).map { c(D.weights + $0) }, multiplicity: active)

        // acc_l = a·w_l on a group's first row, previous acc_l + a·w_l after it.
        for l in 0..<lanes {
            let acc = D.accumulators + l, w = D.weights + l
            t.assertOnFirstRow("lane \(l) starts its sum", c(acc) - a * c(w))
            t.assertOnTransition("lane \(l) accumulates",
                                 n(acc) - (1 - n(D.groupFirst)) * c(acc) - n(D.activation) * n(w))
        }
        t.send("group sums", bus: Bus.dotOutput,
               [c(D.instructionTime), c(D.baseD), c(D.id)] + (0..<lanes).map { c(D.accumulators + $0) },
               multiplicity: c(D.groupEnd))
        return try t.build(blinded: blinded)
    }
}
