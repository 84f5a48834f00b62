import ISA

extension MachineState {
    /// Checks that every address base + Σ i_d·stride_d (0 ≤ i_d < extent_d)
    /// lies in memory, from the two extreme corners of the affine pattern.
    func checkPattern(base: Int64, extents: [Int64], strides: [Int64]) throws(VMError) {
        guard let bounds = AddressPattern.bounds(base: base, digits: zip(extents, strides).map { (extent: $0, stride: $1) }) else { return }
        _ = try address(bounds.lowerBound)
        _ = try address(bounds.upperBound)
    }

    /// Charges `units` of tensor work against the step limit before doing it.
    mutating func charge(_ units: Int64) throws(VMError) {
        guard units <= Int64(stepLimit - steps - work) else { throw .stepLimit(pc: pc, steps: stepLimit) }
        work += Int(units)
    }

    /// Executes a tensor instruction (Spec/isa.md §4): its bounds and step
    /// budget are checked first, then its micro-steps run in order —
    /// reads and arithmetic by `MicroStep.evaluate`, the one definition
    /// the prover's tensor table uses too — and its writes land after every
    /// read, in step order.
    mutating func executeTensor(_ op: TensorOperation, dstOffset: Int64, aOffset: Int64, bOffset: Int64) throws(VMError) {
        try checkTensor(op, dstOffset: dstOffset, aOffset: aOffset, bOffset: bOffset)
        var writes = [(address: Int64, value: Int64)]()
        var previousAcc: Int64 = 0, previousIndex: Int64 = 0
        try MicroCode.generate(op, domains: domains) { (s: MicroStep) throws(VMError) in
            let va = s.readA ? try loadInBounds(aOffset + s.aOffset) : 0
            let vb = s.readB ? try loadInBounds(bOffset + s.bOffset) : 0
            let vc = s.readC ? try loadInBounds(s.cOffset) : 0
            let va1 = s.lane1 ? try loadInBounds(aOffset + s.aOffset1) : 0
            let vb1 = s.lane1 ? try loadInBounds(bOffset + s.bOffset1) : 0
            if s.groupFirst { previousAcc = 0; previousIndex = 0 }
            let o: MicroStepOutcome
            do throws(MicroStepFailure) {
                o = try s.evaluate(va: va, vb: vb, vc: vc, va1: va1, vb1: vb1, previousAcc: previousAcc, previousIndex: previousIndex,
                                   tables: tables)
            } catch {
                if case .accumulator = error { throw .accumulatorOutOfRange(pc: pc, value: error.value) }
                throw .valueOutOfRange(pc: pc, value: error.value)
            }
            if s.accMac && s.readA {   // matmul and zip-mul steps
                // Each multiply-accumulate with the sum after it (the bias first).
                try recordMAC(va, vb, Int128(previousAcc) + Int128(vc) + Int128(va) * Int128(vb))
                if s.lane1 { try recordMAC(va1, vb1, Int128(o.acc)) }
            }
            if s.resultLookup {
                countLookup(table: Int(s.table), input: va)
                try recordLookup(table: Int(s.table), input: va, output: o.result)
            }
            if s.write { writes.append((dstOffset + s.dOffset, o.result)) }
            previousAcc = o.acc; previousIndex = o.accIndex
        }
        for w in writes { try storeInBounds(w.address, w.value) }
    }

