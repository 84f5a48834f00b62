import AIR
import Field
import ISA

/// The `dot` table: one row per executed row of a weights matmul's schedule
/// (Spec/vm-air.md §10). A row has `DotProduct.slots` slots; slot s reads
/// one activation a_s (1 on a bias slot, 0 on an unused one) and looks up
/// one row of `DotProduct.lanes` weights w_{s,·}, and the row adds
/// Σ_s a_s·w_{s,l} to each lane's running sum; a group's last row sends its
/// sums to `dotoutput`.
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

        // Slot s's activation a_s is read from memory, or 1 on a bias slot
        // (slot 0 only), or 0 on an unused slot; its weights row is looked up.
        for s in 0..<DotProduct.slots {
            let a = c(D.activation(s)), read = c(D.readA(s))
            if s == 0 {
                t.assertZero("bias slots multiply by 1", (1 - read) * (a - 1))
            } else {
                t.assertZero("unused slot \(s) adds nothing", (1 - read) * a)
            }
            MemoryAccess(name: "activation \(s)", enabled: read, space: .space(AddressSpace.memory), address: c(D.baseA) + c(D.aOffset(s)),
                         old: a, new: a, timestamp: c(D.instructionTime) + CPUColumns.timestampsPerRow + c(D.time) + s,
                         previousColumn: D.previousTimestamp(s), limbColumn: D.timestampLimbs(s)).constrain(&t)
            t.send("weights row \(s)", bus: Bus.weights, [c(D.weightsRow(s))] + (0..<lanes).map { c(D.weights(s) + $0) },
                   multiplicity: s == 0 ? active : read)
        }

        // acc_l = Σ_s a_s·w_{s,l} on a group's first row, previous acc_l + Σ_s a_s·w_{s,l} after it.
        for l in 0..<lanes {
            let acc = D.accumulators + l
            func products(_ cell: (Int) -> Expression) -> Expression {
                (1..<DotProduct.slots).reduce(cell(D.activation(0)) * cell(D.weights(0) + l)) { $0 + cell(D.activation($1)) * cell(D.weights($1) + l) }
            }
            let nextProducts = products(n)
            t.assertOnFirstRow("lane \(l) starts its sum", c(acc) - products(c))
            t.assertOnTransition("lane \(l) accumulates", n(acc) - (1 - n(D.groupFirst)) * c(acc) - nextProducts)
        }
        t.send("group sums", bus: Bus.dotOutput,
               [c(D.instructionTime), c(D.baseD), c(D.id)] + (0..<lanes).map { c(D.accumulators + $0) },
               multiplicity: c(D.groupEnd))
        return try t.build(blinded: blinded)
    }
}
