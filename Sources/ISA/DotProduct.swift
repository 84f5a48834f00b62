/// Weights matmuls (Spec/isa.md §4a): a `matmul` whose second operand B —
/// and its bias, if any — lies inside `weights` tensors reads them from the
/// weights' declared values (the initial memory image, which stores into
/// those cells do not change) and sums modulo p. The prover runs these
/// matmuls in the lane-wide `dot` table (Spec/vm-air.md §10): one
/// activation read per row serves `lanes` output columns.
public enum DotProduct {
    /// Output columns one row of the `dot` table computes.
    public static let lanes = 16
    /// Activations one row of the `dot` table reads (its *slots*): a row
    /// adds Σ_s a_s·w_{s,l} to lane l, so it performs lanes·slots
    /// multiply-accumulates.
    public static let slots = 6

    /// The Goldilocks modulus p = 2^64 − 2^32 + 1, the modulus of a weights
    /// matmul's accumulator.
    public static let modulus = Int128(UInt64(0xFFFF_FFFF_0000_0001))

    /// The weights tensors a matmul reads B and its bias from, or nil when
    /// it is not a weights matmul: m, k, n ≥ 1, every address of the B
    /// pattern inside one `weights` tensor and the bias row inside one.
    public struct WeightsOperands: Sendable, Equatable {
        /// Index of B's tensor, and of the bias's (nil without a bias).
        public var b: Int
        public var bias: Int?
    }

    /// Whether `mm` is a weights matmul of a program with these tensors.
    public static func weightsOperands(_ mm: TensorOperation.MatMul, tensors: [TensorDeclaration]) -> WeightsOperands? {
        guard mm.m >= 1, mm.k >= 1, mm.n >= 1 else { return nil }
        func weightsTensor(lo: Int64, hi: Int64) -> Int? {
            tensors.firstIndex { $0.kind == .weights && lo >= $0.address && hi < $0.address + Int64($0.count) }
        }
        guard let span = AddressPattern.bounds(base: mm.b, digits: [(mm.k, mm.bRowStride), (mm.n, mm.bColStride)]),
              let b = weightsTensor(lo: span.lowerBound, hi: span.upperBound) else { return nil }
        var operands = WeightsOperands(b: b, bias: nil)
        if let bias = mm.bias {
            guard let biasTensor = weightsTensor(lo: bias, hi: bias + mm.n - 1) else { return nil }
            operands.bias = biasTensor
        }
        // Public weights that could carry a sum past p/2 stay exact: such a
        // matmul runs as tensor micro-steps instead.
        if tensors[b].visibility == .public, wrappingColumn(mm, operands: operands, tensors: tensors) != nil { return nil }
        return operands
    }

    /// Sums of a weights matmul wrap modulo p only if some column j has
    /// 2^31·Σ_t |B[t, j]| + |bias_j| ≥ 2^62 (activations are in V, so no sum
    /// then reaches p/2 ≈ 2^63): the first such column, or nil. Hidden
    /// values (private or committed weights) count as 2^31, so the answer
    /// for public B is the same for the prover's and the verifier's copy.
    /// - Parameter usingHiddenValues: count private and committed values
    ///   as they are (the weights' owner checking them) instead of as 2^31.
    public static func wrappingColumn(_ mm: TensorOperation.MatMul, operands: WeightsOperands,
                                      tensors: [TensorDeclaration], usingHiddenValues: Bool = false) -> Int64? {
        let bound = Int128(1) << 62, top = Int128(1) << 31
        func value(_ tensor: Int, _ address: Int64) -> Int128 {
            // Only public values count by default: a verifier's copy of the program lacks the others.
            guard usingHiddenValues || tensors[tensor].visibility == .public, let data = tensors[tensor].data else { return top }
            return Int128(data[Int(address - tensors[tensor].address)].magnitude)
        }
        for j in 0..<mm.n {
            var total = operands.bias.map { value($0, mm.bias! + j) } ?? 0
            for t in 0..<mm.k {
                total += top * value(operands.b, mm.b + t * mm.bRowStride + j * mm.bColStride)
                if total >= bound { return j }
            }
        }
        return nil
    }

    /// The representative in (−p/2, p/2) of `sum` mod p: a weights
    /// matmul's accumulator. Equal to `sum` whenever |sum| < p/2 (≈ 2^63).
    @inlinable
    public static func accumulator(_ sum: Int128) -> Int64 {
        var r = sum % modulus
        if r < 0 { r += modulus }
        if r > modulus / 2 { r -= modulus }
        return Int64(r)
    }

