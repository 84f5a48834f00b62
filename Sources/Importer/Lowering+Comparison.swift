/// Comparisons, logic and selection (Spec/onnx-import.md §3.5). Booleans
/// are 0 and 1 at scale 0. Every comparison reduces to the exact test
/// x > 0 (`MapFunction.step`) of a difference computed at the operands'
/// common scale, so it is exact on the fixed-point values; it differs from
/// the float model only where two values closer than that scale's step
/// round together, which the accuracy report measures.
extension Lowering {
    /// A node for one part of `node`'s lowering, writing the value
    /// `node.label + suffix`, or the node's own outputs when `suffix` is nil.
    func part(_ node: Node, _ op: String, _ suffix: String?) -> Node {
        Node(name: node.name, op: op, inputs: [], outputs: suffix.map { [node.label + $0] } ?? node.outputs, attributes: [:])
    }

    /// 1 where x > 0, else 0.
    mutating func step(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let (src, shape) = try stored(x, node: node.label)
        let dst = try buffer(node, shape: shape)
        emit(node, .map(dst: dst, src: src, function: .step, count: shape.reduce(1, *), ds: 1, ss: 1))
        program.tensors[dst.tensor].knownRange = 0...1
        return .stored(dst, shape: shape)
    }

    /// 1 − x for a boolean x (Not, and the complements of comparisons).
    mutating func complement(_ node: Node, _ x: Value, suffix: String?) throws(ImportError) -> Value {
        try binary(part(node, "Sub", suffix), .constant(.scalar(1)), x)
    }

    /// Equal, Less, LessOrEqual, Greater, GreaterOrEqual: a − b > 0 and
    /// b − a > 0, combined.
    mutating func comparison(_ node: Node, _ a: Value, _ b: Value) throws(ImportError) -> Value {
        func greater(_ x: Value, _ y: Value, _ suffix: String?) throws(ImportError) -> Value {
            let difference = try binary(part(node, "Sub", (suffix ?? "") + "_diff"), x, y)
            return try step(part(node, node.op, suffix), difference)
        }
        switch node.op {
        case "Greater": return try greater(a, b, nil)
        case "Less": return try greater(b, a, nil)
        case "LessOrEqual": return try complement(node, try greater(a, b, "_gt"), suffix: nil)
        case "GreaterOrEqual": return try complement(node, try greater(b, a, "_lt"), suffix: nil)
        default:   // Equal: neither is greater.
            let unequal = try binary(part(node, "Add", "_ne"), try greater(a, b, "_gt"), try greater(b, a, "_lt"))
            return try complement(node, unequal, suffix: nil)
        }
    }

    /// Not, And, Or, Xor on booleans: 1 − a, a·b, max(a, b), |a − b|.
    mutating func logic(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        func arg(_ i: Int) throws(ImportError) -> Value {
            guard i < inputs.count, let v = inputs[i] else { throw node.error("missing input \(i)") }
            return v
        }
        switch node.op {
        case "Not": return try complement(node, try arg(0), suffix: nil)
        case "And": return try binary(part(node, "Mul", nil), try arg(0), try arg(1))
        case "Or": return try binary(part(node, "Max", nil), try arg(0), try arg(1))
        default:   // Xor
            let forward = try binary(part(node, "Sub", "_ab"), try arg(0), try arg(1))
            let backward = try binary(part(node, "Sub", "_ba"), try arg(1), try arg(0))
            return try binary(part(node, "Max", nil), forward, backward)
        }
    }

    /// Where(c, x, y) = y + c·(x − y) with c boolean: exact in fixed point.
    mutating func select(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count == 3, let c = inputs[0], let x = inputs[1], let y = inputs[2] else {
            throw node.error("needs a condition and two values")
        }
        if let masked = try softmaxMask(node, c, x, y) { return masked }
        let difference = try binary(part(node, "Sub", "_diff"), x, y)
        let chosen = try binary(part(node, "Mul", "_sel"), c, difference)
        let shape = try Self.broadcast(c.shape, try Self.broadcast(x.shape, y.shape, node: node), node: node)
        return try binary(part(node, "Add", nil), try broadcastTo(node, y, shape), chosen)
    }

    /// Where(c, −∞, v) or Where(c, v, −∞) with a constant condition, as
    /// attention masks are exported: allowed when a Softmax is its only
    /// reader, which then gives the masked elements exactly 0
    /// (`softmax`). Returns v (broadcast to the result's shape) and
    /// records the mask; nil when no branch is infinite.
    mutating func softmaxMask(_ node: Node, _ c: Value, _ x: Value, _ y: Value) throws(ImportError) -> Value? {
        func infinite(_ v: Value) -> Bool {
            if case .constant(let k) = v { return k.values.contains { $0.isInfinite } }
            return false
        }
        guard infinite(x) || infinite(y) else { return nil }
        func allMinusInfinity(_ v: Value) -> Bool {
            if case .constant(let k) = v { return k.values.allSatisfy { $0 == -.infinity } }
            return false
        }
        guard case .constant(let condition) = c, allMinusInfinity(x) != allMinusInfinity(y), !(infinite(x) && infinite(y)) else {
            throw node.error("a Where with an infinite branch needs a constant condition and −∞ as one whole branch")
        }
        guard let output = node.outputs.first, consumers[output] == ["Softmax"] else {
            throw node.error("a Where with a −∞ branch is supported only when a Softmax is its one reader (an attention mask)")
        }
        let shape = try Self.broadcast(c.shape, try Self.broadcast(x.shape, y.shape, node: node), node: node)
        try ConstantFolding.checkSize(shape, node: node)
        let full = ConstantFolding.gather(condition, offset: 0, strides: Self.broadcastStrides(condition.shape, to: shape), shape: shape)
        // Kept where the condition picks the finite branch.
        let keepWhereTrue = allMinusInfinity(y)
        let keep = full.values.map { ($0 != 0) == keepWhereTrue ? 1.0 : 0.0 }
        softmaxMasks[output] = ConstTensor(shape: shape, values: keep)
        return try broadcastTo(node, keepWhereTrue ? x : y, shape)
    }

