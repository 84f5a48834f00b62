/// Lowers an ONNX `Graph` to a `KernelProgram` (Spec/onnx-import.md §3).
/// Values are constants (folded at import time) or contiguous views of
/// stored tensors; reshapes are free, data movement becomes `copy`, and
/// each compute node becomes a few of the ISA's tensor operations.
struct Lowering {
    enum Value {
        case constant(ConstTensor)
        /// A contiguous view: `shape` elements from `ref`.
        case stored(KernelProgram.Ref, shape: [Int])

        var shape: [Int] {
            switch self {
            case .constant(let c): c.shape
            case .stored(_, let shape): shape
            }
        }
    }

    /// The operators the importer lowers (shape-only ones fold or alias).
    static let supported: [String] = [
        "Abs", "Add", "And", "ArgMax", "ArgMin", "AveragePool", "BatchNormalization", "BitShift", "BitwiseAnd",
        "BitwiseNot", "BitwiseOr", "BitwiseXor", "Cast", "Ceil", "Celu", "Clip",
        "Concat", "Constant", "ConstantOfShape", "Conv", "ConvTranspose", "Cos", "Cosh", "Div", "Dropout", "Elu", "Equal", "Erf",
        "Exp", "Expand", "Flatten", "Floor", "Gather", "GatherElements", "GatherND", "Gelu", "Gemm",
        "GlobalAveragePool", "Greater", "GreaterOrEqual", "GRU", "HardSigmoid", "HardSwish", "Identity",
        "InstanceNormalization", "LayerNormalization", "LeakyRelu", "Less", "LessOrEqual", "Log", "LogSoftmax", "LpNormalization", "LpPool",
        "LSTM", "MatMul", "Max", "MaxPool", "Min", "Mish", "Mod", "Mul", "Neg", "NonZero", "Not", "OneHot", "Or", "Pad",
        "Pow", "PRelu", "Range", "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceMax", "ReduceMean",
        "ReduceMin", "ReduceSum", "ReduceSumSquare", "Relu", "Reshape", "Resize", "RNN", "Round", "ScatterElements",
        "ScatterND", "Selu", "Shape", "Sigmoid", "Sign", "Sin", "Sinh", "Slice", "Softmax", "Softplus", "Softsign", "Split", "Sqrt",
        "Squeeze", "Sub", "Tan", "Tanh", "Tile", "TopK", "Transpose", "Trilu", "Unsqueeze", "Upsample", "Where", "Xor",
    ]

    let graph: Graph
    let limits: ImportLimits
    var program = KernelProgram()
    var values: [String: Value] = [:]
    /// Stored values of ONNX integer or boolean type (`IntegerSemantics`).
    var integerValues: Set<String> = []
    /// The ONNX element types of stored integer values, where known.
    var elementTypes: [String: Int] = [:]
    /// Stored values that hold only 0 and 1 (comparisons and logic).
    var booleanValues: Set<String> = []
    var usedNames: Set<String> = []
    /// The operators that read each value (graph outputs read by "output").
    var consumers: [String: [String]] = [:]
    /// Values of Where(c, −∞, x) that feed only a Softmax: x is stored, and
    /// here the 0/1 constant that keeps an element (0 where it is −∞).
    var softmaxMasks: [String: ConstTensor] = [:]
    var cells = 0

    init(graph: Graph, limits: ImportLimits) {
        self.graph = graph
        self.limits = limits
    }

