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
        // A constant or stored single value broadcasts with stride 0.
        if y.shape.reduce(1, *) != 1 || shape.reduce(1, *) == 1 { y = try broadcastTo(node, y, shape) }
        if x.shape.reduce(1, *) == 1, shape.reduce(1, *) != 1 {
            if op == .sub {
                x = try broadcastTo(node, x, shape)
            } else {
                swap(&x, &y)   // add, mul, max, min commute
            }
        }
        x = try broadcastTo(node, x, shape)
        let (xr, _) = try stored(x, node: node.label), (yr, _) = try stored(y, node: node.label)
        let count = shape.reduce(1, *)
        let dst = try buffer(node, shape: shape)
        emit(node, .zip(dst: dst, a: xr, b: yr, operation: op, count: count, ds: 1, as: 1,
                        bs: y.shape.reduce(1, *) == 1 ? 0 : 1))
        return .stored(dst, shape: shape)
    }

    mutating func clamp(_ node: Node, _ x: Value, lo: Double, hi: Double) throws(ImportError) -> Value {
        let (src, shape) = try stored(x, node: node.label)
        let dst = try buffer(node, shape: shape)
        emit(node, .map(dst: dst, src: src, function: .clamp(lo: lo, hi: hi), count: shape.reduce(1, *), ds: 1, ss: 1))
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

    /// LeakyReLU(x) = max(x, 0) + α·min(x, 0).
    mutating func leakyRelu(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let alpha = try node.float("alpha", default: 0.01)
        func part(_ suffix: String) -> Node {
            Node(name: node.name, op: node.op, inputs: [], outputs: [node.label + suffix], attributes: [:])
        }
        let positive = try clamp(part("_pos"), x, lo: 0, hi: .infinity)
        let negative = try clamp(part("_min0"), x, lo: -.infinity, hi: 0)
        let scaled = try binary(Node(name: node.name, op: "Mul", inputs: [], outputs: [node.label + "_neg"], attributes: [:]),
                                negative, .constant(.scalar(alpha)))
        return try binary(Node(name: node.name, op: "Add", inputs: [], outputs: node.outputs, attributes: [:]), positive, scaled)
    }

    /// A table lookup: Sigmoid, Tanh, Exp, Erf, Gelu, Log, and the internal
    /// Reciprocal and Rsqrt.
    mutating func activation(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let f: ActivationFunction
        switch node.op {
        case "Sigmoid": f = .sigmoid
        case "Tanh": f = .tanh
        case "Exp": f = .exp
        case "Erf": f = .erf
        case "Gelu":
            let approximate = try node.string("approximate", default: "none")
            guard approximate == "none" || approximate == "tanh" else { throw node.error("approximate='\(approximate)' is not supported") }
            f = approximate == "tanh" ? .geluTanh : .gelu
        case "Log": f = .log
        case "Reciprocal": f = .reciprocal
        default: f = .rsqrt
        }
        let (src, shape) = try stored(x, node: node.label)
        let dst = try buffer(node, shape: shape)
        emit(node, .map(dst: dst, src: src, function: .activation(f), count: shape.reduce(1, *), ds: 1, ss: 1))
        return .stored(dst, shape: shape)
    }
}

