/// Bitwise operations, shifts, and truncating division and remainders of
/// ONNX integer tensors (Spec/onnx-import.md §3.8). Each works on the
/// two's-complement digits of its operands, which exact floors compute
/// (`MapFunction.floor`), so every result is exact for every value of
/// V = [−2^31, 2^31); an intermediate outside V stops the run rather than
/// wrapping.
extension Lowering {
    /// Digits below the sign: every x ∈ V is Σ_{i<31} 2^i·b_i − 2^31·s.
    static let valueBits = 31

    /// The digits of the integer tensor x: bits b_0 … b_30 ∈ {0, 1} and the
    /// sign s ∈ {0, 1}, from f_0 = x, f_{i+1} = ⌊f_i / 2⌋, b_i = f_i − 2·f_{i+1}
    /// and s = −f_31 (f_31 ∈ {−1, 0}).
    mutating func digits(_ node: Node, _ x: Value, tag: String) throws(ImportError) -> (bits: [Value], sign: Value) {
        var f = x, bits = [Value]()
        for i in 0..<Self.valueBits {
            let next = try floor(part(node, "Floor", "_\(tag)f\(i + 1)"), f, exponent: 1)
            let twice = try binary(part(node, "Mul", "_\(tag)t\(i)"), next, .constant(.scalar(2)))
            bits.append(try binary(part(node, "Sub", "_\(tag)b\(i)"), f, twice))
            f = next
        }
        return (bits, try binary(part(node, "Mul", "_\(tag)s"), f, .constant(.scalar(-1))))
    }

    /// Σ 2^i·b_i − 2^31·s by Horner's rule from the sign down: the partial
    /// value after digit i lies in [−2^(31−i), 2^(31−i)), inside V.
    mutating func fromDigits(_ node: Node, bits: [Value], sign: Value) throws(ImportError) -> Value {
        var value = try binary(part(node, "Mul", "_hs"), sign, .constant(.scalar(-1)))
        for i in bits.indices.reversed() {
            let twice = try binary(part(node, "Mul", "_h2_\(i)"), value, .constant(.scalar(2)))
            value = try binary(part(node, "Add", i == 0 ? nil : "_h\(i)"), twice, bits[i])
        }
        return value
    }

    /// BitwiseAnd, BitwiseOr, BitwiseXor: the Boolean operation on each
    /// digit pair (the sign included, as two's complement extends it),
    /// reassembled. Signed and unsigned types agree on every value of V.
    mutating func bitwise(_ node: Node, _ a: Value, _ b: Value) throws(ImportError) -> Value {
        try refuseBooleans(node)
        let logical = ["BitwiseAnd": "And", "BitwiseOr": "Or", "BitwiseXor": "Xor"][node.op] ?? "And"
        let x = try digits(node, a, tag: "a"), y = try digits(node, b, tag: "b")
        let bits = try zip(x.bits, y.bits).enumerated().map { (i, pair) throws(ImportError) -> Value in
            try logic(part(node, logical, "_r\(i)"), [pair.0, pair.1])
        }
        let sign = try logic(part(node, logical, "_rs"), [x.sign, y.sign])
        return try fromDigits(node, bits: bits, sign: sign)
    }

    /// BitwiseNot: −1 − x for signed types, 2^w − 1 − x for unsigned ones
    /// of width w < 32 (uint32's and uint64's complements of values in V lie
    /// outside V).
    mutating func bitwiseNot(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        try refuseBooleans(node)
        let (bits, signed) = try width(node, node.inputs[0])
        guard signed || bits < 32 else {
            throw node.error("the complement of a uint\(bits) value lies outside the VM's values [−2^31, 2^31)")
        }
        let ones = signed ? -1.0 : Double(sign: .plus, exponent: bits, significand: 1) - 1
        return try binary(part(node, "Sub", nil), .constant(.scalar(ones)), x)
    }