    /// Executes a weights matmul (Spec/isa.md §4a): A is read from memory,
    /// B and the bias from the weights tensors' declared values, each
    /// output's sum is taken modulo p (`DotProduct.accumulator`) and
    /// rescaled; the writes land after every read.
    mutating func executeWeightsMatmul(_ mm: TensorOperation.MatMul, operands: DotProduct.WeightsOperands,
                                       dstOffset: Int64, aOffset: Int64) throws(VMError) {
        try checkTensor(.matmul(mm), dstOffset: dstOffset, aOffset: aOffset, bOffset: 0)
        let bTensor = program.tensors[operands.b]
        guard let bData = bTensor.data else { throw .badInput("the values of weights '\(bTensor.name)' are not in this program") }
        var biasData = [Int64](), biasBase: Int64 = 0
        if let bias = operands.bias {
            guard let data = program.tensors[bias].data else {
                throw .badInput("the values of weights '\(program.tensors[bias].name)' are not in this program")
            }
            (biasData, biasBase) = (data, program.tensors[bias].address)
        }
        var outputs = [Int64](repeating: 0, count: Int(mm.m * mm.n))
        for i in 0..<mm.m {
            var row = [Int64](repeating: 0, count: Int(mm.k))
            for t in 0..<mm.k { row[Int(t)] = try loadInBounds(aOffset + mm.aAddress(i, t)) }
            for j in 0..<mm.n {
                var sum: Int128 = 0
                if let bias = mm.bias { sum = Int128(biasData[Int(bias + j - biasBase)]) }
                for t in 0..<mm.k {
                    let w = bData[Int(mm.b + t * mm.bRowStride + j * mm.bColStride - bTensor.address)]
                    sum += Int128(row[Int(t)]) * Int128(w)
                    try recordMAC(row[Int(t)], w, sum)
                }
                guard let result = DotProduct.rescaled(DotProduct.accumulator(sum), shift: mm.shift) else {
                    throw .valueOutOfRange(pc: pc, value: String(DotProduct.accumulator(sum) >> mm.shift))
                }
                outputs[Int(i * mm.n + j)] = result
            }
        }
        for i in 0..<mm.m {
            for j in 0..<mm.n { try storeInBounds(dstOffset + mm.dstAddress(i, j), outputs[Int(i * mm.n + j)]) }
        }
    }

    /// The instruction's step budget and the bounds of every address it
    /// touches, before any work (so a failure leaves memory untouched).
    mutating func checkTensor(_ op: TensorOperation, dstOffset: Int64, aOffset: Int64, bOffset: Int64) throws(VMError) {
        switch op {
        case .matmul(let mm):
            try charge(max(0, mm.m) * max(0, mm.n) * (max(0, mm.k) + 1))
            guard mm.m * mm.n > 0 else { return }
            try checkPattern(base: mm.a + aOffset, extents: mm.aPattern.map(\.extent), strides: mm.aPattern.map(\.stride))
            try checkPattern(base: mm.b + bOffset, extents: [mm.k, mm.n], strides: [mm.bRowStride, mm.bColStride])
            try checkPattern(base: mm.dst + dstOffset, extents: [mm.m, mm.n], strides: [mm.dstRowStride, mm.dstColStride])
            if let bias = mm.bias { try checkPattern(base: bias, extents: [mm.n], strides: [1]) }
            macs += Int(mm.m * mm.k * mm.n)
        case .map(let m):
            try charge(m.count)
            try checkPattern(base: m.src + aOffset, extents: [m.count], strides: [m.srcStride])
            try checkPattern(base: m.dst + dstOffset, extents: [m.count], strides: [m.dstStride])
        case .zip(let z):
            try charge(z.count)
            try checkPattern(base: z.a + aOffset, extents: [z.count], strides: [z.aStride])
            try checkPattern(base: z.b + bOffset, extents: [z.count], strides: [z.bStride])
            try checkPattern(base: z.dst + dstOffset, extents: [z.count], strides: [z.dstStride])
            if case .mul = z.operation { macs += Int(z.count) }
        case .reduce(let r):
            try charge(r.rows * r.cols)
            _ = try address(r.dst + dstOffset)
            try checkPattern(base: r.src + aOffset, extents: [r.rows, r.cols], strides: [r.rowStride, r.colStride])
        case .copy(let c):
            try charge(c.shape.reduce(1, *))
            try checkPattern(base: c.src + aOffset, extents: c.shape, strides: c.strides)
            try checkPattern(base: c.dst + dstOffset, extents: [c.shape.reduce(1, *)], strides: [1])
        }
    }
}
