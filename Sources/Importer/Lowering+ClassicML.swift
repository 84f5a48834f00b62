/// Classic machine-learning operators of the `ai.onnx.ml` domain
/// (Spec/onnx-import.md §3.7), as skl2onnx and onnxmltools emit them for
/// scikit-learn, XGBoost and LightGBM: linear models, normalizers, SVM
/// regressors and tree ensembles. Inputs are [batch, features] (a vector
/// is one row); every parameter is an attribute, hence a constant.
extension Lowering {
    static let supportedClassicML: [String] = [
        "LinearClassifier", "LinearRegressor", "Normalizer", "SVMRegressor", "TreeEnsembleClassifier", "TreeEnsembleRegressor",
    ]

    /// The input as [rows, features].
    func featureRows(_ node: Node, _ x: Value) throws(ImportError) -> (Value, rows: Int, features: Int) {
        switch x.shape.count {
        case 1: return (try reshaped(x, [1, x.shape[0]]), 1, x.shape[0])
        case 2: return (x, x.shape[0], x.shape[1])
        default: throw node.error("input must be [batch, features], got \(x.shape)")
        }
    }

    /// x·B + bias for a constant B of [k, n] (row-major) and a constant bias of n.
    mutating func affineRows(_ node: Node, _ x: Value, rows: Int, weights: [Double], k: Int, n: Int, bias: [Double]?,
                             suffix: String?) throws(ImportError) -> Value {
        let (a, _) = try stored(x, node: node.label)
        let b = try stored(.constant(ConstTensor(shape: [k, n], values: weights)), node: node.label).0
        let biasRef = try bias.flatMap { (v: [Double]) throws(ImportError) -> KernelProgram.Ref? in
            v.allSatisfy { $0 == 0 } ? nil : try stored(.constant(ConstTensor(shape: [n], values: v)), node: node.label).0
        }
        let dst = try buffer(part(node, "MatMul", suffix), shape: [rows, n])
        emit(node, .matmul(dst: dst, a: a, b: b, bias: biasRef, m: rows, k: k, n: n, ars: k, acs: 1, brs: n, bcs: 1, drs: n))
        return .stored(dst, shape: [rows, n])
    }

    /// `finite(values)`: every attribute value finite, else an error naming it.
    func finite(_ node: Node, _ values: [Double], _ what: String) throws(ImportError) -> [Double] {
        guard values.allSatisfy(\.isFinite) else { throw node.error("\(what) must be finite") }
        return values
    }

    /// A float list attribute, or its double tensor form (`…_as_tensor`).
    func floatList(_ node: Node, _ key: String) throws(ImportError) -> [Double]? {
        if let v = try node.floats(key) { return try finite(node, v, key) }
        if case .tensor(let t)? = node.attributes[key + "_as_tensor"] { return try finite(node, t.values, key) }
        return nil
    }