    /// Abs(x) = max(x, −x); Sign(x) = [x > 0] − [−x > 0].
    mutating func absoluteOrSign(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let negated = try binary(part(node, "Mul", "_neg"), x, .constant(.scalar(-1)))
        if node.op == "Abs" {
            // max(x, −x) ≥ 0 exactly, so a table it feeds closes at 0.
            let magnitude = try binary(part(node, "Max", nil), x, negated)
            if case .stored(let r, _) = magnitude { program.tensors[r.tensor].knownRange = 0...Double.greatestFiniteMagnitude }
            return magnitude
        }
        return try binary(part(node, "Sub", nil), try step(part(node, "Sign", "_pos"), x),
                          try step(part(node, "Sign", "_negpos"), negated))
    }

    /// Max and Min of any number of inputs, broadcast: pairwise zips.
    mutating func extremum(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        let present = inputs.compactMap { $0 }
        guard let first = present.first else { throw node.error("needs at least one input") }
        if present.count == 1 { return first }
        var result = first
        for (i, v) in present.dropFirst().enumerated() {
            result = try binary(part(node, node.op, i == present.count - 2 ? nil : "_\(i)"), result, v)
        }
        return result
    }
}

/// Floor, Ceil and Round (half to even, as ONNX) on fixed-point values,
/// exact at the value's scale (Spec/onnx-import.md §3.5).
extension Lowering {
    /// ⌊x / 2^exponent⌋ (`MapFunction.floor`).
    mutating func floor(_ node: Node, _ x: Value, exponent: Int = 0) throws(ImportError) -> Value {
        let (src, shape) = try stored(x, node: node.label)
        let dst = try buffer(node, shape: shape)
        emit(node, .map(dst: dst, src: src, function: .floor(exponent: exponent), count: shape.reduce(1, *), ds: 1, ss: 1))
        return .stored(dst, shape: shape)
    }

    /// Floor; Ceil(x) = −⌊−x⌋; Round(x) = y − [tie]·[y odd] with y = ⌊x + ½⌋,
    /// a tie where x + ½ − y = 0 and y odd where y − 2⌊y/2⌋ = 1.
    mutating func rounding(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        switch node.op {
        case "Floor": return try floor(node, x)
        case "Ceil":
            let negated = try binary(part(node, "Mul", "_neg"), x, .constant(.scalar(-1)))
            let floored = try floor(part(node, "Floor", "_floor"), negated)
            return try binary(part(node, "Mul", nil), floored, .constant(.scalar(-1)))
        default:   // Round
            let shifted = try binary(part(node, "Add", "_half"), x, .constant(.scalar(0.5)))
            let up = try floor(part(node, "Floor", "_up"), shifted)
            let remainder = try binary(part(node, "Sub", "_frac"), shifted, up)
            let tie = try complement(node, try step(part(node, "Greater", "_notie"), remainder), suffix: "_tie")
            let halved = try floor(part(node, "Floor", "_halfy"), try binary(part(node, "Mul", "_y2"), up, .constant(.scalar(0.5))))
            let odd = try binary(part(node, "Sub", "_odd"), up, try binary(part(node, "Mul", "_even"), halved, .constant(.scalar(2))))
            return try binary(part(node, "Sub", nil), up, try binary(part(node, "Mul", "_fix"), tie, odd))
        }
    }

    /// Mod of reals (fmod = 1, C's fmod): x − b·trunc(x/b) with a constant
    /// non-zero divisor b and trunc(q) = sign(q)·⌊|q|⌋. Exact but for the
    /// rounding of 1/b, so an x within that rounding of a multiple of b may
    /// land on the other side (the accuracy guard measures it).
    mutating func modulo(_ node: Node, _ x: Value, _ divisor: Value) throws(ImportError) -> Value {
        guard try node.int("fmod", default: 0) == 1 else { throw node.error("Mod with fmod = 0 is defined for integers, which are not supported") }
        guard case .constant(let b) = divisor, b.values.allSatisfy({ $0.isFinite && $0 != 0 }) else {
            throw node.error("only a constant, finite, non-zero divisor is supported")
        }
        let quotient = try binary(part(node, "Mul", "_q"), x, .constant(ConstTensor(shape: b.shape, values: b.values.map { 1 / $0 })))
        let magnitude = try absoluteOrSign(part(node, "Abs", "_absq"), quotient)
        let whole = try floor(part(node, "Floor", "_floorq"), magnitude)
        let sign = try absoluteOrSign(part(node, "Sign", "_signq"), quotient)
        let truncated = try binary(part(node, "Mul", "_trunc"), sign, whole)
        return try binary(part(node, "Sub", nil), x, try binary(part(node, "Mul", "_multiple"), truncated, divisor))
    }
}
