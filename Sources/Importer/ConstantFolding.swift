import Foundation

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
            if case .int(let i)? = node.attributes["value_int"] { return [ConstTensor(shape: [], values: [Double(i)], isInteger: true)] }
            if case .floats(let f)? = node.attributes["value_floats"] { return [ConstTensor(shape: [f.count], values: f)] }
            if case .ints(let i)? = node.attributes["value_ints"] {
                return [ConstTensor(shape: [i.count], values: i.map(Double.init), isInteger: true)]
            }
            throw node.error("unsupported constant value (sparse or string)")
        case "ConstantOfShape":
            let shape = try c.first?.integers(node, "the shape") ?? []
            guard try elementCount(shape, node: node) <= 1 << 26 else { throw node.error("shape \(shape) is too large") }
            var value = 0.0, isInteger = false
            if case .tensor(let t)? = node.attributes["value"], let v = t.values.first { (value, isInteger) = (v, t.isInteger) }
            return [ConstTensor(shape: shape, values: [Double](repeating: value, count: shape.reduce(1, *)), isInteger: isInteger)]
        case "Range":
            guard c.count == 3, let start = c[0].values.first, let limit = c[1].values.first, let delta = c[2].values.first, delta != 0 else {
                throw node.error("needs scalar start, limit and non-zero delta")
            }
            let steps = ((limit - start) / delta).rounded(.up)
            guard steps.isFinite, steps <= Double(1 << 26) else { throw node.error("\(steps) elements is too many") }
            let n = steps > 0 ? Int(steps) : 0
            return [ConstTensor(shape: [n], values: (0..<n).map { start + Double($0) * delta }, isInteger: c.allSatisfy(\.isInteger))]
        case "Cast":
            let to = try node.int("to", default: 1)
            let integer = IntegerSemantics.integerTypes.contains(to)
            // Integer casts truncate, then wrap to the type's width as onnxruntime does.
            return [ConstTensor(shape: c[0].shape, values: to == 9 ? c[0].values.map { $0 != 0 ? 1 : 0 }
                                    : integer ? c[0].values.map { IntegerSemantics.wrapped($0, type: to) } : c[0].values, isInteger: integer, elementType: to)]
        case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mod":
            if c.count == 1, ["Max", "Min"].contains(node.op) { return [c[0]] }
            guard c.count >= 2, c.count == 2 || ["Max", "Min"].contains(node.op) else { throw node.error("needs two inputs") }
            // Integer tensors keep ONNX's integer semantics: Div truncates towards zero.
            let integer = node.op == "Pow" ? c[0].isInteger : c.allSatisfy(\.isInteger)
            let truncating = node.op == "Mod" ? try node.int("fmod", default: 0) == 1 : false
            if integer, ["Div", "Mod"].contains(node.op), c[1].values.contains(0) { throw node.error("integer division by zero") }
            var result = c[0]
            for other in c.dropFirst() {
                result = try elementwise(node, result, other) { a, b in
                    switch node.op {
                    case "Add": a + b
                    case "Sub": a - b
                    case "Mul": a * b
                    case "Pow": integer ? Foundation.pow(a, b).rounded(.towardZero) : Foundation.pow(a, b)
                    case "Max": Swift.max(a, b)
                    case "Min": Swift.min(a, b)
                    // fmod = 0: the remainder takes the divisor's sign; fmod = 1: the dividend's (C fmod).
                    case "Mod": truncating ? Foundation.fmod(a, b) : a - b * (a / b).rounded(.down)
                    default: integer ? (a / b).rounded(.towardZero) : a / b
                    }
                }
            }
            result.isInteger = integer
            result.elementType = integer ? c[0].elementType : nil
            guard result.values.allSatisfy(\.isFinite) else { throw node.error("constant arithmetic gives NaN or ∞") }
            return [result]
        case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor":
            guard c.count == 2 else { throw node.error("needs two inputs") }
            var result = try elementwise(node, c[0], c[1]) { a, b in
                let r: Bool
                switch node.op {
                case "Equal": r = a == b
                case "Less": r = a < b
                case "Greater": r = a > b
                case "LessOrEqual": r = a <= b
                case "GreaterOrEqual": r = a >= b
                case "And": r = a != 0 && b != 0
                case "Or": r = a != 0 || b != 0
                default: r = (a != 0) != (b != 0)
                }
                return r ? 1 : 0
            }
            result.isInteger = true
            return [result]
        case "Not":
            return [ConstTensor(shape: c[0].shape, values: c[0].values.map { $0 != 0 ? 0 : 1 }, isInteger: true)]
        case "Where":
            guard c.count == 3 else { throw node.error("needs a condition and two values") }
            let shape = try Lowering.broadcast(c[0].shape, try Lowering.broadcast(c[1].shape, c[2].shape, node: node), node: node)
            try checkSize(shape, node: node)
            let (k, x, y) = (broadcast(c[0], to: shape), broadcast(c[1], to: shape), broadcast(c[2], to: shape))
            return [ConstTensor(shape: shape, values: k.values.indices.map { k.values[$0] != 0 ? x.values[$0] : y.values[$0] },
                                isInteger: c[1].isInteger && c[2].isInteger)]
        case "Abs", "Sign", "Floor", "Ceil", "Round", "Reciprocal", "Relu":
            let f: (Double) -> Double = switch node.op {
            case "Abs": { Swift.abs($0) }
            case "Sign": { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }
            case "Floor": { $0.rounded(.down) }
            case "Ceil": { $0.rounded(.up) }
            case "Round": { $0.rounded(.toNearestOrEven) }
            case "Relu": { Swift.max($0, 0) }
            default: { 1 / $0 }
            }
            let values = c[0].values.map(f)
            guard values.allSatisfy(\.isFinite) else { throw node.error("constant arithmetic gives NaN or ∞") }
            return [ConstTensor(shape: c[0].shape, values: values, isInteger: c[0].isInteger && node.op != "Reciprocal")]
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
            return [ConstTensor(shape: shape, values: values, isInteger: c.allSatisfy(\.isInteger))]
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
            return [ConstTensor(shape: Array(data.shape.prefix(a)) + c[1].shape + Array(data.shape.dropFirst(a + 1)), values: values,
                                isInteger: data.isInteger)]
        case "NonZero":
            // [rank, count]: the indices of the non-zero elements, row-major.
            let shape = c[0].shape, st = Lowering.strides(shape)
            let hits = c[0].values.indices.filter { c[0].values[$0] != 0 }
            var values = [Double]()
            for d in shape.indices { values += hits.map { Double(($0 / st[d]) % shape[d]) } }
            return [ConstTensor(shape: [shape.count, hits.count], values: values, isInteger: true)]
        case "Transpose":
            let shape = c[0].shape
            let perm = try node.ints("perm") ?? Array(shape.indices.reversed())
            guard perm.sorted() == Array(shape.indices) else { throw node.error("perm \(perm) is not a permutation") }
            let st = Lowering.strides(shape)
            return [gather(c[0], offset: 0, strides: perm.map { st[$0] }, shape: perm.map { shape[$0] })]
        case "Neg": return [ConstTensor(shape: c[0].shape, values: c[0].values.map { -$0 }, isInteger: c[0].isInteger)]
        case "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot", "BitShift":
            return [try bitwise(node, c)]
        case "Sqrt":
            guard c[0].values.allSatisfy({ $0 >= 0 }) else { throw node.error("square root of a negative constant") }
            return [ConstTensor(shape: c[0].shape, values: c[0].values.map { $0.squareRoot() })]
        default:
            return nil
        }
    }

    /// Bitwise operations and shifts on constant integers, in the type's
    /// width (two's complement for signed types).
    static func bitwise(_ node: Node, _ c: [ConstTensor]) throws(ImportError) -> ConstTensor {
        guard let type = c[0].elementType, let (bits, signed) = IntegerSemantics.widths[type] else {
            throw node.error("\(node.op) needs constants of a known integer type")
        }
        /// v reduced to the type's width, as a two's-complement or unsigned value.
        func typed(_ v: Int64) -> Double {
            guard bits < 64 else { return signed ? Double(v) : Double(UInt64(bitPattern: v)) }
            let m = Int64(1) << bits
            var r = ((v % m) + m) % m
            if signed, r >= m / 2 { r -= m }
            return Double(r)
        }
        // Constants are held as doubles: beyond 2^53 they may already be rounded.
        for t in c where t.values.contains(where: { abs($0) > 0x1p53 }) {
            throw node.error("\(node.op) of constants beyond ±2^53, which the importer does not hold exactly")
        }
        func integer(_ v: Double) -> Int64 { Int64(v) }
        if node.op == "BitwiseNot" {
            return ConstTensor(shape: c[0].shape, values: c[0].values.map { typed(~integer($0)) }, isInteger: true, elementType: type)
        }
        guard c.count == 2 else { throw node.error("needs two inputs") }
        let direction = node.op == "BitShift" ? try node.string("direction", default: "") : ""
        if node.op == "BitShift", !["LEFT", "RIGHT"].contains(direction) { throw node.error("BitShift needs direction LEFT or RIGHT") }
        var result = try elementwise(node, c[0], c[1]) { x, y in
            let (a, b) = (integer(x), integer(y))
            switch node.op {
            case "BitwiseAnd": return typed(a & b)
            case "BitwiseOr": return typed(a | b)
            case "BitwiseXor": return typed(a ^ b)
            default: return b >= Int64(bits) || b < 0 ? 0 : typed(direction == "LEFT" ? a << b : Int64(bitPattern: UInt64(bitPattern: a) >> UInt64(b)))
            }
        }
        result.isInteger = true
        result.elementType = type
        return result
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
        return ConstTensor(shape: shape, values: values, isInteger: c.isInteger, elementType: c.elementType)
    }
}