    /// ⌊(acc + 2^(s−1)) / 2^s⌋ (acc itself for s = 0) — the ISA's rescale,
    /// for any accumulator — or nil when the result leaves V.
    @inlinable
    public static func rescaled(_ acc: Int64, shift: Int64) -> Int64? {
        let half: Int128 = shift > 0 ? Int128(1) << (shift - 1) : 0
        let result = (Int128(acc) + half) >> shift
        guard result >= Int128(FixedPoint.minValue), result <= Int128(FixedPoint.maxValue) else { return nil }
        return Int64(result)
    }
}

/// One row of a weights matmul's static schedule (Spec/vm-air.md §10):
/// what the `dot` table's row does and, on a group's last row, where the
/// group's outputs go. The `dotcode` table holds every descriptor's rows.
public struct DotStep: Sendable, Equatable {
    /// The row's index in the program's schedule (its `dotcode` row).
    public var id = 0
    public var descriptor = 0
    /// First and last row of the instruction.
    public var isStart = false, isLast = false
    /// First and last row of an output group: lanes restart from 0 on the
    /// first and are rescaled and written after the last.
    public var groupFirst = false, groupEnd = false
    /// Per slot s < `DotProduct.slots`: whether it reads an activation (at
    /// baseA + aOffset[s]) and the weights row it multiplies. Slot 0 of a
    /// group's first row may be the bias (no read, activation 1); any other
    /// slot without a read is unused (activation 0).
    public var readA = [Bool](repeating: false, count: DotProduct.slots)
    public var aOffset = [Int64](repeating: 0, count: DotProduct.slots)
    public var weightsRow = [Int](repeating: 0, count: DotProduct.slots)
    /// The row's first timestamp in the instruction: slot s reads at
    /// T + 8 + time + s.
    public var time: Int64 = 0
    /// On a group's last row: the first output's offset from baseD and the
    /// stride between lanes (lane l writes at baseD + dOffset + l·dStride),
    /// how many lanes are real (1…lanes), 2^s and 2^(s−1) (0 for s = 0) of
    /// the rescale, and the first output's write time (lane l writes at
    /// T + 8 + writeTime + l).
    public var dOffset: Int64 = 0, dStride: Int64 = 0, laneCount = 0, pow: Int64 = 0, half: Int64 = 0, writeTime: Int64 = 0

    /// The fields the `dot` table mirrors, in bus-message order: id,
    /// descriptor, isStart, isLast, groupFirst, groupEnd, then (readA,
    /// aOffset, weightsRow) per slot, then time.
    public static let fieldCount = 7 + 3 * DotProduct.slots
    public var fields: [Int64] {
        func b(_ x: Bool) -> Int64 { x ? 1 : 0 }
        var out = [Int64(id), Int64(descriptor), b(isStart), b(isLast), b(groupFirst), b(groupEnd)]
        for s in 0..<DotProduct.slots { out += [b(readA[s]), aOffset[s], Int64(weightsRow[s])] }
        return out + [time]
    }
    /// The output fields, looked up by the `dotoutput` table on group ends.
    public static let outputFieldCount = 7
    public var outputFields: [Int64] { [Int64(id), dOffset, dStride, Int64(laneCount), pow, half, writeTime] }
}

/// One row of the `weights` table: `lanes` weights, lane l at address
/// base + l·stride (l < lanes). Rows with the same cells are one row,
/// whichever weights matmuls read them (an unrolled recurrent layer reads
/// one matrix at every step).
public struct WeightsRow: Sendable, Equatable {
    public var base: Int64
    public var stride: Int64
    public var lanes: Int
    /// The weights tensor the row's lanes lie in.
    public var tensor: Int
    /// Whether the row's tensor is held (`HeldWeights`): its cells are not
    /// memory-table rows. A held committed tensor's lanes go to the
    /// commitment table from the `weights` table; a held public tensor's rows
    /// are the `publicweights` table's, their values preprocessed.
    public var held = false
    /// Whether the row is a held public tensor's (a `publicweights` row).
    public var isPublic = false
}

/// The static schedules of a program's weights matmuls (Spec/vm-air.md §10).
public struct DotCode: Sendable {
    /// Every weights matmul's rows, descriptor by descriptor.
    public let steps: [DotStep]
    public let weightsRows: [WeightsRow]
    /// Per tensor: whether the weights tables hold it (`HeldWeights`):
    /// its cells are not memory-table rows.
    public let heldTensors: [Bool]
    /// Per descriptor: its weights operands (nil for other descriptors),
    /// its first schedule row and row count, and its timestamp span
    /// (rows + outputs).
    public let operands: [DotProduct.WeightsOperands?]
    public let firstStep: [Int]
    public let stepCounts: [Int]
    public let spans: [Int64]