    /// BitShift of unsigned integers. RIGHT is ⌊x / 2^k⌋; LEFT is x·2^k
    /// reduced modulo 2^w for types narrower than 32 bits (uint32 and
    /// uint64 results beyond V stop the run). Constant amounts take one
    /// floor or multiplication per distinct amount; computed amounts select
    /// among 0 … w − 1 by exact equality tests, and larger ones give 0.
    mutating func bitShift(_ node: Node, _ x: Value, _ amount: Value) throws(ImportError) -> Value {
        let left: Bool
        switch try node.string("direction", default: "") {
        case "LEFT": left = true
        case "RIGHT": left = false
        default: throw node.error("BitShift needs direction LEFT or RIGHT")
        }
        let shape = try Self.broadcast(x.shape, amount.shape, node: node)
        if let type = elementType(node.inputs[0]), let w = IntegerSemantics.widths[type], w.signed || type == 9 {
            throw node.error("BitShift is defined for unsigned integers, not for this element type (\(type))")
        }
        let width = left ? try self.width(node, node.inputs[0]).bits : IntegerSemantics.widths[elementType(node.inputs[0]) ?? 12]?.bits ?? 32
        let candidates: [Int]
        switch amount {
        case .constant(let k):
            let amounts = try k.integers(node, "shift amounts")
            guard amounts.allSatisfy({ $0 >= 0 }) else { throw node.error("shift amounts must not be negative") }
            candidates = Array(Set(amounts.map { min($0, width) })).sorted()
            if left, width >= 32, let big = amounts.first(where: { $0 >= Self.valueBits }) {
                throw node.error("a left shift of uint\(width) by \(big) leaves the VM's values [−2^31, 2^31) for every non-zero value")
            }
        case .stored:
            if left, width >= 32 {
                throw node.error("a left shift of uint\(width) by a computed amount is not supported (amounts of 31 or more leave the VM's values)")
            }
            candidates = Array(0..<min(width, Self.valueBits + 1))
        }
        /// 1 where the amount is k (a constant mask, or an exact comparison).
        func selects(_ k: Int) throws(ImportError) -> Value {
            let test = part(node, "Equal", "_is\(k)")
            if case .constant(let c) = amount {
                let hits = c.values.map { min($0, Double(width)) == Double(k) ? 1.0 : 0.0 }
                return .constant(ConstTensor(shape: c.shape, values: hits, isInteger: true))
            }
            return try comparison(test, amount, .constant(.scalar(Double(k))))
        }
        if left {
            // x·Σ_k [amount = k]·2^k, then reduced modulo 2^w.
            var factor: Value? = nil
            for k in candidates where k < width {
                let term = try binary(part(node, "Mul", "_p\(k)"), try selects(k), .constant(.scalar(Double(sign: .plus, exponent: k, significand: 1))))
                factor = try factor.map { (f: Value) throws(ImportError) -> Value in try binary(part(node, "Add", "_pow\(k)"), f, term) } ?? term
            }
            let shifted = try binary(part(node, "Mul", width < 32 ? "_shifted" : nil), x, factor ?? .constant(.scalar(0)))
            guard width < 32 else { return try broadcastTo(node, shifted, shape) }
            let high = try floor(part(node, "Floor", "_high"), shifted, exponent: width)
            let dropped = try binary(part(node, "Mul", "_dropped"), high, .constant(.scalar(Double(sign: .plus, exponent: width, significand: 1))))
            return try binary(part(node, "Sub", nil), shifted, dropped)
        }
        if candidates.count == 1 {
            return try broadcastTo(node, try floor(part(node, "Floor", nil), x, exponent: candidates[0]), shape)
        }
        // Σ_k [amount = k]·⌊x / 2^k⌋ over the candidates, the floors chained.
        var result: Value? = nil, floored = x, at = 0
        for k in candidates where k < width {
            if k > at { floored = try floor(part(node, "Floor", "_f\(k)"), floored, exponent: k - at); at = k }
            let term = try binary(part(node, "Mul", "_t\(k)"), try selects(k), floored)
            result = try result.map { (r: Value) throws(ImportError) -> Value in try binary(part(node, "Add", "_s\(k)"), r, term) } ?? term
        }
        return try broadcastTo(node, result ?? .constant(.scalar(0)), shape)
    }

