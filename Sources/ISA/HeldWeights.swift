/// Which committed (16-bit) or public weights tensors the weights tables
/// *hold* (Spec/vm-air.md §10a, §10b): a tensor whose every cell is read by
/// exactly one weights lane (`WeightsRow`) and that nothing else in the
/// program can touch — no `ld`/`st` in the program, no tensor instruction
/// shifted by a register, and no operand pattern of any instruction
/// (other than a weights matmul's B and bias) reaching into it. Such a
/// tensor's cells never enter timestamped memory, so the memory table
/// leaves them out: the weights table sends a committed one's cells to the
/// commitment table itself, and a public one's rows are preprocessed in
/// the `publicweights` table. The decision reads the program's layout and
/// code only (never a hidden value), so prover and verifier agree.
public enum HeldWeights {
    /// Per tensor: whether the weights table holds it.
    public static func tensors(_ program: Program, rows: [WeightsRow], operands: [DotProduct.WeightsOperands?]) -> [Bool] {
        // A committed tensor is held only at 16 bits: the weights table packs
        // its lanes three to an absorbed element (Spec/vm-air.md §10a).
        var held = program.tensors.map {
            $0.kind == .weights && ($0.visibility == .committed && $0.bits == 16 || $0.visibility == .public)
        }
        guard held.contains(true) else { return held }
        // Dynamic addresses could reach any cell.
        for i in program.code {
            if i.opcode == .ld || i.opcode == .st || i.opcode.isTensor && (i.rd != 0 || i.ra != 0 || i.rb != 0) {
                return held.map { _ in false }
            }
        }
        func overlaps(_ interval: ClosedRange<Int64>) {
            for (t, tensor) in program.tensors.enumerated() where held[t] {
                if interval.overlaps(tensor.address...(tensor.address + Int64(tensor.count) - 1)) { held[t] = false }
            }
        }
        for (d, op) in program.descriptors.enumerated() {
            for interval in touched(op, weightsMatmul: operands[d] != nil) { overlaps(interval) }
        }
        // Exactly one lane per cell.
        var lanes = [Int](repeating: 0, count: Int(program.memorySize))
        for row in rows {
            for l in 0..<row.lanes { lanes[Int(row.base + Int64(l) * row.stride)] += 1 }
        }
        for (t, tensor) in program.tensors.enumerated() where held[t] {
            let cells = Int(tensor.address)..<(Int(tensor.address) + tensor.count)
            if cells.contains(where: { lanes[$0] != 1 }) { held[t] = false }
        }
        return held
    }

    /// The address intervals an instruction's operands can touch, apart
    /// from a weights matmul's B and bias (empty for an instruction that
    /// does nothing).
    static func touched(_ op: TensorOperation, weightsMatmul: Bool) -> [ClosedRange<Int64>] {
        func span(_ base: Int64, _ digits: [(extent: Int64, stride: Int64)]) -> [ClosedRange<Int64>] {
            AddressPattern.bounds(base: base, digits: digits).map { [$0] } ?? []
        }
        switch op {
        case .matmul(let mm):
            var out = span(mm.a, mm.aPattern) + span(mm.dst, [(mm.m, mm.dstRowStride), (mm.n, mm.dstColStride)])
            if !weightsMatmul {
                out += span(mm.b, [(mm.k, mm.bRowStride), (mm.n, mm.bColStride)])
                if let bias = mm.bias { out += span(bias, [(mm.n, 1)]) }
            }
            return out
        case .map(let m):
            return span(m.src, [(m.count, m.srcStride)]) + span(m.dst, [(m.count, m.dstStride)])
        case .zip(let z):
            return span(z.a, [(z.count, z.aStride)]) + span(z.b, [(z.count, z.bStride)]) + span(z.dst, [(z.count, z.dstStride)])
        case .reduce(let r):
            return span(r.src, [(r.rows, r.rowStride), (r.cols, r.colStride)]) + span(r.dst, [(1, 0)])
        case .copy(let c):
            let n = c.shape.reduce(1, *)
            return span(c.src, zip(c.shape, c.strides).map { ($0, $1) }) + span(c.dst, [(n, 1)])
        }
    }
}
