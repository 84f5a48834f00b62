import AIR
import Field
import ISA

/// The `tensor` table: one row per executed micro-step, each looked up in
/// the `microcode` table (Spec/vm-air.md §6).
enum TensorTable: VMTableComponent {
    typealias T = TensorColumns

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "tensor", mainWidth: T.width)
        func c(_ i: Int) -> Expression { .main(i) }
        func n(_ i: Int) -> Expression { .mainNext(i) }
        let active = c(T.active), nextActive = n(T.active)
        let two16 = Expression.constant(Goldilocks(1 << 16))
        let two31 = Expression.constant(Goldilocks(Int(1) << 31))
        let two32 = Expression.constant(Goldilocks(Int(1) << 32))
        let (va, vb, vc, acc, prev, res, less) = (c(T.va), c(T.vb), c(T.vc), c(T.acc), c(T.previousAcc), c(T.result), c(T.less))

        // Static fields come from the microcode table; padding rows send nothing.
        t.assertBoolean("active is boolean", active)
        t.assertOnTransition("inactive rows stay inactive", (1 - active) * nextActive)
        t.send("microcode step", bus: Bus.microcode, (0..<MicroStep.fieldCount).map(c), multiplicity: active)
        // Padding rows are not looked up, so their static fields are pinned
        // here: all 0 except isLast = groupFirst = 1. Otherwise a padding row
        // could read, write or look up with fields of its choosing.
        for field in 0..<MicroStep.fieldCount {
            let padded: Expression = (field == T.isLast || field == T.groupFirst) ? 1 - c(field) : c(field)
            t.assertZero("padding field \(field) fixed", (1 - active) * padded)
        }

        // Instances: consecutive steps of one descriptor with constant T and
        // bases. Padding rows have isLast = groupFirst = 1 (their fields are
        // not looked up), which keeps these constraints at degree 3.
        let continuing = 1 - c(T.isLast)
        t.assertOnTransition("an instance runs to its last step", continuing * (1 - nextActive))
        for (label, column) in [("T", T.time), ("baseA", T.baseA), ("baseB", T.baseB), ("baseD", T.baseD),
                                ("descriptor", T.descriptor)] {
            t.assertOnTransition("\(label) constant within an instance", continuing * (n(column) - c(column)))
        }
        t.assertOnTransition("steps advance", continuing * (n(T.step) - c(T.step) - 1))
        t.assertOnTransition("a start follows exactly a last step", nextActive * (n(T.isStart) - c(T.isLast)))
        t.assertOnFirstRow("the table starts with a start", active * (1 - c(T.isStart)))
        t.assertOnLastRow("the table ends with a last step", active * (1 - c(T.isLast)))
        t.receive("tensor instruction", bus: Bus.tensor,
                  [c(T.time), c(T.descriptor), c(T.baseD), c(T.baseA), c(T.baseB)], multiplicity: active * c(T.isStart))

        // Operands not read are zero.
        t.assertZero("A is 0 unless read", (1 - c(T.readA)) * va)
        t.assertZero("B is 0 unless read", (1 - c(T.readB)) * vb)
        t.assertZero("C is 0 unless read", (1 - c(T.readC)) * vc)
        t.assertZero("A1 is 0 unless read", (1 - c(T.lane1)) * c(T.va1))
        t.assertZero("B1 is 0 unless read", (1 - c(T.lane1)) * c(T.vb1))

        // Accumulation.
        let groupFirst = c(T.groupFirst)
        t.assertZero("previous accumulator starts at 0", groupFirst * prev)
        t.assertZero("previous index starts at 0", groupFirst * c(T.previousIndex))
        t.assertOnTransition("previous accumulator links rows", (1 - n(T.groupFirst)) * (n(T.previousAcc) - acc))
        t.assertOnTransition("previous index links rows", (1 - n(T.groupFirst)) * (n(T.previousIndex) - c(T.accIndex)))
        // Two lanes: acc = prevAcc + C + A·B + A1·B1 (lane 1 only in matmul
        // steps, whose microcode also sets accMac).
        t.assertZero("sum and multiply-accumulate",
                     (c(T.accMac) + c(T.accSum)) * (acc - prev - vc) - c(T.accMac) * va * vb - c(T.accSum) * va
                        - c(T.lane1) * c(T.va1) * c(T.vb1))
        let maxLike = c(T.accMax) + c(T.accArgmax)
        t.assertBoolean("less is boolean", less)
        t.assertZero("running maximum", maxLike * (acc - less * va - (1 - less) * prev))
        t.assertZero("the first element starts the maximum", maxLike * groupFirst * (1 - less))
        t.assertZero("running argmax", c(T.accArgmax) * (c(T.accIndex) - less * c(T.index) - (1 - less) * c(T.previousIndex)))

        // Results (maps and zips run on the element table, §12).
        let pow = c(T.pow), half = c(T.half), rem = c(T.remainder)
        t.assertZero("rescaled result", c(T.resultRescale) * (acc + half - res * pow - rem))
        t.assertZero("accumulator result", c(T.resultAcc) * (res - acc))
        t.assertZero("index result", c(T.resultIndex) * (res - c(T.accIndex)))
        t.assertZero("copy result", c(T.resultCopy) * (res - va))

        // Range slots.
        let slots: [Expression] = [
            (c(T.resultRescale) + c(T.resultIndex)) * (res + two31),
            c(T.resultRescale) * rem,
            c(T.resultRescale) * (pow - 1 - rem),
            c(T.compareAcc) * (prev - va + less * two32),
        ]
        for (s, value) in slots.enumerated() {
            let l = c(T.slotLimbs + 2 * s), h = c(T.slotLimbs + 2 * s + 1)
            t.assertZero("tensor range slot \(s)", value - l - two16 * h)
            t.send("tensor slot \(s) low", bus: Bus.range, [l], multiplicity: active)
            t.send("tensor slot \(s) high", bus: Bus.range, [h], multiplicity: active)
        }
        // |acc| < 2^61 for sums and multiply-accumulates, so field sums are
        // integer sums: |acc| + |prevAcc| + |C| + 2·2^62 < p (vm-air.md §6b).
        let accumulating = c(T.accMac) + c(T.accSum)
        let limbs = (0..<4).map { c(T.accLimbs + $0) }
        let topBits = T.accumulatorLogBound + 1 - 48
        t.assertZero("accumulator range", accumulating * (acc + Expression.constant(Goldilocks(Int(1) << T.accumulatorLogBound)))
                     - limbs[0] - two16 * limbs[1] - Expression.constant(Goldilocks(Int(1) << 32)) * limbs[2]
                     - Expression.constant(Goldilocks(Int(1) << 48)) * limbs[3])
        for (k, limb) in limbs.enumerated() { t.send("accumulator limb \(k)", bus: Bus.range, [limb], multiplicity: active) }
        t.send("accumulator top limb < 2^\(topBits)", bus: Bus.range, [Expression.constant(Goldilocks((1 << topBits) - 1)) - limbs[3]],
               multiplicity: active)

        // Memory accesses: A, B, C, A1, B1 reads at T + 8 + 5·step + slot,
        // the D write at T + 8 + writeTime.
        let base = c(T.time) + CPUColumns.timestampsPerRow + Int(MicroStep.readsPerStep) * c(T.step)
        let accesses: [(String, Expression, Expression, Expression, Expression, Expression)] = [
            ("A", c(T.readA), c(T.baseA) + c(T.aOffset), va, va, base),
            ("B", c(T.readB), c(T.baseB) + c(T.bOffset), vb, vb, base + 1),
            ("C", c(T.readC), c(T.cOffset), vc, vc, base + 2),
            ("A1", c(T.lane1), c(T.baseA) + c(T.aOffset1), c(T.va1), c(T.va1), base + 3),
            ("B1", c(T.lane1), c(T.baseB) + c(T.bOffset1), c(T.vb1), c(T.vb1), base + 4),
            ("D", c(T.write), c(T.baseD) + c(T.dOffset), c(T.dOld), res,
             c(T.time) + CPUColumns.timestampsPerRow + c(T.writeTime)),
        ]
        for (k, (name, enabled, address, old, new, ts)) in accesses.enumerated() {
            MemoryAccess(name: name, enabled: enabled, space: .space(AddressSpace.memory), address: address, old: old, new: new,
                         timestamp: ts, previousColumn: T.previousTimestamp + k, limbColumn: T.timestampLimbs + 2 * k)
                .constrain(&t)
        }
        return try t.build(blinded: blinded)
    }
}
