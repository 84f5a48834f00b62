import Field
import ISA
import VMArithmetization

/// Rows of the `tensor` table: each executed tensor instruction's
/// micro-steps on the memory state (reads first, then writes in step
/// order), their arithmetic from `MicroStep.evaluate` — the definition the
/// VM executed them with — and the helpers, range limbs and multiplicities
/// the table's constraints need (Spec/vm-air.md §6).
struct TensorWitness {
    typealias T = TensorColumns
    let vmAir: VMAir
    let tables: [[Int64]]
    /// Index of each descriptor's first step in `vmAir.microSteps`.
    let firstStep: [Int]
    var rows: [[Int64]] = []          // one array of T.width values per executed step

    init(vmAir: VMAir, tables: [[Int64]]) {
        self.vmAir = vmAir
        self.tables = tables
        var first = [Int](), offset = 0
        for count in vmAir.stepCounts { first.append(offset); offset += count }
        firstStep = first
    }

    mutating func execute(descriptor d: Int, time: Int64, baseD: Int64, baseA: Int64, baseB: Int64,
                          memory: inout [Int64], lastTs: inout [Int64], range: inout [Int]) throws {
        let steps = vmAir.microSteps[firstStep[d] ..< firstStep[d] + vmAir.stepCounts[d]]
        var instance = [[Int64]]()
        var prevAcc: Int64 = 0, prevIndex: Int64 = 0
        // Pass 1: reads and computation.
        for s in steps {
            var r = [Int64](repeating: 0, count: T.width)
            r.withUnsafeMutableBufferPointer { s.write(into: $0.baseAddress!) }
            r[T.active] = 1; r[T.time] = time; r[T.baseA] = baseA; r[T.baseB] = baseB; r[T.baseD] = baseD
            let readTime = time + Int64(CPUColumns.timestampsPerRow) + MicroStep.readsPerStep * Int64(s.step)
            func read(_ enabled: Bool, _ address: Int64, slot: Int) throws -> Int64 {
                guard enabled else { return 0 }
                let access = try RangeLimbs.access(address, at: readTime + Int64(slot), lastTs: &lastTs, range: &range, "tensor read")
                r[T.previousTimestamp + slot] = access.previous
                r[T.timestampLimbs + 2 * slot] = access.low; r[T.timestampLimbs + 2 * slot + 1] = access.high
                return memory[access.cell]
            }
            let va = try read(s.readA, baseA + s.aOffset, slot: 0)
            let vb = try read(s.readB, baseB + s.bOffset, slot: 1)
            let vc = try read(s.readC, s.cOffset, slot: 2)
            let va1 = try read(s.lane1, baseA + s.aOffset1, slot: 3)
            let vb1 = try read(s.lane1, baseB + s.bOffset1, slot: 4)
            r[T.va] = va; r[T.vb] = vb; r[T.vc] = vc; r[T.va1] = va1; r[T.vb1] = vb1
            if s.groupFirst { prevAcc = 0; prevIndex = 0 }
            r[T.previousAcc] = prevAcc; r[T.previousIndex] = prevIndex
            let o: MicroStepOutcome
            do throws(MicroStepFailure) {
                o = try s.evaluate(va: va, vb: vb, vc: vc, va1: va1, vb1: vb1, previousAcc: prevAcc, previousIndex: prevIndex,
                                   tables: tables)
            } catch {
                if case .accumulator = error {
                    throw VMArithmetizationError.witness(
                        "a partial accumulator \(error.value) leaves |acc| < 2^\(T.accumulatorLogBound) (not provable)")
                }
                throw VMArithmetizationError.witness("tensor result \(error.value) outside the value range")
            }
            let (acc, accIndex, less, result, remainder) = (o.acc, o.accIndex, o.less, o.result, o.remainder)
            r[T.acc] = acc; r[T.accIndex] = accIndex
            r[T.less] = less; r[T.result] = result; r[T.remainder] = remainder
            // Range slots (as in TensorTable).
            var slots: [Int64] = [0, 0, 0, 0]
            if s.resultRescale || s.resultIndex { slots[0] = result + (1 << 31) }
            if s.resultRescale { slots[1] = remainder; slots[2] = s.pow - 1 - remainder }
            if s.compareAcc { slots[3] = prevAcc - va + (less << 32) }
            for (k, v) in slots.enumerated() {
                (r[T.slotLimbs + 2 * k], r[T.slotLimbs + 2 * k + 1]) = try RangeLimbs.split(v, "tensor range slot \(k)", range: &range)
            }
            let shifted = (s.accMac || s.accSum) ? UInt64(bitPattern: acc &+ (1 << T.accumulatorLogBound)) : 0
            for k in 0..<4 {
                let limb = Int((shifted >> UInt64(16 * k)) & 0xFFFF)
                r[T.accLimbs + k] = Int64(limb)
                range[limb] += 1
            }
            range[(1 << (T.accumulatorLogBound + 1 - 48)) - 1 - Int(shifted >> 48)] += 1
            prevAcc = acc; prevIndex = accIndex
            instance.append(r)
        }
        // Pass 2: writes, in write-time order (step order).
        for k in instance.indices where instance[k][T.write] == 1 {
            let ts = time + Int64(CPUColumns.timestampsPerRow) + instance[k][T.writeTime]
            let access = try RangeLimbs.access(baseD + instance[k][T.dOffset], at: ts, lastTs: &lastTs, range: &range, "tensor write")
            instance[k][T.dOld] = memory[access.cell]
            instance[k][T.previousTimestamp + T.writeAccess] = access.previous
            instance[k][T.timestampLimbs + 2 * T.writeAccess] = access.low
            instance[k][T.timestampLimbs + 2 * T.writeAccess + 1] = access.high
            memory[access.cell] = instance[k][T.result]
        }
        rows += instance
    }

    /// Column-major table, padded to a power of two (≥ 8) with rows whose
    /// isLast = groupFirst = 1 and everything else 0.
    func columns() -> [[Goldilocks]] {
        let n = 1 << vmAir.logHeight(rows: rows.count)
        var out = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: T.width)
        for (i, r) in rows.enumerated() { for c in 0..<T.width { out[c][i] = Goldilocks(r[c]) } }
        for i in rows.count..<n { out[T.isLast][i] = .one; out[T.groupFirst][i] = .one }
        return out
    }
}
