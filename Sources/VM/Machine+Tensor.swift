import ISA

extension MachineState {
    /// Checks that every address base + Σ i_d·stride_d (0 ≤ i_d < extent_d)
    /// lies in memory, from the two extreme corners of the affine pattern.
    func checkPattern(base: Int64, extents: [Int64], strides: [Int64]) throws(VMError) {
        if extents.contains(0) { return }
        var lo = base, hi = base
        for (e, s) in zip(extents, strides) {
            let span = (e - 1) * s
            if span < 0 { lo += span } else { hi += span }
        }
        _ = try address(lo)
        _ = try address(hi)
    }

    func checkedAccumulator(_ x: Int128) throws(VMError) -> Int64 {
        guard x >= -Int128(FixedPoint.accumulatorBound), x < Int128(FixedPoint.accumulatorBound) else {
            throw .valueOutOfRange(pc: pc, value: String(x))
        }
        return Int64(x)
    }

    /// Charges `units` of tensor work against the step limit before doing it.
    mutating func charge(_ units: Int64) throws(VMError) {
        guard units <= Int64(stepLimit - steps - work) else { throw .stepLimit(pc: pc, steps: stepLimit) }
        work += Int(units)
    }

    mutating func executeTensor(_ op: TensorOperation, dstOffset: Int64, aOffset: Int64, bOffset: Int64) throws(VMError) {
        switch op {
        case .matmul(let mm):
            guard mm.m * mm.n > 0 else { return }
            try charge(mm.m * mm.n * (mm.k + 1))
            let dst = mm.dst + dstOffset, a = mm.a + aOffset, b = mm.b + bOffset
            try checkPattern(base: a, extents: [mm.m, mm.k], strides: [mm.aRowStride, mm.aColStride])
            try checkPattern(base: b, extents: [mm.k, mm.n], strides: [mm.bRowStride, mm.bColStride])
            try checkPattern(base: dst, extents: [mm.m, mm.n], strides: [mm.dstRowStride, 1])
            if let bias = mm.bias { try checkPattern(base: bias, extents: [mm.n], strides: [1]) }
            var out = [Int64](repeating: 0, count: Int(mm.m * mm.n))
            for i in 0..<mm.m {
                for j in 0..<mm.n {
                    var acc: Int128 = 0
                    if let bias = mm.bias { acc = Int128(try loadInBounds(bias + j)) }
                    for t in 0..<mm.k {
                        let x = try loadInBounds(a + i * mm.aRowStride + t * mm.aColStride)
                        let y = try loadInBounds(b + t * mm.bRowStride + j * mm.bColStride)
                        acc += Int128(x) * Int128(y)
                        try recordMAC(x, y, acc)
                    }
                    out[Int(i * mm.n + j)] = try checked(FixedPoint.rescale(try checkedAccumulator(acc), shift: Int(mm.shift)))
                }
            }
            macs += Int(mm.m * mm.k * mm.n)
            for i in 0..<mm.m { for j in 0..<mm.n { try storeInBounds(dst + i * mm.dstRowStride + j, out[Int(i * mm.n + j)]) } }

        case .map(let m):
            try charge(m.count)
            let dst = m.dst + dstOffset, src = m.src + aOffset
            try checkPattern(base: src, extents: [m.count], strides: [m.srcStride])
            try checkPattern(base: dst, extents: [m.count], strides: [m.dstStride])
            var out = [Int64](repeating: 0, count: Int(m.count))
            for i in 0..<Int(m.count) {
                let x = try loadInBounds(src + Int64(i) * m.srcStride)
                switch m.function {
                case .lookup(let t):
                    lookups[Int(t)] += 1
                    out[i] = program.tables[Int(t)].apply(x, table: tables[Int(t)])
                    try recordLookup(table: Int(t), input: x, output: out[i])
                case .clamp(let lo, let hi): out[i] = Swift.min(Swift.max(x, lo), hi)
                case .rescale(let s): out[i] = FixedPoint.rescale(x, shift: Int(s))
                }
            }
            for i in 0..<Int(m.count) { try storeInBounds(dst + Int64(i) * m.dstStride, out[i]) }

        case .zip(let z):
            try charge(z.count)
            let dst = z.dst + dstOffset, a = z.a + aOffset, b = z.b + bOffset
            try checkPattern(base: a, extents: [z.count], strides: [z.aStride])
            try checkPattern(base: b, extents: [z.count], strides: [z.bStride])
            try checkPattern(base: dst, extents: [z.count], strides: [z.dstStride])
            var out = [Int64](repeating: 0, count: Int(z.count))
            for i in 0..<Int(z.count) {
                let x = try loadInBounds(a + Int64(i) * z.aStride), y = try loadInBounds(b + Int64(i) * z.bStride)
                switch z.operation {
                case .add: out[i] = try checked(x + y)
                case .sub: out[i] = try checked(x - y)
                case .max: out[i] = Swift.max(x, y)
                case .min: out[i] = Swift.min(x, y)
                case .mul(let s):
                    try recordMAC(x, y, Int128(x * y))
                    out[i] = try checked(FixedPoint.rescale(try checkedAccumulator(Int128(x * y)), shift: Int(s)))
                }
            }
            if case .mul = z.operation { macs += Int(z.count) }
            for i in 0..<Int(z.count) { try storeInBounds(dst + Int64(i) * z.dstStride, out[i]) }

        case .reduce(let r):
            try charge(r.rows * r.cols)
            let dst = r.dst + dstOffset, src = r.src + aOffset
            _ = try address(dst)
            try checkPattern(base: src, extents: [r.rows, r.cols], strides: [r.rowStride, r.colStride])
            guard r.rows * r.cols > 0 else { try storeInBounds(dst, 0); return }
            var sum: Int128 = 0
            var best = Int64.min, bestIndex: Int64 = 0
            for row in 0..<r.rows {
                for col in 0..<r.cols {
                    let x = try loadInBounds(src + row * r.rowStride + col * r.colStride)
                    sum += Int128(x)
                    if x > best { best = x; bestIndex = row * r.cols + col }
                }
            }
            switch r.operation {
            case .sum(let s): try storeInBounds(dst, try checked(FixedPoint.rescale(try checkedAccumulator(sum), shift: Int(s))))
            case .max: try storeInBounds(dst, best)
            case .argmax: try storeInBounds(dst, try checked(bestIndex))
            }

        case .copy(let c):
            try charge(c.shape.reduce(1, *))
            let dst = c.dst + dstOffset, src = c.src + aOffset
            try checkPattern(base: src, extents: c.shape, strides: c.strides)
            let total = c.shape.reduce(1, *)
            try checkPattern(base: dst, extents: [total], strides: [1])
            var out = [Int64]()
            out.reserveCapacity(Int(total))
            for offset in c.sourceOffsets() { out.append(try loadInBounds(src + offset)) }
            for (f, v) in out.enumerated() { try storeInBounds(dst + Int64(f), v) }
        }
    }
}
