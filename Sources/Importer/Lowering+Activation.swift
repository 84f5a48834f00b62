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
        guard alpha.isFinite, beta.isFinite else { throw node.error("alpha and beta must be finite") }
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
            // min(x, 0)/α ≤ 0 only for α > 0 (the multiplication keeps the bound then).
            negative = try binary(part(node, "Mul", "_scaled"), negative, .constant(.scalar(1 / alpha)))
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

    /// Pow(x, p) with a constant scalar exponent: whole exponents |p| ≤ 16
    /// by repeated squaring (negative ones through the reciprocal table),
    /// ±½ by the √ and 1/√ tables, any other p as e^(p·ln x), which is
    /// ONNX's value for x > 0 only (ONNX gives NaN below).
    mutating func power(_ node: Node, _ x: Value, exponent: Value) throws(ImportError) -> Value {
        guard case .constant(let e) = exponent, e.count == 1, let p = e.values.first, p.isFinite else {
            throw node.error("only a constant scalar exponent is supported")
        }
        func product(_ a: Value, _ b: Value, _ suffix: String?) throws(ImportError) -> Value {
            try binary(part(node, "Mul", suffix), a, b)
        }
        if p == p.rounded(), abs(p) <= 16 {
            let n = Int(abs(p))
            if n == 0 { return try broadcastTo(node, .constant(.scalar(1)), x.shape) }
            // x^n by squaring: the result's factors, lowest bit first.
            var result: Value?, square = x, k = n, step = 0
            while k > 0 {
                let last = k == 1 && p > 0
                if k & 1 == 1 {
                    if let r = result {
                        result = try product(r, square, last ? nil : "_p\(step)")
                    } else {
                        result = last ? try binary(part(node, "Mul", nil), square, .constant(.scalar(1))) : square
                    }
                }
                k >>= 1
                if k > 0 { square = try product(square, square, "_sq\(step)") }
                step += 1
            }
            guard let power = result else { throw node.error("no power") }
            return p > 0 ? power : try activation(part(node, "Reciprocal", nil), power, function: .reciprocal)
        }
        switch p {
        case 0.5: return try activation(part(node, "Sqrt", nil), x, function: .sqrt)
        case -0.5: return try activation(part(node, "Rsqrt", nil), x, function: .rsqrt)
        default:
            let log = try activation(part(node, "Log", "_log"), x, function: .log)
            let scaled = try binary(part(node, "Mul", "_plog"), log, .constant(.scalar(p)))
            return try activation(part(node, "Exp", nil), scaled, function: .exp)
        }
    }

    /// Sin, Cos and Tan by the `sin` table on an input reduced to [−π, π]:
    /// r = y − 2π·⌊y/2π + ½⌋ with y = x (Sin) or x + π/2 (Cos), exact but for
    /// the rounding of the constants; Tan = sin x · 1/cos x. Sinh and Cosh
    /// are (eˣ ∓ e^−x)/2 by the `exp` table.
    mutating func trigonometric(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        func sine(_ y: Value, _ tag: String, output: Bool) throws(ImportError) -> Value {
            let turns = try binary(part(node, "Mul", tag + "_turns"), y, .constant(.scalar(1 / (2 * Double.pi))))
            let nearest = try floor(part(node, "Floor", tag + "_k"), try binary(part(node, "Add", tag + "_half"), turns, .constant(.scalar(0.5))))
            let reduced = try binary(part(node, "Sub", tag + "_r"), y,
                                     try binary(part(node, "Mul", tag + "_k2pi"), nearest, .constant(.scalar(2 * Double.pi))))
            if case .stored(let r, _) = reduced { program.tensors[r.tensor].knownRange = -Double.pi...Double.pi }
            return try activation(part(node, "Sin", output ? nil : tag), reduced, function: .sin)
        }
        switch node.op {
        case "Sin": return try sine(x, "_sin", output: true)
        case "Cos": return try sine(try binary(part(node, "Add", "_shift"), x, .constant(.scalar(Double.pi / 2))), "_cos", output: true)
        case "Tan":
            let s = try sine(x, "_sin", output: false)
            let c = try sine(try binary(part(node, "Add", "_shift"), x, .constant(.scalar(Double.pi / 2))), "_cos", output: false)
            return try binary(part(node, "Mul", nil), s, try activation(part(node, "Reciprocal", "_inv"), c, function: .reciprocal))
        default:   // Sinh, Cosh
            let up = try activation(part(node, "Exp", "_up"), x, function: .exp)
            let down = try activation(part(node, "Exp", "_down"), try binary(part(node, "Mul", "_neg"), x, .constant(.scalar(-1))), function: .exp)
            let combined = try binary(part(node, node.op == "Sinh" ? "Sub" : "Add", "_sum"), up, down)
            return try binary(part(node, "Mul", nil), combined, .constant(.scalar(0.5)))
        }
    }
}