    public var isEmpty: Bool { steps.isEmpty }

    public init(_ program: Program) {
        let lanes = DotProduct.lanes, slotCount = DotProduct.slots
        var steps = [DotStep](), rows = [WeightsRow]()
        var known = [[Int64]: Int]()   // (base, stride, lanes) → row id
        func row(base: Int64, stride: Int64, lanes: Int, tensor: Int) -> Int {
            if let id = known[[base, stride, Int64(lanes)]] { return id }
            known[[base, stride, Int64(lanes)]] = rows.count
            rows.append(WeightsRow(base: base, stride: stride, lanes: lanes, tensor: tensor))
            return rows.count - 1
        }
        var operands = [DotProduct.WeightsOperands?](), first = [Int](), counts = [Int](), spans = [Int64]()
        for (d, op) in program.descriptors.enumerated() {
            first.append(steps.count)
            guard case .matmul(let mm) = op, let found = DotProduct.weightsOperands(mm, tensors: program.tensors) else {
                operands.append(nil); counts.append(0); spans.append(0)
                continue
            }
            operands.append(found)
            let blocks = Int((mm.n + Int64(lanes) - 1) / Int64(lanes))
            func laneCount(_ jb: Int) -> Int { min(lanes, Int(mm.n) - jb * lanes) }
            // Weights rows: B's (t, jb) and the bias's jb, shared with any matmul that reads the same cells.
            let bRows = (0..<mm.k).map { t in
                (0..<blocks).map { jb in
                    row(base: mm.b + t * mm.bRowStride + Int64(jb * lanes) * mm.bColStride, stride: mm.bColStride,
                        lanes: laneCount(jb), tensor: found.b)
                }
            }
            let biasRows = mm.bias.map { bias in
                (0..<blocks).map { jb in row(base: bias + Int64(jb * lanes), stride: 1, lanes: laneCount(jb), tensor: found.bias!) }
            }
            // A group's slots: the bias (if any), then t = 0 … k − 1; `slots` per row.
            let slotsPerGroup = Int(mm.k) + (mm.bias == nil ? 0 : 1)
            let perGroup = (slotsPerGroup + slotCount - 1) / slotCount
            let rowCount = Int(mm.m) * blocks * perGroup
            var row = 0, written: Int64 = 0
            for i in 0..<mm.m {
                for jb in 0..<blocks {
                    for p in 0..<perGroup {
                        var s = DotStep()
                        s.id = steps.count
                        s.descriptor = d
                        s.isStart = row == 0
                        s.isLast = row == rowCount - 1
                        s.groupFirst = p == 0
                        s.groupEnd = p == perGroup - 1
                        for slot in 0..<slotCount {
                            let position = p * slotCount + slot
                            guard position < slotsPerGroup else { break }
                            let t = mm.bias == nil ? Int64(position) : Int64(position) - 1
                            if t < 0 {
                                s.weightsRow[slot] = biasRows![jb]
                            } else {
                                s.readA[slot] = true
                                s.aOffset[slot] = mm.aAddress(i, t)
                                s.weightsRow[slot] = bRows[Int(t)][jb]
                            }
                        }
                        s.time = Int64(row * slotCount)
                        if s.groupEnd {
                            s.dOffset = mm.dstAddress(i, Int64(jb * lanes))
                            s.dStride = mm.dstColStride
                            s.laneCount = laneCount(jb)
                            s.pow = 1 << mm.shift
                            s.half = mm.shift > 0 ? 1 << (mm.shift - 1) : 0
                            s.writeTime = Int64(rowCount * slotCount) + written
                            written += Int64(s.laneCount)
                        }
                        steps.append(s)
                        row += 1
                    }
                }
            }
            counts.append(rowCount)
            spans.append(Int64(rowCount * slotCount) + written)
        }
        self.steps = steps
        heldTensors = HeldWeights.tensors(program, rows: rows, operands: operands)
        for r in rows.indices {
            rows[r].held = heldTensors[rows[r].tensor]
            rows[r].isPublic = rows[r].held && program.tensors[rows[r].tensor].visibility == .public
        }
        weightsRows = rows
        self.operands = operands
        firstStep = first
        stepCounts = counts
        self.spans = spans
    }
}
