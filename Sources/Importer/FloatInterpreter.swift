import ISA

/// Runs a `KernelProgram` in double precision: the float reference for
/// calibration (per-tensor ranges) and for the per-layer error report.
struct FloatInterpreter {
    let program: KernelProgram

    /// Every tensor's values after one run on `inputs` (one list per graph input).
    func run(_ inputs: [[Double]]) -> [[Double]] {
        var memory = program.tensors.map { $0.data ?? [Double](repeating: 0, count: $0.count) }
        for (i, t) in program.inputs.enumerated() {
            // Integer and boolean inputs hold whole numbers, as the VM rounds them at scale 0.
            memory[t] = program.tensors[t].wholeNumbers ? inputs[i].map { $0.rounded(.toNearestOrAwayFromZero) } : inputs[i]
        }
        for step in program.steps { execute(step.operation, &memory) }
        return memory
    }

    func execute(_ op: KernelProgram.Operation, _ m: inout [[Double]]) {
        switch op {
        case let .matmul(dst, a, b, bias, rows, k, n, ars, acs, brs, bcs, drs, pattern):
            for i in 0..<rows {
                for j in 0..<n {
                    var acc = bias.map { m[$0.tensor][$0.offset + j] } ?? 0
                    for t in 0..<k {
                        let aOffset = pattern?.aOffset(i, t) ?? (i * ars + t * acs)
                        acc += m[a.tensor][a.offset + aOffset] * m[b.tensor][b.offset + t * brs + j * bcs]
                    }
                    m[dst.tensor][dst.offset + i * drs + j * (pattern?.dstColumnStride ?? 1)] = acc
                }
            }
        case let .map(dst, src, function, count, ds, ss):
            for i in 0..<count {
                let x = m[src.tensor][src.offset + i * ss]
                let y: Double
                switch function {
                case let .clamp(lo, hi): y = Swift.min(Swift.max(x, lo), hi)
                case let .activation(f): y = f.evaluate(x)
                case .step: y = x > 0 ? 1 : 0
                case let .floor(e): y = (x / Double(sign: .plus, exponent: e, significand: 1)).rounded(.down)
                }
                m[dst.tensor][dst.offset + i * ds] = y
            }
        case let .zip(dst, a, b, operation, count, ds, as_, bs):
            for i in 0..<count {
                let x = m[a.tensor][a.offset + i * as_], y = m[b.tensor][b.offset + i * bs]
                let z: Double
                switch operation {
                case .add: z = x + y
                case .sub: z = x - y
                case .mul: z = x * y
                case .max: z = Swift.max(x, y)
                case .min: z = Swift.min(x, y)
                }
                m[dst.tensor][dst.offset + i * ds] = z
            }
        case let .reduce(dst, src, operation, rows, cols, rs, cs):
            var acc = operation == .sum ? 0.0 : -Double.infinity
            var index = 0
            for r in 0..<rows {
                for c in 0..<cols {
                    let x = m[src.tensor][src.offset + r * rs + c * cs]
                    switch operation {
                    case .sum: acc += x
                    case .max, .argmax: if x > acc { acc = x; index = r * cols + c }
                    }
                }
            }
            m[dst.tensor][dst.offset] = operation == .argmax ? Double(index) : (rows * cols == 0 ? 0 : acc)
        case let .copy(dst, src, shape, strides):
            // The ISA's own gather pattern, so the reference moves data exactly as the VM does.
            let pattern = TensorOperation.Copy(dst: 0, src: 0, shape: shape.map(Int64.init), strides: strides.map(Int64.init))
            for (flat, offset) in pattern.sourceOffsets().enumerated() {
                m[dst.tensor][dst.offset + flat] = m[src.tensor][src.offset + Int(offset)]
            }
        }
    }
}

/// Calls `body` with every index of `shape` in row-major order.
func forEachIndex(_ shape: [Int], _ body: ([Int]) -> Void) {
    if shape.contains(0) { return }
    var idx = [Int](repeating: 0, count: shape.count)
    while true {
        body(idx)
        var d = shape.count - 1
        while d >= 0 {
            idx[d] += 1
            if idx[d] < shape[d] { break }
            idx[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}
