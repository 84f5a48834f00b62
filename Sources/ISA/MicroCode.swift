/// The static expansion of tensor instructions into micro-steps
/// (Spec/vm-air.md §6). Descriptors are static — shapes, strides, relative
/// addresses, operations — and only the three base offsets (R[rd], R[ra],
/// R[rb]) vary at run time, so every descriptor expands to a fixed list of
/// steps that the verifier derives from the program. The `tensor` table
/// executes steps and looks each one up in this preprocessed list; loops,
/// address patterns and write order need no constraints of their own.
///
/// Each step reads up to five cells (A at baseA + aOffset, B at baseB +
/// bOffset, C at the absolute cOffset — a matmul bias — and, in a matmul's
/// second lane, A1 at baseA + aOffset1 and B1 at baseB + bOffset1),
/// accumulates, and may write one cell (D at baseD + dOffset). A matmul step
/// performs two multiply-accumulates (vm-air.md §6b). Reads of step s use
/// timestamps T + 8 + 5s + slot (slots A 0, B 1, C 2, A1 3, B1 4); writes use
/// T + 8 + writeTime with writeTime = 5·steps + writeIndex, after every read
/// of the instruction, in the VM's write order.
public struct MicroStep: Sendable, Equatable {
    public var descriptor = 0
    public var step = 0
    public var isStart = false, isLast = false
    public var readA = false, readB = false, readC = false, write = false
    public var aOffset: Int64 = 0, bOffset: Int64 = 0, cOffset: Int64 = 0, dOffset: Int64 = 0
    public var writeTime: Int64 = 0
    /// First step of an accumulation group (prevAcc = 0 there).
    public var groupFirst = false
    /// Flat element index (argmax).
    public var index: Int64 = 0
    /// Accumulation: acc = prevAcc + C + A·B (mac), + A (sum); running max / argmax.
    public var accMac = false, accSum = false, accMax = false, accArgmax = false
    /// Compare the running maximum with A on this step (max/argmax after the first element).
    public var compareAcc = false
    /// How the written result is defined (schedule fields of the tensor table).
    public var resultRescale = false, resultAcc = false, resultIndex = false, resultCopy = false
    /// 2^s and 2^(s−1) (0 for s = 0) for rescaling results.
    public var pow: Int64 = 0, half: Int64 = 0
    /// The second multiply-accumulate lane of a matmul step: acc also adds
    /// A1·B1, read at baseA + aOffset1 and baseB + bOffset1.
    public var lane1 = false
    public var aOffset1: Int64 = 0, bOffset1: Int64 = 0

    /// The element-wise operations of map and zip steps. They define what
    /// `evaluate` computes; they are not tensor-table fields, because maps
    /// and zips of at least one element run on the element table
    /// (`ElementCode`) and an empty one is an idle step.
    public var resultAdd = false, resultSub = false, resultMax = false, resultMin = false
    public var resultClamp = false, resultLookup = false
    /// The input range [lo, hi] of a clamp, or of a lookup (its table's
    /// proven domain, `LookupTableSpec.provenDomain`).
    public var parameter1: Int64 = 0, parameter2: Int64 = 0
    /// A lookup's table (its index among the program's tables).
    public var table: Int64 = 0
    /// A zip-mul step: its one product of two values of V needs no
    /// accumulator bound (|a·b| ≤ 2^62 < p/2, as for the scalar `mulr`).
    public var singleProduct = false

    /// Whether the step is a map's or zip's element operation, which only
    /// the element table constrains.
    public var isElementWise: Bool {
        resultAdd || resultSub || resultMax || resultMin || resultClamp || resultLookup || singleProduct
    }

    /// Timestamp slots per step: reads of A, B, C, A1, B1.
    public static let readsPerStep: Int64 = 5

    /// The fields in bus-message order.
    public var fields: [Int64] {
        [Int64](unsafeUninitializedCapacity: Self.fieldCount) { buffer, count in
            write(into: buffer.baseAddress!)
            count = Self.fieldCount
        }
    }

