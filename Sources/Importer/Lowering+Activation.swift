/// Activations and powers composed from clamps, zips and table lookups
/// (Spec/onnx-import.md §3.2): PRelu, HardSigmoid, HardSwish, Elu, Selu,
/// Celu, Softplus, Softsign, Mish, Sqrt, Reciprocal and Pow with a
/// constant exponent.
extension Lowering {
    /// max(x, 0) + slope·min(x, 0) (PRelu's slope broadcasts, e.g. per channel).
    mutating func prelu(_ node: Node, _ x: Value, slope: Value) throws(ImportError) -> Value {
        let positive = try clamp(part(node, "Relu", "_pos"), x, lo: 0, hi: .infinity)
        let negative = try clamp(part(node, "Clip", "_min0"), x, lo: -.infinity, hi: 0)
        let scaled = try binary(part(node, "Mul", "_neg"), negative, slope)
        return try binary(part(node, "Add", nil), positive, scaled)
    }

    /// clamp(α·x + β, 0, 1); HardSwish is x times it with α = 1/6, β = ½.
    mutating func hardSigmoid(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let swish = node.op == "HardSwish"
        let alpha = swish ? 1.0 / 6 : try node.float("alpha", default: 0.2)
        let beta = swish ? 0.5 : try node.float("beta", default: 0.5)
        let scaled = try binary(part(node, "Mul", "_ax"), x, .constant(.scalar(alpha)))
        let shifted = try binary(part(node, "Add", "_axb"), scaled, .constant(.scalar(beta)))
        let gate = try clamp(part(node, "Clip", swish ? "_gate" : nil), shifted, lo: 0, hi: 1)
        return swish ? try binary(part(node, "Mul", nil), x, gate) : gate
    }

    /// Elu: max(x, 0) + α·(e^min(x, 0) − 1); Selu: γ times Elu with its α;
    /// Celu: max(x, 0) + α·(e^(min(x, 0)/α) − 1). The exponential's input
    /// is ≤ 0 by construction, so its table closes at 0.
    mutating func exponentialUnit(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let alpha: Double, gamma: Double
        switch node.op {
        case "Selu":
            alpha = try node.float("alpha", default: 1.67326319217681884765625)
            gamma = try node.float("gamma", default: 1.05070102214813232421875)
        default:
            alpha = try node.float("alpha", default: 1)
            gamma = 1
        }
        guard alpha.isFinite, gamma.isFinite, node.op != "Celu" || alpha != 0 else { throw node.error("alpha and gamma must be finite (Celu: non-zero)") }
        let positive = try clamp(part(node, "Relu", "_pos"), x, lo: 0, hi: .infinity)
        var negative = try clamp(part(node, "Clip", "_min0"), x, lo: -.infinity, hi: 0)
        if node.op == "Celu", alpha != 1 {
            negative = try binary(part(node, "Mul", "_scaled"), negative, .constant(.scalar(1 / alpha)))
            if case .stored(let r, _) = negative { program.tensors[r.tensor].knownRange = -Double.greatestFiniteMagnitude...0 }
        }
        let exponential = try activation(part(node, "Exp", "_exp"), negative, function: .exp)
        let shifted = try binary(part(node, "Sub", "_em1"), exponential, .constant(.scalar(1)))
        let scaled = try binary(part(node, "Mul", "_neg"), shifted, .constant(.scalar(alpha)))
        if gamma == 1 { return try binary(part(node, "Add", nil), positive, scaled) }
        let sum = try binary(part(node, "Add", "_elu"), positive, scaled)
        return try binary(part(node, "Mul", nil), sum, .constant(.scalar(gamma)))
    }

    /// Softplus (a table), Softsign x·1/(1 + |x|), Mish x·tanh(softplus(x)).
    mutating func softFunction(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        switch node.op {
        case "Softplus": return try activation(node, x, function: .softplus)
        case "Mish":
            let softplus = try activation(part(node, "Softplus", "_sp"), x, function: .softplus)
            let tanh = try activation(part(node, "Tanh", "_tanh"), softplus, function: .tanh)
            return try binary(part(node, "Mul", nil), x, tanh)
        default:   // Softsign
            let magnitude = try absoluteOrSign(part(node, "Abs", "_abs"), x)
            let denominator = try binary(part(node, "Add", "_den"), magnitude, .constant(.scalar(1)))
            let inverse = try activation(part(node, "Reciprocal", "_inv"), denominator, function: .reciprocal)
            return try binary(part(node, "Mul", nil), x, inverse)
        }
    }

    /// Pow(x, p) with a constant scalar exponent: whole exponents 0…4 and
    /// −1, −2 by products and the reciprocal table, ±½ by the √ and 1/√
    /// tables, any other p as e^(p·ln x) for x > 0.
    mutating func power(_ node: Node, _ x: Value, exponent: Value) throws(ImportError) -> Value {
        guard case .constant(let e) = exponent, e.count == 1, let p = e.values.first, p.isFinite else {
            throw node.error("only a constant scalar exponent is supported")
        }
        func product(_ a: Value, _ b: Value, _ suffix: String?) throws(ImportError) -> Value {
            try binary(part(node, "Mul", suffix), a, b)
        }
        switch p {
        case 0:
            return try broadcastTo(node, .constant(.scalar(1)), x.shape)
        case 1: return try binary(part(node, "Mul", nil), x, .constant(.scalar(1)))
        case 2: return try product(x, x, nil)
        case 3: return try product(try product(x, x, "_sq"), x, nil)
        case 4:
            let square = try product(x, x, "_sq")
            return try product(square, square, nil)
        case 0.5: return try activation(part(node, "Sqrt", nil), x, function: .sqrt)
        case -0.5: return try activation(part(node, "Rsqrt", nil), x, function: .rsqrt)
        case -1: return try activation(part(node, "Reciprocal", nil), x, function: .reciprocal)
        case -2: return try activation(part(node, "Reciprocal", nil), try product(x, x, "_sq"), function: .reciprocal)
        default:
            let log = try activation(part(node, "Log", "_log"), x, function: .log)
            let scaled = try binary(part(node, "Mul", "_plog"), log, .constant(.scalar(p)))
            return try activation(part(node, "Exp", nil), scaled, function: .exp)
        }
    }
}
