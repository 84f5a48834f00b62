import ISA

/// Element-wise operators (Spec/onnx-import.md §3.2): NumPy broadcasting,
/// arithmetic as `zip`, ReLU/Clip as clamps, transcendental functions as
/// table lookups.
extension Lowering {
    static func broadcast(_ a: [Int], _ b: [Int], node: Node) throws(ImportError) -> [Int] {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a, pb = [Int](repeating: 1, count: rank - b.count) + b
        return try (0..<rank).map { (d: Int) throws(ImportError) -> Int in
            if pa[d] == pb[d] || pb[d] == 1 { return pa[d] }
            if pa[d] == 1 { return pb[d] }
            throw node.error("shapes \(a) and \(b) do not broadcast")
        }
    }

    /// Source strides that read a row-major tensor of shape `from` at the
    /// broadcast shape `to` (stride 0 along broadcast axes).
    static func broadcastStrides(_ from: [Int], to shape: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: shape.count - from.count) + from
        let st = strides(padded)
        return shape.indices.map { padded[$0] == 1 && shape[$0] != 1 ? 0 : st[$0] }
    }

    /// `x` materialized at `shape` (broadcasting size-1 axes): constants are
    /// expanded at import time, stored values by one strided copy.
    mutating func broadcastTo(_ node: Node, _ x: Value, _ shape: [Int]) throws(ImportError) -> Value {
        if x.shape == shape { return x }
        let strides = Self.broadcastStrides(x.shape, to: shape)
        try ConstantFolding.checkSize(shape, node: node)
        switch x {
        case .constant(let c):
            return .constant(ConstantFolding.gather(c, offset: 0, strides: strides, shape: shape))
        case .stored(let src, _):
            let dst = try buffer(node, shape: shape, suffix: "_bc")
            try gatherCopy(node, src: src, shape: shape, strides: strides, into: dst)
            return .stored(dst, shape: shape)
        }
    }

    mutating func binary(_ node: Node, _ a: Value, _ b: Value) throws(ImportError) -> Value {
        var b = b
        var op: KernelProgram.ZipOperation
        switch node.op {
        case "Add": op = .add
        case "Sub": op = .sub
        case "Mul": op = .mul
        case "Max": op = .max
        case "Min": op = .min
        default:   // Div
            guard case .constant(let c) = b else {
                // x / y = x · (1/y) with a reciprocal lookup.
                let r = try activation(Node(name: node.name, op: "Reciprocal", inputs: [], outputs: node.outputs, attributes: [:]), b)
                return try binary(Node(name: node.name, op: "Mul", inputs: [], outputs: node.outputs, attributes: [:]), a, r)
            }
            guard !c.values.contains(0) else { throw node.error("division by a constant containing 0") }
            b = .constant(ConstTensor(shape: c.shape, values: c.values.map { 1 / $0 }))
            op = .mul
        }
        let shape = try Self.broadcast(a.shape, b.shape, node: node)
        var (x, y) = (a, b)
        // A constant or stored single value broadcasts with stride 0 (a
        // minuend too: sub reads it with stride 0 on the A side).
        if y.shape.reduce(1, *) != 1 || shape.reduce(1, *) == 1 { y = try broadcastTo(node, y, shape) }
        var scalarMinuend = false
        if x.shape.reduce(1, *) == 1, shape.reduce(1, *) != 1 {
            if op == .sub {
                scalarMinuend = true
            } else {
                swap(&x, &y)   // add, mul, max, min commute
            }
        }
        let range = Self.knownRange(op, a, b, tensors: program.tensors)
        if !scalarMinuend { x = try broadcastTo(node, x, shape) }
        let (xr, _) = try stored(x, node: node.label), (yr, _) = try stored(y, node: node.label)
        let count = shape.reduce(1, *)
        let dst = try buffer(node, shape: shape)
        program.tensors[dst.tensor].knownRange = range
        emit(node, .zip(dst: dst, a: xr, b: yr, operation: op, count: count, ds: 1, as: scalarMinuend ? 0 : 1,
                        bs: y.shape.reduce(1, *) == 1 ? 0 : 1))
        return .stored(dst, shape: shape)
    }

    /// The range of `a ∘ b` when one operand is stored with a range known by
    /// construction (`KernelProgram.Tensor.knownRange`) and the other is one
    /// constant: shifted or scaled by it, widened by 2^−10 for the
    /// constant's rounding to fixed point. Nil otherwise.
    static func knownRange(_ op: KernelProgram.ZipOperation, _ a: Value, _ b: Value,
                           tensors: [KernelProgram.Tensor]) -> ClosedRange<Double>? {
        func range(_ v: Value) -> ClosedRange<Double>? {
            if case .stored(let ref, _) = v { return tensors[ref.tensor].knownRange }
            return nil
        }
        func scalar(_ v: Value) -> Double? {
            if case .constant(let c) = v, c.count == 1, c.values[0].isFinite { return c.values[0] }
            return nil
        }
        let margin = 1.0 / 1024
        func widened(_ lo: Double, _ hi: Double) -> ClosedRange<Double>? {
            let (l, h) = (Swift.min(lo, hi) - margin, Swift.max(lo, hi) + margin)
            return l.isFinite && h.isFinite ? l...h : nil
        }
        switch (op, range(a), scalar(b), scalar(a), range(b)) {
        case (.add, let r?, let c?, _, _), (.add, _, _, let c?, let r?): return widened(r.lowerBound + c, r.upperBound + c)
        case (.sub, let r?, let c?, _, _): return widened(r.lowerBound - c, r.upperBound - c)
        case (.sub, _, _, let c?, let r?): return widened(c - r.upperBound, c - r.lowerBound)
        case (.mul, let r?, let c?, _, _), (.mul, _, _, let c?, let r?): return widened(r.lowerBound * c, r.upperBound * c)
        default: return nil
        }
    }

    mutating func clamp(_ node: Node, _ x: Value, lo: Double, hi: Double) throws(ImportError) -> Value {
        let (src, shape) = try stored(x, node: node.label)
        let dst = try buffer(node, shape: shape)
        emit(node, .map(dst: dst, src: src, function: .clamp(lo: lo, hi: hi), count: shape.reduce(1, *), ds: 1, ss: 1))
        // A finite bound bounds the result by construction (an open side is
        // the largest finite magnitude), so a table it feeds can close there.
        if lo <= hi, lo.isFinite || hi.isFinite {
            let big = Double.greatestFiniteMagnitude
            program.tensors[dst.tensor].knownRange = (lo.isFinite ? lo : -big)...(hi.isFinite ? hi : big)
        }
        return .stored(dst, shape: shape)
    }

    mutating func clip(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard let x = inputs.first ?? nil else { throw node.error("missing input") }
        func bound(_ i: Int, _ attribute: String, _ fallback: Double) throws(ImportError) -> Double {
            if i < inputs.count, let v = inputs[i] {
                guard case .constant(let c) = v, c.count == 1 else { throw node.error("input \(i) must be a constant scalar") }
                return c.values[0]
            }
            return try node.float(attribute, default: fallback)
        }
        return try clamp(node, x, lo: try bound(1, "min", -.infinity), hi: try bound(2, "max", .infinity))
    }

    /// LeakyReLU(x) = max(x, 0) + α·min(x, 0): PRelu with a constant slope.
    mutating func leakyRelu(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let alpha = try node.float("alpha", default: 0.01)
        guard alpha.isFinite else { throw node.error("alpha must be finite") }
        return try prelu(node, x, slope: .constant(.scalar(alpha)))
    }

    /// GELU of at most this many values is ReLU minus a residual table
    /// (`gelu`): the residual vanishes on both sides, so its table closes at
    /// about 2^13 rows where GELU's own keeps its open upper side (about 50k
    /// rows at input scale 12). The split costs three more element rows per
    /// value (the clamp, the subtraction and a rescale of the input), so it
    /// pays below about 1,500 values.
    static let residualGeluLimit = 1536

    /// GELU(x) (exact or its tanh approximation): one table lookup, or for
    /// small tensors ReLU(x) − R(x) with the closed residual table R.
    mutating func gelu(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let approximate = try node.string("approximate", default: "none")
        guard approximate == "none" || approximate == "tanh" else { throw node.error("approximate='\(approximate)' is not supported") }
        let tanh = approximate == "tanh"
        guard x.shape.reduce(1, *) <= Self.residualGeluLimit else {
            return try activation(node, x, function: tanh ? .geluTanh : .gelu)
        }
        func part(_ op: String, _ suffix: String, outputs: [String]? = nil) -> Node {
            Node(name: node.name, op: op, inputs: [], outputs: outputs ?? [node.label + suffix], attributes: [:])
        }
        let positive = try clamp(part("Relu", "_relu"), x, lo: 0, hi: .infinity)
        let residual = try activation(part("Gelu", "_residual"), x, function: tanh ? .geluTanhResidual : .geluResidual)
        return try binary(part("Sub", "", outputs: node.outputs), positive, residual)
    }

    /// A table lookup: Sigmoid, Tanh, Exp, Erf, Log, and the internal
    /// Reciprocal and Rsqrt (or `function` where the caller chooses it).
    mutating func activation(_ node: Node, _ x: Value, function: ActivationFunction? = nil) throws(ImportError) -> Value {
        let f: ActivationFunction
        if let function {
            f = function
        } else {
            switch node.op {
            case "Sigmoid": f = .sigmoid
            case "Tanh": f = .tanh
            case "Exp": f = .exp
            case "Erf": f = .erf
            case "Log": f = .log
            case "Reciprocal": f = .reciprocal
            default: f = .rsqrt
            }
        }
        let (src, shape) = try stored(x, node: node.label)
        let dst = try buffer(node, shape: shape)
        emit(node, .map(dst: dst, src: src, function: .activation(f), count: shape.reduce(1, *), ds: 1, ss: 1))
        // Bounded functions bound their table's outputs, in fixed point too
        // (0, ±1 are exact at every scale and outputs round towards them).
        switch f {
        case .sigmoid: program.tensors[dst.tensor].knownRange = 0...1
        case .tanh, .erf: program.tensors[dst.tensor].knownRange = -1...1
        default: break
        }
        return .stored(dst, shape: shape)
    }
}