    /// Writes the fields, in `fields` order, to `out[0..<fieldCount]`.
    public func write(into out: UnsafeMutablePointer<Int64>) {
        func b(_ x: Bool) -> Int64 { x ? 1 : 0 }
        out[0] = Int64(descriptor); out[1] = Int64(step); out[2] = b(isStart); out[3] = b(isLast)
        out[4] = b(readA); out[5] = b(readB); out[6] = b(readC); out[7] = b(write)
        out[8] = aOffset; out[9] = bOffset; out[10] = cOffset; out[11] = dOffset; out[12] = writeTime
        out[13] = b(groupFirst); out[14] = index; out[15] = b(compareAcc)
        out[16] = b(accMac); out[17] = b(accSum); out[18] = b(accMax); out[19] = b(accArgmax)
        out[20] = b(resultRescale); out[21] = b(resultAcc); out[22] = b(resultIndex); out[23] = b(resultCopy)
        out[24] = pow; out[25] = half
        out[26] = b(lane1); out[27] = aOffset1; out[28] = bOffset1
    }

    public static let fieldCount = 29
}

public enum MicroCode {
    /// Steps of every descriptor, descriptor by descriptor; with each
    /// descriptor's step count and timestamp span (5·steps + writes).
    /// - Parameter domains: each lookup table's proven domain.
    /// - Parameter excluded: descriptors run elsewhere (weights matmuls,
    ///   `DotCode`): no steps, count and span 0.
    public static func expand(_ program: Program, domains: [ClosedRange<Int64>],
                              excluded: (Int) -> Bool = { _ in false }) -> (steps: [MicroStep], counts: [Int], spans: [Int64]) {
        var all = [MicroStep]()
        var counts = [Int](), spans = [Int64]()
        for (d, op) in program.descriptors.enumerated() {
            if excluded(d) { counts.append(0); spans.append(0); continue }
            var steps = [MicroStep]()
            generate(op, domains: domains) { steps.append($0) }
            let writes = Int64(steps.filter(\.write).count)
            for i in steps.indices {
                steps[i].descriptor = d
                steps[i].step = i
                steps[i].isStart = i == 0
                steps[i].isLast = i == steps.count - 1
                if steps[i].write { steps[i].writeTime += MicroStep.readsPerStep * Int64(steps.count) }
            }
            counts.append(steps.count)
            spans.append(MicroStep.readsPerStep * Int64(steps.count) + writes)
            all += steps
        }
        return (all, counts, spans)
    }

    static func rescaling(_ s: inout MicroStep, shift: Int64) {
        s.resultRescale = true
        s.pow = 1 << shift
        s.half = shift > 0 ? 1 << (shift - 1) : 0
    }