    static func lower(_ graph: Graph, limits: ImportLimits = .standard) throws(ImportError) -> KernelProgram {
        var l = Lowering(graph: graph, limits: limits)
        for (name, c) in graph.initializers { l.values[name] = .constant(c) }
        for input in graph.inputs {
            let t = try l.newTensor(input.name, shape: input.shape, kind: .input, origin: input.name)
            l.program.inputs.append(t)
            l.values[input.name] = .stored(.init(tensor: t), shape: input.shape)
            if input.isInteger {
                l.integerValues.insert(input.name)
                l.elementTypes[input.name] = input.elementType
                l.program.tensors[t].wholeNumbers = true
                // Whole numbers at scale 0, then raised exactly (× 1 at the
                // reader's scale) so the arithmetic they meet keeps its scale.
                let reader = Node(name: input.name, op: "Cast", inputs: [], outputs: [input.name + "_whole"], attributes: [:])
                let raised = try l.binary(reader, l.values[input.name]!, .constant(.scalar(1)))
                // A value outside its type (a uint8 of 300) is read as ONNX would hold it, so every
                // proof is of some valid input.
                l.values[input.name] = try l.wrapped(reader, raised, type: input.elementType, input: true)
            }
            if input.isBoolean {
                // true is any value ≠ 0: 1 − [x = 0], exact on whole numbers.
                let reader = Node(name: input.name, op: "Cast", inputs: [], outputs: [input.name + "_bool"], attributes: [:])
                let zero = try l.comparison(l.part(reader, "Equal", "_zero"), l.values[input.name]!, .constant(.scalar(0)))
                l.values[input.name] = try l.complement(reader, zero, suffix: nil)
                l.booleanValues.insert(input.name)
            }
        }
        let folded = BatchNormFolding.fold(graph.nodes, outputs: graph.outputs, initializers: &l.values)
        let fused = GeluFusion.fuse(folded, outputs: graph.outputs, initializers: l.values)
        for node in fused { for input in node.inputs where !input.isEmpty { l.consumers[input, default: []].append(node.op) } }
        for name in graph.outputs { l.consumers[name, default: []].append("output") }
        for node in PoolActivationSwap.reorder(fused, outputs: graph.outputs) {
            try l.lower(node)
        }
        for name in graph.outputs {
            guard let v = l.values[name] else { throw ImportError("graph output '\(name)' is never computed") }
            // Outputs get tensors of their own (an input or a shared view cannot be one).
            let t = try l.newTensor(name, shape: v.shape, kind: .output, origin: name)
            let (src, _) = try l.stored(v, node: "output '\(name)'")
            l.program.steps.append(.init(operation: .copy(dst: .init(tensor: t), src: src, shape: [max(1, v.shape.reduce(1, *))],
                                                          strides: [1]), node: "output '\(name)'"))
            l.program.outputs.append(t)
        }
        return l.program
    }

    mutating func lower(_ node: Node) throws(ImportError) {
        let inputs = try node.inputs.map { (name: String) throws(ImportError) -> Value? in
            if name.isEmpty { return nil }
            guard let v = values[name] else { throw node.error("input '\(name)' is not defined before this node") }
            return v
        }
        // Constant folding: every input constant (and a foldable op) gives constants.
        let present = inputs.compactMap { $0 }
        var constants = [ConstTensor]()
        for v in present { if case .constant(let c) = v { constants.append(c) } }
        for name in node.outputs where !name.isEmpty && values[name] != nil {
            throw node.error("output '\(name)' is already defined")
        }
        if constants.count == present.count, !present.isEmpty || node.op == "Constant",
           let folded = try ConstantFolding.fold(node, constants, inputs: inputs) {
            for (name, c) in zip(node.outputs, folded) {
                var value = c
                // ONNX integer arithmetic wraps in the type's width.
                if let type = c.elementType, !IntegerSemantics.keepsRange.contains(node.op) {
                    value.values = value.values.map { IntegerSemantics.wrapped($0, type: type) }
                }
                values[name] = .constant(value)
            }
            return
        }
        let integer = try IntegerSemantics.outputsAreIntegers(node, inputs: node.inputs.map(isInteger),
                                                              boolean: node.inputs.first.map(isBoolean) ?? false)
        let outputs = try lowerCompute(node, inputs)
        guard outputs.count >= 1 else { throw node.error("produced no output") }
        let inputTypes = node.inputs.map(elementType)
        for (k, (name, v)) in zip(node.outputs, outputs).enumerated() where !name.isEmpty {
            values[name] = v
            if integer || IntegerSemantics.integerOutputs[node.op]?.contains(k) == true {
                integerValues.insert(name)
                let type = try IntegerSemantics.resultType(node, output: k, inputTypes: inputTypes)
                elementTypes[name] = type
                if let type, !IntegerSemantics.keepsRange.contains(node.op) {
                    values[name] = try wrapped(Node(name: node.name, op: node.op, inputs: [], outputs: [name], attributes: [:]), v, type: type)
                }
            }
            if IntegerSemantics.booleanResults.contains(node.op)
                || (node.op == "Cast" && node.inputs.first.map(isBoolean) == true) { booleanValues.insert(name) }
        }
    }

