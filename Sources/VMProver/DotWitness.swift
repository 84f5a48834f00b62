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
    /// Row-major rows of the two tables.
    var rows: [Goldilocks] = []
    var outputs: [Goldilocks] = []
    /// Per schedule row: how many `dot` rows and `dotoutput` rows looked it up.
    var stepCounts: [Int]
    var outputCounts: [Int]

    init(code: DotCode) {
        self.code = code
        stepCounts = [Int](repeating: 0, count: code.steps.count)
        outputCounts = stepCounts
    }

    static func limbs(_ value: Int64, _ what: String) throws -> (Int64, Int64) {
        guard value >= 0, value < 1 << 32 else { throw VMArithmetizationError.witness("\(what): \(value) outside [0, 2^32)") }
        return (value & 0xFFFF, value >> 16)
    }

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
            stepCounts[s.id] += 1
            var r = [Goldilocks](repeating: .zero, count: D.width)
            for (k, v) in s.fields.enumerated() { r[k] = Goldilocks(v) }
            r[D.active] = .one
            r[D.instructionTime] = Goldilocks(time); r[D.baseA] = Goldilocks(baseA); r[D.baseD] = Goldilocks(baseD)
            var a: Int64 = 1
            if s.readA {
                let address = baseA + s.aOffset
                guard address >= 0, address < memory.count else { throw VMArithmetizationError.witness("matmul read outside memory") }
                let i = Int(address), ts = t0 + s.time
                let (lo, hi) = try Self.limbs(ts - lastTs[i] - 1, "timestamp")
                r[D.previousTimestamp] = Goldilocks(lastTs[i])
                r[D.timestampLimbs] = Goldilocks(lo); r[D.timestampLimbs + 1] = Goldilocks(hi)
                range[Int(lo)] += 1; range[Int(hi)] += 1
                lastTs[i] = ts
                a = memory[i]
            }
            r[D.activation] = Goldilocks(a)
            let weights = code.weightsRows[s.weightsRow]
            if s.groupFirst { sums = [Goldilocks](repeating: .zero, count: lanes) }
            let av = Goldilocks(a)
            for l in 0..<weights.lanes {
                let w = Goldilocks(image[Int(weights.base + Int64(l) * weights.stride)])
                r[D.weights + l] = w
                sums[l] = sums[l] + av * w
            }
            for l in 0..<lanes { r[D.accumulators + l] = sums[l] }
            rows += r
            if s.groupEnd { pending.append((s, sums)) }
        }
        // Writes after every read, group by group, lane by lane: one output row each.
        for (s, sums) in pending {
            outputCounts[s.id] += 1
            let shift = Int64(s.pow.trailingZeroBitCount)
            for l in 0..<s.laneCount {
                var r = [Goldilocks](repeating: .zero, count: O.width)
                func set(_ column: Int, _ value: Int64) { r[column] = Goldilocks(value) }
                set(O.active, 1); set(O.first, l == 0 ? 1 : 0); set(O.last, l == s.laneCount - 1 ? 1 : 0); set(O.lane, Int64(l))
                set(O.instructionTime, time); set(O.baseD, baseD)
                for (k, v) in s.outputFields.enumerated() { set(O.id + k, v) }
                for k in 0..<(lanes - l) { r[O.sums + k] = sums[l + k] }
                let raw = sums[l].value
                let acc = raw > UInt64(DotProduct.modulus / 2) ? Int64(Int128(raw) - DotProduct.modulus) : Int64(raw)
                guard let result = DotProduct.rescaled(acc, shift: shift) else {
                    throw VMArithmetizationError.witness("matmul result of accumulator \(acc) outside the value range")
                }
                let remainder = Int64(Int128(acc) + Int128(s.half) - Int128(result) * Int128(s.pow))
                set(O.result, result); set(O.remainder, remainder)
                for (k, v) in [result + (1 << 31), remainder, s.pow - 1 - remainder].enumerated() {
                    let (lo, hi) = try Self.limbs(v, "matmul range slot \(k)")
                    set(O.slotLimbs + 2 * k, lo); set(O.slotLimbs + 2 * k + 1, hi)
                    range[Int(lo)] += 1; range[Int(hi)] += 1
                }
                let address = baseD + s.dOffset + Int64(l)
                guard address >= 0, address < memory.count else { throw VMArithmetizationError.witness("matmul write outside memory") }
                let i = Int(address), ts = t0 + s.writeTime + Int64(l)
                let (lo, hi) = try Self.limbs(ts - lastTs[i] - 1, "timestamp")
                set(O.old, memory[i]); set(O.previousTimestamp, lastTs[i])
                set(O.timestampLimbs, lo); set(O.timestampLimbs + 1, hi)
                range[Int(lo)] += 1; range[Int(hi)] += 1
                lastTs[i] = ts
                memory[i] = result
                outputs += r
            }
        }
    }

    /// The dotcode table's two multiplicity columns.
    func codeColumns(logHeight: Int) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var steps = [Goldilocks](repeating: .zero, count: n), outs = steps
        for i in stepCounts.indices { steps[i] = Goldilocks(stepCounts[i]); outs[i] = Goldilocks(outputCounts[i]) }
        return [steps, outs]
    }

    /// The dot table's columns, padded to a power of two with rows whose
    /// isLast = groupFirst = 1, activation 1, everything else 0.
    func dotColumns(logHeight: Int) -> [[Goldilocks]] {
        let padding: [Goldilocks] = {
            var r = [Goldilocks](repeating: .zero, count: D.width)
            r[D.isLast] = .one; r[D.groupFirst] = .one; r[D.activation] = .one
            return r
        }()
        return Self.transposed(rows, width: D.width, logHeight: logHeight, padding: padding)
    }

    /// The dotoutput table's columns, padded with rows whose last = 1 and
    /// everything else 0.
    func outputColumns(logHeight: Int) -> [[Goldilocks]] {
        var padding = [Goldilocks](repeating: .zero, count: O.width)
        padding[O.last] = .one
        return Self.transposed(outputs, width: O.width, logHeight: logHeight, padding: padding)
    }

    var dotRowCount: Int { rows.count / D.width }
    var outputRowCount: Int { outputs.count / O.width }

    static func transposed(_ flat: [Goldilocks], width: Int, logHeight: Int, padding: [Goldilocks]) -> [[Goldilocks]] {
        let n = 1 << logHeight, count = flat.count / width
        return (0..<width).map { c in
            [Goldilocks](unsafeUninitializedCapacity: n) { buffer, initialized in
                for i in 0..<count { buffer.initializeElement(at: i, to: flat[i * width + c]) }
                for i in count..<n { buffer.initializeElement(at: i, to: padding[c]) }
                initialized = n
            }
        }
    }
}