    mutating func classicML(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> [Value] {
        guard let x = inputs.first ?? nil else { throw node.error("missing input") }
        switch node.op {
        case "LinearRegressor", "LinearClassifier": return try linearModel(node, x)
        case "Normalizer": return [try normalizer(node, x)]
        case "SVMRegressor": return [try svmRegressor(node, x)]
        default: return try treeEnsemble(node, x)
        }
    }

    /// LinearRegressor (x·Wᵀ + b) and LinearClassifier (scores, their
    /// post-transform, and the label as the arg-max).
    mutating func linearModel(_ node: Node, _ x: Value) throws(ImportError) -> [Value] {
        let (rowsValue, rows, features) = try featureRows(node, x)
        guard let coefficients = try node.floats("coefficients"), !coefficients.isEmpty, coefficients.count % features == 0 else {
            throw node.error("coefficients must hold a multiple of the \(features) features")
        }
        let outputs = coefficients.count / features
        var intercepts = try node.floats("intercepts") ?? []
        if intercepts.isEmpty { intercepts = [Double](repeating: 0, count: outputs) }
        guard intercepts.count == outputs else { throw node.error("\(intercepts.count) intercepts for \(outputs) outputs") }
        if node.op == "LinearRegressor", case let targets = try node.int("targets", default: 1), targets != outputs {
            throw node.error("targets = \(targets) (1 when absent) but the coefficients give \(outputs) outputs")
        }
        // Wᵀ: coefficients are [outputs, features] row-major.
        var weights = [Double](repeating: 0, count: features * outputs)
        for o in 0..<outputs { for f in 0..<features { weights[f * outputs + o] = coefficients[o * features + f] } }
        let scores = try affineRows(node, rowsValue, rows: rows, weights: try finite(node, weights, "coefficients"), k: features,
                                    n: outputs, bias: try finite(node, intercepts, "intercepts"),
                                    suffix: node.op == "LinearRegressor" ? nil : "_scores")
        if node.op == "LinearRegressor" {
            guard try node.string("post_transform", default: "NONE") == "NONE" else {
                throw node.error("post_transform other than NONE is not supported for LinearRegressor")
            }
            return [scores]
        }
        let labels = try classLabels(node, "classlabels_ints")
        let probabilities: Value
        if outputs == 1, labels == 2 {
            probabilities = try binaryScores(node, scores, complementUnderNone: true)
            // onnxruntime's label is [s > 0] (under NONE the probabilities' arg-max would be [s > ½]).
            var n = part(node, "Greater", nil)
            n.outputs = [node.outputs.first ?? node.label + "_label"]
            return [try reshaped(try step(n, scores), [rows]), probabilities]
        } else {
            guard outputs == labels else { throw node.error("\(outputs) score columns for \(labels) class labels") }
            probabilities = try postTransform(node, scores, suffix: "_probabilities")
        }
        return [try classLabel(node, probabilities), probabilities]
    }

    /// The number of class labels, which must be 0 … K − 1 (the label is the
    /// arg-max's index); string labels are refused.
    func classLabels(_ node: Node, _ key: String) throws(ImportError) -> Int {
        if node.attributes["classlabels_strings"] != nil { throw node.error("string class labels are not supported") }
        guard let labels = try node.ints(key), !labels.isEmpty else { throw node.error("needs \(key)") }
        guard labels == Array(0..<labels.count) else {
            throw node.error("class labels \(labels.prefix(8)) are not 0…\(labels.count - 1) (only those are supported)")
        }
        return labels.count
    }

    /// The label: the index of each row's largest probability (the first on ties).
    mutating func classLabel(_ node: Node, _ probabilities: Value) throws(ImportError) -> Value {
        var n = part(node, "ArgMax", nil)
        n.outputs = [node.outputs.first ?? node.label + "_label"]
        n.attributes = ["axis": .int(1), "keepdims": .int(0)]
        return try argmax(n, probabilities)
    }

    /// NONE, LOGISTIC (sigmoid per score) or SOFTMAX (per row).
    mutating func postTransform(_ node: Node, _ scores: Value, suffix: String) throws(ImportError) -> Value {
        let transform = try node.string("post_transform", default: "NONE")
        let output = node.outputs.count > 1 ? node.outputs[1] : node.label + suffix
        switch transform {
        case "NONE": return scores
        case "LOGISTIC":
            var n = part(node, "Sigmoid", nil)
            n.outputs = [output]
            return try activation(n, scores, function: .sigmoid)
        case "SOFTMAX":
            var n = part(node, "Softmax", nil)
            n.outputs = [output]
            n.attributes = ["axis": .int(-1)]
            return try softmax(n, scores)
        default: throw node.error("post_transform \(transform) is not supported (NONE, LOGISTIC, SOFTMAX)")
        }
    }

    /// Binary classifiers with one score column s, as onnxruntime
    /// completes them: [1 − σ(s), σ(s)] for LOGISTIC; for NONE [1 − s, s]
    /// (linear models, and trees whose weights are all ≥ 0), else [−s, s].
    mutating func binaryScores(_ node: Node, _ scores: Value, complementUnderNone allPositive: Bool) throws(ImportError) -> Value {
        let transform = try node.string("post_transform", default: "NONE")
        let positive: Value, negative: Value
        switch transform {
        case "LOGISTIC":
            positive = try activation(part(node, "Sigmoid", "_p1"), scores, function: .sigmoid)
            negative = try binary(part(node, "Sub", "_p0"), .constant(.scalar(1)), positive)
        case "NONE":
            positive = scores
            negative = allPositive ? try binary(part(node, "Sub", "_p0"), .constant(.scalar(1)), scores)
                                   : try binary(part(node, "Mul", "_p0"), scores, .constant(.scalar(-1)))
        default: throw node.error("post_transform \(transform) is not supported for a binary classifier (NONE, LOGISTIC)")
        }
        var n = part(node, "Concat", nil)
        n.outputs = [node.outputs.count > 1 ? node.outputs[1] : node.label + "_probabilities"]
        n.attributes = ["axis": .int(1)]
        return try concat(n, [negative, positive])
    }

    /// Normalizer over each row: MAX (x / max x), L1 (x / Σ|x|), L2 (x / √Σx²).
    mutating func normalizer(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let (rowsValue, rows, cols) = try featureRows(node, x)
        let (src, _) = try stored(rowsValue, node: node.label)
        let norm = try node.string("norm", default: "MAX")
        // A zero norm leaves its row as it is (onnxruntime): the norm plus [norm = 0].
        func guarded(_ v: KernelProgram.Ref) throws(ImportError) -> Value {
            let norms = Value.stored(v, shape: [rows, 1])
            let zero = try comparison(part(node, "Equal", "_zero"), norms, .constant(.scalar(0)))
            return try binary(part(node, "Add", "_safe"), norms, zero)
        }
        let inverse: Value
        switch norm {
        case "MAX":
            let maxima = try rowMaxima(node, src, rows: rows, cols: cols, suffix: "_max")
            inverse = try activation(part(node, "Reciprocal", "_inv"), try guarded(maxima), function: .reciprocal)
        case "L1":
            let magnitude = try absoluteOrSign(part(node, "Abs", "_abs"), rowsValue)
            let sums = try rowSums(node, try stored(magnitude, node: node.label).0, rows: rows, cols: cols, factor: 1, suffix: "_l1")
            inverse = try activation(part(node, "Reciprocal", "_inv"), try guarded(sums), function: .reciprocal)
        case "L2":
            let squares = try binary(part(node, "Mul", "_sq"), rowsValue, rowsValue)
            let sums = try rowSums(node, try stored(squares, node: node.label).0, rows: rows, cols: cols, factor: 1, suffix: "_l2")
            inverse = try activation(part(node, "Rsqrt", "_inv"), try guarded(sums), function: .rsqrt)
        default: throw node.error("norm '\(norm)' is not MAX, L1 or L2")
        }
        return try reshaped(try binary(part(node, "Mul", nil), rowsValue, inverse), x.shape)
    }

    /// SVMRegressor: Σᵢ cᵢ·K(x, svᵢ) + ρ with a LINEAR (x·sv), POLY
    /// ((γ x·sv + c₀)^d), RBF (e^(−γ‖x − sv‖²), with ‖x − sv‖² expanded as
    /// ‖x‖² − 2x·sv + ‖sv‖²) or SIGMOID (tanh(γ x·sv + c₀)) kernel.
    mutating func svmRegressor(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let (rowsValue, rows, features) = try featureRows(node, x)
        if try node.int("one_class", default: 0) != 0 { throw node.error("one_class = 1 is not supported") }
        guard try node.string("post_transform", default: "NONE") == "NONE" else { throw node.error("post_transform other than NONE is not supported") }
        let vectors = try floatList(node, "support_vectors") ?? [], coefficients = try floatList(node, "coefficients") ?? []
        let count = try node.int("n_supports", default: 0)
        let rho = try floatList(node, "rho") ?? [0]
        if count == 0 {
            // onnxruntime's linear mode: coefficients · x + ρ, no support vectors.
            guard coefficients.count == features else { throw node.error("linear mode (n_supports = 0) needs \(features) coefficients") }
            return try affineRows(node, rowsValue, rows: rows, weights: coefficients, k: features, n: 1, bias: [rho.first ?? 0], suffix: nil)
        }
        guard count >= 1, coefficients.count == count, vectors.count == count * features else {
            throw node.error("\(count) support vectors need \(count) coefficients and \(count)×\(features) vector values")
        }
        let params = try floatList(node, "kernel_params") ?? [0.1, 0, 3]
        let (gamma, coef0, degree) = (params.first ?? 0.1, params.count > 1 ? params[1] : 0, params.count > 2 ? params[2] : 3)
        let kernel = try node.string("kernel_type", default: "LINEAR")
        // x·svᵀ scaled: [features, count] transposed support vectors.
        func products(_ scale: Double, bias: [Double]?, _ suffix: String) throws(ImportError) -> Value {
            var weights = [Double](repeating: 0, count: features * count)
            for i in 0..<count { for f in 0..<features { weights[f * count + i] = scale * vectors[i * features + f] } }
            return try affineRows(node, rowsValue, rows: rows, weights: weights, k: features, n: count, bias: bias, suffix: suffix)
        }
        let kernelValues: Value
        switch kernel {
        case "LINEAR": kernelValues = try products(1, bias: nil, "_k")
        case "POLY":
            guard degree == degree.rounded(), degree >= 1, degree <= 16 else { throw node.error("POLY degree \(degree) is not a whole number in 1…16") }
            let base = try products(gamma, bias: [Double](repeating: coef0, count: count), "_base")
            var p = part(node, "Pow", "_k")
            p.outputs = [node.label + "_k"]
            kernelValues = try power(p, base, exponent: .constant(.scalar(degree)))
        case "SIGMOID":
            let base = try products(gamma, bias: [Double](repeating: coef0, count: count), "_base")
            kernelValues = try activation(part(node, "Tanh", "_k"), base, function: .tanh)
        case "RBF":
            // −γ‖x − sv‖² = 2γ x·sv − γ‖sv‖² − γ‖x‖², clamped to ≤ 0 (its true range).
            let norms = (0..<count).map { i in -gamma * (0..<features).reduce(0.0) { $0 + vectors[i * features + $1] * vectors[i * features + $1] } }
            let cross = try products(2 * gamma, bias: norms, "_cross")
            let squares = try binary(part(node, "Mul", "_xsq"), rowsValue, rowsValue)
            let own = try rowSums(node, try stored(squares, node: node.label).0, rows: rows, cols: features, factor: gamma, suffix: "_xnorm")
            let exponent = try binary(part(node, "Sub", "_arg"), cross, .stored(own, shape: [rows, 1]))
            let bounded = try clamp(part(node, "Clip", "_argneg"), exponent, lo: -.infinity, hi: 0)
            kernelValues = try activation(part(node, "Exp", "_k"), bounded, function: .exp)
        default: throw node.error("kernel_type '\(kernel)' is not LINEAR, POLY, RBF or SIGMOID")
        }
        return try affineRows(node, kernelValues, rows: rows, weights: coefficients, k: count, n: 1, bias: [rho.first ?? 0], suffix: nil)
    }
}