    /// One descriptor's steps, in order, each handed to `body` as it is
    /// made (so an instruction of millions of steps needs no list of them);
    /// descriptor, step, start/last and the write-time base are left for
    /// `expand`. Never empty: an instruction with no work still has one
    /// step (which may write nothing).
    public static func generate<E: Error>(_ op: TensorOperation, domains: [ClosedRange<Int64>],
                                          _ body: (MicroStep) throws(E) -> Void) throws(E) {
        var emitted = false
        var failure: E?
        func out(_ step: MicroStep) {
            guard failure == nil else { return }
            emitted = true
            do throws(E) { try body(step) } catch { failure = error }
        }
        var writeIndex: Int64 = 0
        func writing(_ s: inout MicroStep, _ d: Int64) { s.write = true; s.dOffset = d; s.writeTime = writeIndex; writeIndex += 1 }
        switch op {
        case .matmul(let mm):
            // Output (i, j) sums k products; a step takes two of them (lanes 0
            // and 1), so it has ⌈k/2⌉ steps (one with the bias alone if k = 0).
            for i in 0..<max(0, mm.m) {
                for j in 0..<max(0, mm.n) {
                    let pairs = max(1, (mm.k + 1) / 2)
                    for p in 0..<pairs {
                        var s = MicroStep()
                        s.accMac = true
                        s.groupFirst = p == 0
                        let t = 2 * p
                        if t < mm.k {
                            s.readA = true; s.aOffset = mm.aAddress(i, t)
                            s.readB = true; s.bOffset = mm.b + t * mm.bRowStride + j * mm.bColStride
                        }
                        if t + 1 < mm.k {
                            s.lane1 = true
                            s.aOffset1 = mm.aAddress(i, t + 1)
                            s.bOffset1 = mm.b + (t + 1) * mm.bRowStride + j * mm.bColStride
                        }
                        if p == 0, let bias = mm.bias { s.readC = true; s.cOffset = bias + j }
                        if p == pairs - 1 { rescaling(&s, shift: mm.shift); writing(&s, mm.dstAddress(i, j)) }
                        out(s)
                    }
                }
            }
        case .map(let m):
            for i in 0..<max(0, m.count) {
                var s = MicroStep()
                s.groupFirst = true
                s.readA = true; s.aOffset = m.src + i * m.srcStride
                switch m.function {
                case .lookup(let t):
                    s.resultLookup = true; s.table = t
                    s.parameter1 = domains[Int(t)].lowerBound; s.parameter2 = domains[Int(t)].upperBound
                case .clamp(let lo, let hi): s.resultClamp = true; s.parameter1 = lo; s.parameter2 = hi
                case .rescale(let shift): s.accSum = true; rescaling(&s, shift: shift)
                }
                writing(&s, m.dst + i * m.dstStride)
                out(s)
            }
        case .zip(let z):
            for i in 0..<max(0, z.count) {
                var s = MicroStep()
                s.groupFirst = true
                s.readA = true; s.aOffset = z.a + i * z.aStride
                s.readB = true; s.bOffset = z.b + i * z.bStride
                switch z.operation {
                case .add: s.resultAdd = true
                case .sub: s.resultSub = true
                case .max: s.resultMax = true
                case .min: s.resultMin = true
                case .mul(let shift): s.accMac = true; s.singleProduct = true; rescaling(&s, shift: shift)
                }
                writing(&s, z.dst + i * z.dstStride)
                out(s)
            }
        case .reduce(let r):
            let total = max(0, r.rows) * max(0, r.cols)
            if total == 0 {
                var s = MicroStep()
                s.groupFirst = true
                s.resultCopy = true   // A is not read, so A = 0: the VM writes 0.
                writing(&s, r.dst)
                out(s)
                break
            }
            for row in 0..<r.rows {
                for col in 0..<r.cols {
                    var s = MicroStep()
                    let flat = row * r.cols + col
                    s.groupFirst = flat == 0
                    s.readA = true; s.aOffset = r.src + row * r.rowStride + col * r.colStride
                    s.index = flat
                    switch r.operation {
                    case .sum: s.accSum = true
                    case .max: s.accMax = true; s.compareAcc = flat > 0
                    case .argmax: s.accArgmax = true; s.compareAcc = flat > 0
                    }
                    if flat == total - 1 {
                        switch r.operation {
                        case .sum(let shift): rescaling(&s, shift: shift)
                        case .max: s.resultAcc = true
                        case .argmax: s.resultIndex = true
                        }
                        writing(&s, r.dst)
                    }
                    out(s)
                }
            }
        case .copy(let c):
            for (f, offset) in c.sourceOffsets().enumerated() {
                var s = MicroStep()
                s.groupFirst = true
                s.readA = true
                s.aOffset = c.src + offset
                s.resultCopy = true
                writing(&s, c.dst + Int64(f))
                out(s)
            }
        }
        if !emitted { out(MicroStep()) }   // m·n = 0 or count = 0: one idle step.
        if let failure { throw failure }
    }
}