    /// Integer Div (truncating towards zero) and Mod (fmod = 0: the
    /// divisor's sign; fmod = 1: the dividend's) by restoring long division
    /// of |a| by |b|: 31 steps r ← 2r + a_i, t = [r ≥ |b|], r ← r − t·|b|,
    /// q ← 2q + t, then the signs. A zero divisor gives quotient and
    /// remainder 0 (ONNX leaves it undefined); |b| ≥ 2^30 may stop the run.
    mutating func integerDivision(_ node: Node, _ a: Value, _ b: Value) throws(ImportError) -> Value {
        try refuseBooleans(node)
        let fmod = node.op == "Mod" ? try node.int("fmod", default: 0) : 0
        let absA = try absoluteOrSign(part(node, "Abs", "_absa"), a)
        let absB = try absoluteOrSign(part(node, "Abs", "_absb"), b)
        let signA = try absoluteOrSign(part(node, "Sign", "_signa"), a)
        let signB = try absoluteOrSign(part(node, "Sign", "_signb"), b)
        let bits = try digits(node, absA, tag: "a").bits
        var remainder = Value.constant(.scalar(0)), quotient = Value.constant(.scalar(0))
        for i in bits.indices.reversed() {
            let doubled = try binary(part(node, "Mul", "_r2_\(i)"), remainder, .constant(.scalar(2)))
            let partial = try binary(part(node, "Add", "_rp\(i)"), doubled, bits[i])
            let short = try step(part(node, "Greater", "_lt\(i)"), try binary(part(node, "Sub", "_gap\(i)"), absB, partial))
            let fits = try complement(part(node, "Not", "_ge\(i)"), short, suffix: "_ge\(i)")
            remainder = try binary(part(node, "Sub", "_r\(i)"), partial, try binary(part(node, "Mul", "_sub\(i)"), fits, absB))
            if node.op == "Div" {   // Mod needs the remainder only
                let q2 = try binary(part(node, "Mul", "_q2_\(i)"), quotient, .constant(.scalar(2)))
                quotient = try binary(part(node, "Add", "_q\(i)"), q2, fits)
            }
        }
        if node.op == "Div" {
            let signs = try binary(part(node, "Mul", "_signs"), signA, signB)
            return try binary(part(node, "Mul", nil), quotient, signs)
        }
        // The truncated remainder takes the dividend's sign (and is 0 for a zero divisor).
        let nonzeroDivisor = try absoluteOrSign(part(node, "Abs", "_bnz"), signB)
        let truncated = try binary(part(node, "Mul", fmod == 1 ? nil : "_trem"),
                                   try binary(part(node, "Mul", "_rs"), remainder, signA), nonzeroDivisor)
        if fmod == 1 { return truncated }
        // fmod = 0: add b where the remainder is non-zero and its sign differs from b's.
        let signR = try absoluteOrSign(part(node, "Sign", "_signr"), truncated)
        let opposite = try comparison(part(node, "Equal", "_opp"), try binary(part(node, "Mul", "_sr"), signR, signB), .constant(.scalar(-1)))
        return try binary(part(node, "Add", nil), truncated, try binary(part(node, "Mul", "_fix"), opposite, b))
    }

    /// v as ONNX holds a value of integer `type`: reduced modulo 2^w into the
    /// type's range for widths below 32 (y − 2^w·⌊(y − lo) / 2^w⌋, lo the
    /// range's least value); unchanged for int32, int64, bool and unknown
    /// types (V fits them). A negative uint32 or uint64 result would wrap to
    /// 2^32 or 2^64 less its magnitude, beyond V: the run stops there (the
    /// product [y < 0]·2^30·2 leaves V); an `input` is instead raised to 0,
    /// a valid value of its type.
    mutating func wrapped(_ node: Node, _ v: Value, type: Int, input: Bool = false) throws(ImportError) -> Value {
        guard let (bits, signed) = IntegerSemantics.widths[type], type != 9 else { return v }
        if case .constant(let c) = v {
            return .constant(ConstTensor(shape: c.shape, values: c.values.map { IntegerSemantics.wrapped($0, type: type) },
                                         isInteger: true, elementType: type))
        }
        if bits >= 32 {
            if signed { return v }
            if input { return try binary(part(node, "Max", nil), v, .constant(.scalar(0))) }
            let negated = try binary(part(node, "Mul", "_wneg"), v, .constant(.scalar(-1)))
            let negative = try step(part(node, "Greater", "_wsign"), negated)
            let half = try binary(part(node, "Mul", "_whalf"), negative, .constant(.scalar(0x1p30)))
            let beyond = try binary(part(node, "Mul", "_wbeyond"), half, .constant(.scalar(2)))
            return try binary(part(node, "Add", nil), v, beyond)
        }
        let lo = signed ? -Double(sign: .plus, exponent: bits - 1, significand: 1) : 0
        let modulus = Double(sign: .plus, exponent: bits, significand: 1)
        let shifted = try binary(part(node, "Sub", "_wlo"), v, .constant(.scalar(lo)))
        let laps = try floor(part(node, "Floor", "_wlaps"), shifted, exponent: bits)
        return try binary(part(node, "Sub", nil), v, try binary(part(node, "Mul", "_wrap"), laps, .constant(.scalar(modulus))))
    }

    /// Refuses boolean operands, which ONNX's integer operators do not take.
    func refuseBooleans(_ node: Node) throws(ImportError) {
        if node.inputs.contains(where: { !$0.isEmpty && elementType($0) == 9 }) {
            throw node.error("\(node.op) is defined for integers, not booleans")
        }
    }

    /// Bit width and signedness of the integer value `name`'s element type.
    func width(_ node: Node, _ name: String) throws(ImportError) -> (bits: Int, signed: Bool) {
        guard let type = elementType(name), let w = IntegerSemantics.widths[type] else {
            throw node.error("the integer type of '\(name)' is not known (needed for \(node.op))")
        }
        return w
    }
}
