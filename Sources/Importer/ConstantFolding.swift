/// Import-time evaluation of nodes whose inputs are all constants
/// (Spec/onnx-import.md §2): the Shape/Gather/Concat/Unsqueeze chains that
/// PyTorch exports, and arithmetic on weights. Reshape-like operators fold
/// in the lowering itself (they keep constants constant).
enum ConstantFolding {
    /// The folded outputs, or nil when the lowering should handle the node.
    /// Largest constant the importer materializes (elements).
    static let maxElements = 1 << 24

    static func checkSize(_ shape: [Int], node: Node) throws(ImportError) {
        guard try elementCount(shape, node: node) <= maxElements else {
            throw node.error("a constant of shape \(shape) exceeds \(maxElements) elements")
        }
    }

    static func fold(_ node: Node, _ c: [ConstTensor], inputs: [Lowering.Value?]) throws(ImportError) -> [ConstTensor]? {
        if node.op != "Constant" && c.isEmpty { return nil }
        switch node.op {
        case "Constant":
            if case .tensor(let t)? = node.attributes["value"] { return [t] }
            if case .float(let f)? = node.attributes["value_float"] { return [.scalar(f)] }
            if case .int(let i)? = node.attributes["value_int"] { return [.scalar(Double(i))] }
            if case .floats(let f)? = node.attributes["value_floats"] { return [ConstTensor(shape: [f.count], values: f)] }
            if case .ints(let i)? = node.attributes["value_ints"] { return [ConstTensor(shape: [i.count], values: i.map(Double.init))] }
            throw node.error("unsupported constant value (sparse or string)")
        case "ConstantOfShape":
            let shape = try c.first?.integers(node, "the shape") ?? []
            guard try elementCount(shape, node: node) <= 1 << 26 else { throw node.error("shape \(shape) is too large") }
            var value = 0.0
            if case .tensor(let t)? = node.attributes["value"], let v = t.values.first { value = v }
            return [ConstTensor(shape: shape, values: [Double](repeating: value, count: shape.reduce(1, *)))]
        case "Range":
            guard c.count == 3, let start = c[0].values.first, let limit = c[1].values.first, let delta = c[2].values.first, delta != 0 else {
                throw node.error("needs scalar start, limit and non-zero delta")
            }
            let steps = ((limit - start) / delta).rounded(.up)
            guard steps.isFinite, steps <= Double(1 << 26) else { throw node.error("\(steps) elements is too many") }
            let n = steps > 0 ? Int(steps) : 0
            return [ConstTensor(shape: [n], values: (0..<n).map { start + Double($0) * delta })]
        case "Cast":
            let to = try node.int("to", default: 1)
            let integer = [2, 3, 4, 5, 6, 7, 9, 12, 13].contains(to)
            return [ConstTensor(shape: c[0].shape, values: integer ? c[0].values.map { $0.rounded(.towardZero) } : c[0].values)]
        case "Add", "Sub", "Mul", "Div":
            guard c.count == 2 else { throw node.error("needs two inputs") }
            let result = try elementwise(node, c[0], c[1]) { a, b in
                switch node.op {
                case "Add": a + b
                case "Sub": a - b
                case "Mul": a * b
                default: a / b
                }
            }
            guard result.values.allSatisfy(\.isFinite) else { throw node.error("constant arithmetic gives NaN or ∞") }
            return [result]
        case "Concat":
            guard let first = c.first else { return nil }
            let rank = first.shape.count
            let a = try Lowering.axis(try node.int("axis", default: 0), rank: rank, node: node)
            guard c.allSatisfy({ t in t.shape.count == rank && (0..<rank).allSatisfy { d in d == a || t.shape[d] == first.shape[d] } }) else {
                throw node.error("input shapes \(c.map(\.shape)) differ outside axis \(a)")
            }
            let outer = first.shape.prefix(a).reduce(1, *)
            var values = [Double](), shape = first.shape
            shape[a] = c.map { $0.shape[a] }.reduce(0, +)
            try checkSize(shape, node: node)
            for o in 0..<outer {
                for t in c {
                    let block = t.shape.dropFirst(a).reduce(1, *)
                    values += t.values[(o * block)..<((o + 1) * block)]
                }
            }
            return [ConstTensor(shape: shape, values: values)]
        case "Gather":
            guard c.count == 2 else { return nil }
            let data = c[0], rank = data.shape.count
            let a = try Lowering.axis(try node.int("axis", default: 0), rank: rank, node: node)
            let outer = data.shape.prefix(a).reduce(1, *), inner = data.shape.dropFirst(a + 1).reduce(1, *), n = data.shape[a]
            try checkSize(Array(data.shape.prefix(a)) + c[1].shape + Array(data.shape.dropFirst(a + 1)), node: node)
            var values = [Double]()
            for o in 0..<outer {
                for raw in try c[1].integers(node, "indices") {
                    let i = raw < 0 ? raw + n : raw
                    guard i >= 0, i < n else { throw node.error("index \(raw) is out of range for dimension \(n)") }
                    let start = (o * n + i) * inner
                    values += data.values[start..<(start + inner)]
                }
            }
            return [ConstTensor(shape: Array(data.shape.prefix(a)) + c[1].shape + Array(data.shape.dropFirst(a + 1)), values: values)]
        case "Transpose":
            let shape = c[0].shape
            let perm = try node.ints("perm") ?? Array(shape.indices.reversed())
            guard perm.sorted() == Array(shape.indices) else { throw node.error("perm \(perm) is not a permutation") }
            let st = Lowering.strides(shape)
            return [gather(c[0], offset: 0, strides: perm.map { st[$0] }, shape: perm.map { shape[$0] })]
        case "Neg": return [ConstTensor(shape: c[0].shape, values: c[0].values.map { -$0 })]
        case "Sqrt":
            guard c[0].values.allSatisfy({ $0 >= 0 }) else { throw node.error("square root of a negative constant") }
            return [ConstTensor(shape: c[0].shape, values: c[0].values.map { $0.squareRoot() })]
        default:
            return nil
        }
    }

    /// NumPy-broadcast element-wise `f`.
    static func elementwise(_ node: Node, _ a: ConstTensor, _ b: ConstTensor,
                            _ f: (Double, Double) -> Double) throws(ImportError) -> ConstTensor {
        let shape = try Lowering.broadcast(a.shape, b.shape, node: node)
        try checkSize(shape, node: node)
        let ea = broadcast(a, to: shape), eb = broadcast(b, to: shape)
        return ConstTensor(shape: shape, values: zip(ea.values, eb.values).map(f))
    }

    static func broadcast(_ c: ConstTensor, to shape: [Int]) -> ConstTensor {
        if c.shape == shape { return c }
        return gather(c, offset: 0, strides: Lowering.broadcastStrides(c.shape, to: shape), shape: shape)
    }

    /// out[flat(i)] = c.values[offset + Σ_d i_d·strides_d] over `shape`
    /// (the constant counterpart of a strided `copy`).
    static func gather(_ c: ConstTensor, offset: Int, strides: [Int], shape: [Int]) -> ConstTensor {
        var values = [Double]()
        values.reserveCapacity(shape.reduce(1, *))
        forEachIndex(shape) { idx in
            var s = offset
            for d in idx.indices { s += idx[d] * strides[d] }
            values.append(c.values[s])
        }
        return ConstTensor(shape: shape, values: values)
    }
}
