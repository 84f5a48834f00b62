import Field
import ISA
import VMArithmetization

/// Rows of the `dot` and `dotoutput` tables (Spec/vm-air.md §10): each
/// executed weights matmul's schedule on the memory state — activation
/// reads first, then the rescaled outputs written group by group, lane by
/// lane (one `dotoutput` row each), as the VM writes them — with the limbs, previous timestamps and
/// `dotcode` multiplicities the constraints need. Sums are field sums, the
/// accumulator the ISA defines (`DotProduct.accumulator`).
struct DotWitness {
    typealias D = DotColumns
    typealias O = DotOutputColumns
    let code: DotCode
    var rows = WitnessRows(width: D.width)
    var outputs = WitnessRows(width: O.width)

    init(code: DotCode) { self.code = code }

    /// Runs one weights matmul instruction (descriptor `d`, timestamp base
    /// `time`) on the carried memory; `image` is the initial memory (the
    /// weights' declared values).
    mutating func execute(descriptor d: Int, time: Int64, baseD: Int64, baseA: Int64, image: [Int64],
                          memory: inout [Int64], lastTs: inout [Int64], range: inout [Int]) throws {
        let lanes = DotProduct.lanes
        let steps = code.steps[code.firstStep[d] ..< code.firstStep[d] + code.stepCounts[d]]
        let t0 = time + Int64(CPUColumns.timestampsPerRow)
        var sums = [Goldilocks](repeating: .zero, count: lanes)
        var pending = [(step: DotStep, sums: [Goldilocks])]()
        for s in steps {
            let r = rows.appendScheduled(fields: s.fields, active: D.active, instructionTime: D.instructionTime, baseA: D.baseA,
                                         baseD: D.baseD, time: time, baseAValue: baseA, baseDValue: baseD)
            if s.groupFirst { sums = [Goldilocks](repeating: .zero, count: lanes) }
            for slot in 0..<DotProduct.slots {
                // Slot 0 without a read is the bias (1); a later slot without one is unused (0).
                var a: Int64 = slot == 0 ? 1 : 0
                if s.readA[slot] {
                    let read = try RangeLimbs.access(baseA + s.aOffset[slot], at: t0 + s.time + Int64(slot), lastTs: &lastTs,
                                                     range: &range, "matmul read")
                    rows.set(r, D.previousTimestamp(slot), read.previous)
                    rows.set(r, D.timestampLimbs(slot), read.low); rows.set(r, D.timestampLimbs(slot) + 1, read.high)
                    a = memory[read.cell]
                } else if slot > 0 {
                    continue
                }
                rows.set(r, D.activation(slot), a)
                let weights = code.weightsRows[s.weightsRow[slot]]
                let av = Goldilocks(a)
                for l in 0..<weights.lanes {
                    let w = Goldilocks(image[Int(weights.base + Int64(l) * weights.stride)])
                    rows[r, D.weights(slot) + l] = w
                    sums[l] = sums[l] + av * w
                }
            }
            for l in 0..<lanes { rows[r, D.accumulators + l] = sums[l] }
            if s.groupEnd { pending.append((s, sums)) }
        }
        // Writes after every read, group by group, lane by lane: one output row each.
        for (s, sums) in pending {
            let shift = Int64(s.pow.trailingZeroBitCount)
            for l in 0..<s.laneCount {
                let r = outputs.append()
                outputs.set(r, O.active, 1); outputs.set(r, O.first, l == 0 ? 1 : 0)
                outputs.set(r, O.last, l == s.laneCount - 1 ? 1 : 0); outputs.set(r, O.lane, Int64(l))
                outputs.set(r, O.instructionTime, time); outputs.set(r, O.baseD, baseD)
                for (k, v) in s.outputFields.enumerated() { outputs.set(r, O.id + k, v) }
                outputs.set(r, O.laneOffset, Int64(l) * s.dStride)
                for k in 0..<(lanes - l) { outputs[r, O.sums + k] = sums[l + k] }
                // The accumulator the ISA defines: the sum modulo p, centred.
                let acc = sums[l].signedValue
                guard let result = DotProduct.rescaled(acc, shift: shift) else {
                    throw VMArithmetizationError.witness("matmul result of accumulator \(acc) outside the value range")
                }
                let remainder = Int64(Int128(acc) + Int128(s.half) - Int128(result) * Int128(s.pow))
                outputs.set(r, O.result, result); outputs.set(r, O.remainder, remainder)
                for (k, v) in [result + (1 << 31), remainder, s.pow - 1 - remainder].enumerated() {
                    let (lo, hi) = try RangeLimbs.split(v, "matmul range slot \(k)", range: &range)
                    outputs.set(r, O.slotLimbs + 2 * k, lo); outputs.set(r, O.slotLimbs + 2 * k + 1, hi)
                }
                let write = try RangeLimbs.access(baseD + s.dOffset + Int64(l) * s.dStride, at: t0 + s.writeTime + Int64(l),
                                                  lastTs: &lastTs, range: &range, "matmul write")
                outputs.set(r, O.old, memory[write.cell]); outputs.set(r, O.previousTimestamp, write.previous)
                outputs.set(r, O.timestampLimbs, write.low); outputs.set(r, O.timestampLimbs + 1, write.high)
                memory[write.cell] = result
            }
        }
    }

    /// The dot table's columns, padded to a power of two with rows whose
    /// isLast = groupFirst = 1, slot 0's activation 1, everything else 0.
    func dotColumns(logHeight: Int) -> [[Goldilocks]] {
        var padding = [Goldilocks](repeating: .zero, count: D.width)
        padding[D.isLast] = .one; padding[D.groupFirst] = .one; padding[D.activation(0)] = .one
        return rows.columns(logHeight: logHeight, padding: padding)
    }

    /// The dotoutput table's columns, padded with rows whose last = 1 and
    /// everything else 0.
    func outputColumns(logHeight: Int) -> [[Goldilocks]] {
        var padding = [Goldilocks](repeating: .zero, count: O.width)
        padding[O.last] = .one
        return outputs.columns(logHeight: logHeight, padding: padding)
    }

    var dotRowCount: Int { rows.count }
    var outputRowCount: Int { outputs.count }
}