    mutating func lowerCompute(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> [Value] {
        func arg(_ i: Int) throws(ImportError) -> Value {
            guard i < inputs.count, let v = inputs[i] else { throw node.error("missing input \(i)") }
            return v
        }
        switch node.op {
        case "Identity", "Dropout": return [try arg(0)]
        case "Shape": return [.constant(ConstTensor(shape: [try arg(0).shape.count], values: try arg(0).shape.map(Double.init), isInteger: true))]
        case "Reshape", "Flatten", "Squeeze", "Unsqueeze": return [try reshape(node, inputs)]
        case "Cast": return [try arg(0)]   // float → float on stored values; integer casts only fold
        case "Transpose": return [try transpose(node, try arg(0))]
        case "Concat": return [try concat(node, inputs)]
        case "Slice": return [try slice(node, inputs)]
        case "Gather": return [try gather(node, inputs)]
        case "Pad": return [try pad(node, inputs)]
        case "Expand": return [try expand(node, try arg(0), try arg(1))]
        case "Div" where isInteger(node.inputs[0]) && isInteger(node.inputs[1]): return [try integerDivision(node, try arg(0), try arg(1))]
        case "Mod" where isInteger(node.inputs[0]) && isInteger(node.inputs[1]): return [try integerDivision(node, try arg(0), try arg(1))]
        case "Add", "Sub", "Mul", "Div": return [try binary(node, try arg(0), try arg(1))]
        case "BitwiseAnd", "BitwiseOr", "BitwiseXor": return [try bitwise(node, try arg(0), try arg(1))]
        case "BitwiseNot": return [try bitwiseNot(node, try arg(0))]
        case "BitShift": return [try bitShift(node, try arg(0), try arg(1))]
        case "Neg": return [try binary(Node(name: node.name, op: "Mul", inputs: [], outputs: [], attributes: [:]),
                                       try arg(0), .constant(.scalar(-1)))]
        case "Relu": return [try clamp(node, try arg(0), lo: 0, hi: .infinity)]
        case "Clip": return [try clip(node, inputs)]
        case "LeakyRelu": return [try leakyRelu(node, try arg(0))]
        case "Sigmoid", "Tanh", "Exp", "Erf", "Log": return [try activation(node, try arg(0))]
        case "Gelu": return [try gelu(node, try arg(0))]
        case "Gemm": return [try gemm(node, inputs)]
        case "MatMul": return [try matmul(node, try arg(0), try arg(1))]
        case "Conv": return [try conv(node, inputs)]
        case "ConvTranspose": return [try convTranspose(node, inputs)]
        case "BatchNormalization": return [try batchNorm(node, inputs)]
        case "MaxPool", "AveragePool": return [try pool(node, try arg(0))]
        case "GlobalAveragePool": return [try globalAveragePool(node, try arg(0))]
        case "Softmax", "LogSoftmax": return [try softmax(node, try arg(0))]
        case "LayerNormalization": return [try layerNorm(node, inputs)]
        case "ArgMax": return [try argmax(node, try arg(0))]
        case "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSumExp":
            return [try reduce(node, inputs)]
        case "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual": return [try comparison(node, try arg(0), try arg(1))]
        case "Not", "And", "Or", "Xor": return [try logic(node, inputs)]
        case "Where": return [try select(node, inputs)]
        case "Abs", "Sign": return [try absoluteOrSign(node, try arg(0))]
        case "Max", "Min": return [try extremum(node, inputs)]
        case "PRelu": return [try prelu(node, try arg(0), slope: try arg(1))]
        case "HardSigmoid", "HardSwish": return [try hardSigmoid(node, try arg(0))]
        case "Elu", "Selu", "Celu": return [try exponentialUnit(node, try arg(0))]
        case "Softplus", "Softsign", "Mish": return [try softFunction(node, try arg(0))]
        case "Sqrt": return [try activation(node, try arg(0), function: .sqrt)]
        case "Reciprocal": return [try activation(node, try arg(0), function: .reciprocal)]
        case "Pow": return [try power(node, try arg(0), exponent: try arg(1))]
        case "Tile": return [try tile(node, try arg(0), repeats: try arg(1))]
        case "Trilu": return [try trilu(node, try arg(0), k: inputs.count > 1 ? inputs[1] : nil)]
        case "RNN", "GRU", "LSTM": return try recurrent(node, inputs)
        case "Floor", "Ceil", "Round": return [try rounding(node, try arg(0))]
        case "Mod": return [try modulo(node, try arg(0), try arg(1))]
        case "Split": return try split(node, inputs)
        case "LpNormalization": return [try lpNormalization(node, try arg(0))]
        case "LpPool": return [try lpPool(node, try arg(0))]
        case "Sin", "Cos", "Tan", "Sinh", "Cosh": return [try trigonometric(node, try arg(0))]
        case "GatherElements": return [try gatherElements(node, inputs)]
        case "GatherND": return [try gatherND(node, inputs)]
        case "ScatterElements", "ScatterND": return [try scatter(node, inputs)]
        case "OneHot": return [try oneHot(node, inputs)]
        case "TopK": return try topK(node, inputs)
        case "Resize", "Upsample": return [try resize(node, inputs)]
        case "NonZero": throw node.error("NonZero of a computed tensor has a data-dependent shape (it folds on constants)")
        case "InstanceNormalization": return [try instanceNorm(node, inputs)]
        case "ArgMin":
            let negated = try binary(part(node, "Mul", "_neg"), try arg(0), .constant(.scalar(-1)))
            return [try argmax(node, negated)]
        case _ where Self.supportedClassicML.contains(node.op): return try classicML(node, inputs)
        default:
            throw node.error("operator \(node.op) is not supported (supported: \(Self.supported.joined(separator: ", ")))")
        }
    }

    // MARK: Tensors and names

    /// A fresh tensor with a valid, unique `.zkasm` identifier derived from `hint`.
    mutating func newTensor(_ hint: String, shape: [Int], kind: KernelProgram.Kind, data: [Double]? = nil,
                            origin: String = "") throws(ImportError) -> Int {
        try ModelLoader.checkShape(shape, what: "tensor '\(hint)'", limits: limits)
        guard !shape.contains(0) else {
            throw ImportError("tensor '\(hint)' has shape \(shape): empty tensors are not supported (the ISA's dimensions are 1…2^28)")
        }
        cells += max(1, shape.reduce(1, *))
        guard cells <= limits.maxMemoryCells else {
            throw ImportError("the lowered program needs more than \(limits.maxMemoryCells) memory cells")
        }
        let prefix: String
        switch kind {
        case .input: prefix = "in_"
        case .weights: prefix = "w_"
        case .buffer: prefix = "t_"
        case .output: prefix = "out_"
        }
        var base = prefix + String(hint.unicodeScalars.map { s -> Character in
            (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_")) ? Character(s) : "_"
        }.prefix(60))
        if base.count == prefix.count { base += "v" }
        var name = base, k = 1
        while usedNames.contains(name) { k += 1; name = "\(base)_\(k)" }
        usedNames.insert(name)
        return program.add(name, shape: shape, kind: kind, data: data, origin: origin)
    }

    mutating func buffer(_ node: Node, shape: [Int], suffix: String = "") throws(ImportError) -> KernelProgram.Ref {
        .init(tensor: try newTensor((node.outputs.first ?? node.label) + suffix, shape: shape, kind: .buffer,
                                    origin: suffix.isEmpty ? (node.outputs.first ?? "") : ""))
    }

    /// A stored view of `v` (constants become weight tensors).
    mutating func stored(_ v: Value, node: String) throws(ImportError) -> (KernelProgram.Ref, [Int]) {
        switch v {
        case .stored(let r, let shape): return (r, shape)
        case .constant(let c):
            if let bad = c.values.firstIndex(where: { !$0.isFinite }) {
                throw ImportError(node: node, "a constant holds \(c.values[bad]) at element \(bad); infinities are supported only as a Where mask that feeds a Softmax")
            }
            let t = try newTensor("c", shape: c.shape, kind: .weights, data: c.values, origin: "")
            return (.init(tensor: t), c.shape)
        }
    }

    mutating func emit(_ node: Node, _ op: KernelProgram.Operation) {
        program.steps.append(.init(operation: op, node: "\(node.op) '\(node.label)'"))
    }
}

/// Finds exact GELU as exporters below opset 20 spell it,
/// (x · (1 + erf(x / √2))) · ½ in five nodes, and makes it one Gelu node:
/// one table lookup instead of four element operations and an erf lookup
/// per value (Spec/onnx-import.md §3.2). Only chains whose intermediate
/// values have no other reader are fused.
enum GeluFusion {
    static func fuse(_ nodes: [Node], outputs: [String], initializers: [String: Lowering.Value]) -> [Node] {
        // Scalars of rank 0 or 1 only: a [1, 1, 1] constant would broadcast x to a higher rank.
        var scalars = [String: Double]()
        for (name, v) in initializers {
            if case .constant(let c) = v, c.count == 1, c.shape.count <= 1 { scalars[name] = c.values[0] }
        }
        for n in nodes where n.op == "Constant" {
            if case .tensor(let t)? = n.attributes["value"], t.count == 1, t.shape.count <= 1, let o = n.outputs.first { scalars[o] = t.values[0] }
        }
        var readers = [String: [Int]]()
        for (i, n) in nodes.enumerated() { for input in n.inputs { readers[input, default: []].append(i) } }
        for o in outputs { readers[o, default: []].append(-1) }
        func only(_ value: String) -> Int? {
            guard let r = readers[value], r.count == 1, r[0] >= 0 else { return nil }
            return r[0]
        }
        func near(_ name: String, _ target: Double) -> Bool { scalars[name].map { abs($0 - target) < 1e-6 } ?? false }
        /// The operand of a binary node other than the scalar `target`, if one operand is it.
        func other(_ n: Node, _ target: Double) -> String? {
            guard n.inputs.count == 2 else { return nil }
            if near(n.inputs[1], target) { return n.inputs[0] }
            if near(n.inputs[0], target) { return n.inputs[1] }
            return nil
        }
        var out = nodes, removed = Set<Int>()
        for (i, scale) in nodes.enumerated() where scale.op == "Div" || scale.op == "Mul" {
            guard let x = scale.op == "Div" ? (near(scale.inputs.last ?? "", 2.0.squareRoot()) ? scale.inputs.first : nil)
                                            : other(scale, 1 / 2.0.squareRoot()),
                  let e = only(scale.outputs[0]), nodes[e].op == "Erf",
                  let a = only(nodes[e].outputs[0]), nodes[a].op == "Add", other(nodes[a], 1) == nodes[e].outputs[0],
                  let m = only(nodes[a].outputs[0]), nodes[m].op == "Mul", nodes[m].inputs.count == 2,
                  Set(nodes[m].inputs) == [x, nodes[a].outputs[0]],
                  let h = only(nodes[m].outputs[0]), nodes[h].op == "Mul", other(nodes[h], 0.5) == nodes[m].outputs[0],
                  removed.isDisjoint(with: [i, e, a, m, h]) else { continue }
            out[h] = Node(name: nodes[h].name, op: "Gelu", inputs: [x], outputs: nodes[h].outputs, attributes: [:])
            removed.formUnion([i, e, a, m])
        }
        return out.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}

/// Moves a monotone activation that feeds only a MaxPool behind it:
/// f(max(x)) = max(f(x)) for non-decreasing f, and the pooled tensor is
/// k²/s² times smaller (Spec/onnx-import.md §3.4).
enum PoolActivationSwap {
    static let monotone: Set<String> = ["Relu", "Clip", "Sigmoid", "Tanh"]

    static func reorder(_ nodes: [Node], outputs: [String]) -> [Node] {
        var consumers = [String: Int]()
        for n in nodes { for i in n.inputs { consumers[i, default: 0] += 1 } }
        for o in outputs { consumers[o, default: 0] += 1 }
        var out = nodes
        for (j, pool) in nodes.enumerated() where pool.op == "MaxPool" && pool.outputs.count == 1 {
            guard let i = out.firstIndex(where: { monotone.contains($0.op) && $0.outputs == [pool.inputs.first ?? ""] }),
                  i < j, consumers[out[i].outputs[0]] == 1 else { continue }
            let activation = out[i]
            let pooledName = pool.label + "::before_" + activation.op
            var newPool = pool
            newPool.inputs = [activation.inputs[0]]
            newPool.outputs = [pooledName]
            var newActivation = activation
            newActivation.inputs[0] = pooledName
            newActivation.outputs = pool.outputs
            out[i] = newPool
            out[j] = newActivation
        }
        return out
    }
}

extension Lowering {
    /// Whether the value `name` holds ONNX integers or booleans (an omitted
    /// optional input counts as one, so it never blocks the rule).
    func isInteger(_ name: String) -> Bool {
        switch values[name] {
        case .constant(let c)?: c.isInteger
        case .stored?: integerValues.contains(name)
        case nil: true
        }
    }

    /// The ONNX element type of the value `name`, where known.
    func elementType(_ name: String) -> Int? {
        switch values[name] {
        case .constant(let c)?: c.elementType
        case .stored?: elementTypes[name]
        case nil: nil
        }
    }

    /// Whether the value `name` holds only 0 and 1.
    func isBoolean(_ name: String) -> Bool {
        switch values[name] {
        case .constant(let c)?: c.values.allSatisfy { $0 == 0 || $0 == 1 }
        case .stored?: booleanValues.contains(name)
        case nil: false
        }
    }
}

/// ONNX integer and boolean tensors computed at run time
/// (Spec/onnx-import.md §3.5). The VM computes on real values in fixed
/// point, which equals ONNX's integer semantics for addition, subtraction,
/// multiplication, comparisons, selection and data movement of whole
/// numbers; a truncating division or a cast of a computed real to an
/// integer type would not, so those are refused with the node instead of
/// proved with another meaning (constants fold with ONNX's semantics).
enum IntegerSemantics {
    /// Operators whose outputs hold only 0 and 1.
    static let booleanResults: Set<String> = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor"]
    /// Operators whose outputs are integers or booleans whatever their inputs.
    static let integerResults: Set<String> = [
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "ArgMax", "ArgMin", "Shape",
    ]
    /// Outputs that are int64 whatever the inputs: classifiers' labels, TopK's indices.
    static let integerOutputs: [String: Set<Int>] = ["LinearClassifier": [0], "TreeEnsembleClassifier": [0], "TopK": [1]]
    /// Operators whose integer results the VM's real arithmetic does not
    /// reproduce (ONNX rounds or truncates them): refused on integer data.
    static let refusedOnIntegers: Set<String> = [
        "ReduceMean", "ReduceL2", "ReduceLogSumExp", "Pow", "AveragePool", "GlobalAveragePool", "Softmax", "LogSoftmax",
        "Sqrt", "Reciprocal",
    ]
    /// ONNX TensorProto element types that are integers or booleans
    /// (uint8, int8, uint16, int16, int32, int64, bool, uint32, uint64).
    static let integerTypes: Set<Int> = [2, 3, 4, 5, 6, 7, 9, 12, 13]
    /// Integer types that hold every value of V = [−2^31, 2^31): a cast of a
    /// computed integer to them changes nothing; narrower ones would wrap.
    static let wideIntegerTypes: Set<Int> = [6, 7]
    /// Operators whose integer results stay in their inputs' type range
    /// (data movement, selection, extrema, remainders, bitwise operations,
    /// and casts, which wrap themselves); every other integer result of a
    /// type narrower than 32 bits is reduced to its width, as ONNX computes.
    static let keepsRange: Set<String> = [
        "Identity", "Dropout", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Slice", "Gather", "GatherElements",
        "GatherND", "ScatterElements", "ScatterND", "Concat", "Split", "Tile", "Expand", "Pad", "Where", "Max", "Min", "Clip",
        "Relu", "ReduceMax", "ReduceMin", "MaxPool", "TopK", "Trilu", "OneHot", "Resize", "Upsample", "Mod", "BitwiseAnd",
        "BitwiseOr", "BitwiseXor", "BitwiseNot", "BitShift", "Cast", "Sign", "Floor", "Ceil", "Round", "Constant",
        "ConstantOfShape", "Shape", "ArgMax", "ArgMin", "NonZero",
    ]

    /// v reduced to the width of integer `type` (two's complement for
    /// signed types); unchanged for 64-bit and unknown types.
    static func wrapped(_ v: Double, type: Int) -> Double {
        let t = v.rounded(.towardZero)
        guard let (width, signed) = widths[type], width < 64 else { return t }
        let m = Double(sign: .plus, exponent: width, significand: 1)
        var r = t - m * (t / m).rounded(.down)
        if signed, r >= m / 2 { r -= m }
        return r
    }

    /// Bit width and signedness of each integer element type.
    static let widths: [Int: (bits: Int, signed: Bool)] = [
        2: (8, false), 3: (8, true), 4: (16, false), 5: (16, true), 6: (32, true), 7: (64, true), 9: (1, false),
        12: (32, false), 13: (64, false),
    ]

    /// The element type of an integer output `k` of `node`, given its
    /// inputs' (nil where unknown).
    static func resultType(_ node: Node, output k: Int, inputTypes: [Int?]) throws(ImportError) -> Int? {
        switch node.op {
        case "Cast": return try node.int("to", default: 1)
        case _ where booleanResults.contains(node.op): return 9
        case _ where integerResults.contains(node.op) || integerOutputs[node.op]?.contains(k) == true: return 7
        case "Where": return inputTypes.count > 1 ? inputTypes[1] : nil
        case "OneHot": return inputTypes.count > 2 ? inputTypes[2] : nil
        default: return inputTypes.first ?? nil
        }
    }

    /// Whether `node`'s outputs are integers, given which inputs are;
    /// throws for the operations whose integer meaning the VM does not compute.
    /// - Parameter boolean: whether the data input holds only 0 and 1 (a comparison's or logic's result).
    static func outputsAreIntegers(_ node: Node, inputs integer: [Bool], boolean: Bool = false) throws(ImportError) -> Bool {
        let data = integer.first ?? false
        switch node.op {
        case "Cast":
            let to = try node.int("to", default: 1)
            if integerTypes.contains(to), !data {
                throw node.error("a cast of a computed real tensor to an integer type (ONNX truncates) is not supported")
            }
            if data, to == 9, !boolean {
                throw node.error("a cast of a computed integer tensor to bool (ONNX tests ≠ 0) is not supported")
            }
            if data, integerTypes.contains(to), to != 9, !wideIntegerTypes.contains(to) {
                throw node.error("a cast of a computed integer tensor to a type narrower than int32 (ONNX wraps) is not supported")
            }
            return integerTypes.contains(to)
        case "Div", "Mod": return integer.count == 2 && integer.allSatisfy { $0 }
        case "Where": return integer.count == 3 && integer[1] && integer[2]
        case "OneHot": return integer.count == 3 && integer[2]   // the values' type, not the indices'
        case "Resize", "Upsample":
            if data, try node.string("mode", default: "nearest") != "nearest" {
                throw node.error("\(node.op) of an integer tensor in a mode other than nearest (ONNX rounds the interpolated integers) is not supported")
            }
            return data
        case _ where Lowering.supportedClassicML.contains(node.op): return false   // scores, probabilities and labels as reals
        default:
            if integerResults.contains(node.op) { return true }
            if data, refusedOnIntegers.contains(node.op) {
                throw node.error("\(node.op) on an integer tensor (ONNX rounds its integer result) is not supported")
            }
            // Every other operator's output has its data input's type.
            return data
        }
    }
}
