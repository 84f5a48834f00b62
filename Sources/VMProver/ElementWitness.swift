import Field
import ISA
import VMArithmetization

/// Rows of the `element` table (Spec/vm-air.md §12): each executed map's or
/// zip's elements on the memory state — every read first, then the writes in
/// element order — their arithmetic from `MicroStep.evaluate` (the
/// definition the VM executed them with), and the helpers, range limbs and
/// `elementcode` multiplicities the constraints need.
struct ElementWitness {
    typealias E = ElementColumns
    let code: ElementCode
    let vmAir: VMAir
    let tables: [[Int64]]
    var rows = WitnessRows(width: E.width)

    init(vmAir: VMAir, tables: [[Int64]]) {
        self.vmAir = vmAir
        code = vmAir.elementCode
        self.tables = tables
    }

    mutating func execute(descriptor d: Int, time: Int64, baseD: Int64, baseA: Int64, baseB: Int64,
                          memory: inout [Int64], lastTs: inout [Int64], range: inout [Int], activation: inout [Int]) throws {
        let steps = code.steps[code.schedule.rows(of: d)]
        let t0 = time + Int64(CPUColumns.timestampsPerRow)
        let first = rows.count
        for s in steps {
            let r = rows.appendScheduled(fields: s.fields, active: E.active, instructionTime: E.instructionTime, baseA: E.baseA,
                                         baseD: E.baseD, time: time, baseAValue: baseA, baseDValue: baseD)
            rows.set(r, E.baseB, baseB)
            func read(_ address: Int64, slot: Int) throws -> Int64 {
                let access = try RangeLimbs.access(address, at: t0 + s.readTime + Int64(slot), lastTs: &lastTs, range: &range,
                                                   "element read")
                rows.set(r, E.previousTimestamp + slot, access.previous)
                rows.set(r, E.timestampLimbs + 2 * slot, access.low); rows.set(r, E.timestampLimbs + 2 * slot + 1, access.high)
                return memory[access.cell]
            }
            let va = try read(baseA + s.aOffset, slot: 0)
            let vb = s.kind.readsB ? try read(baseB + s.bOffset, slot: 1) : 0
            let o: MicroStepOutcome
            do throws(MicroStepFailure) {
                o = try s.micro.evaluate(va: va, vb: vb, vc: 0, va1: 0, vb1: 0, previousAcc: 0, previousIndex: 0, tables: tables)
            } catch {
                throw VMArithmetizationError.witness("element result \(error.value) outside the value range")
            }
            if s.kind == .lookup { activation[vmAir.activationRow(table: Int(s.table), input: o.clamped)] += 1 }
            rows.set(r, E.va, va); rows.set(r, E.vb, vb); rows.set(r, E.result, o.result)
            let (p1, p2) = (s.parameter1, s.parameter2)
            var slots: [Int64] = [0, 0, 0]
            switch s.kind {
            case .add, .sub:
                slots[0] = o.result + (1 << 31)
            case .mul, .rescale:
                rows.set(r, E.remainder, o.remainder)
                slots = [o.result + (1 << 31), o.remainder, p1 - 1 - o.remainder]
            case .max, .min:
                rows.set(r, E.less, o.less)
                slots[0] = va - vb + (o.less << 32)
            case .clamp, .lookup:
                rows.set(r, E.clampLow, o.clampLow ? 1 : 0); rows.set(r, E.clampHigh, o.clampHigh ? 1 : 0)
                let clamped = s.kind == .clamp ? o.result : o.clamped
                rows.set(r, E.clamped, clamped)
                let below: Int64 = o.clampLow ? p1 - 1 - va : 0
                if s.kind == .clamp {
                    slots[0] = o.clampLow ? below : va - p1
                    slots[1] = o.clampHigh ? va - p2 - 1 : p2 - va
                } else {
                    slots[0] = o.clampLow ? below : (o.clampHigh ? va - p2 : 0)
                    slots[1] = clamped - p1
                }
            }
            for (k, v) in slots.enumerated() {
                let (low, high) = try RangeLimbs.split(v, "element range slot \(k)", range: &range)
                rows.set(r, E.slotLimbs + 2 * k, low); rows.set(r, E.slotLimbs + 2 * k + 1, high)
            }
        }
        for (k, s) in steps.enumerated() {
            let r = first + k
            let write = try RangeLimbs.access(baseD + s.dOffset, at: t0 + s.writeTime, lastTs: &lastTs, range: &range, "element write")
            rows.set(r, E.previousTimestamp + E.writeAccess, write.previous)
            rows.set(r, E.timestampLimbs + 2 * E.writeAccess, write.low)
            rows.set(r, E.timestampLimbs + 2 * E.writeAccess + 1, write.high)
            rows.set(r, E.old, memory[write.cell])
            memory[write.cell] = rows[r, E.result].signedValue
        }
    }
}
