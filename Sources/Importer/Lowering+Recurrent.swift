/// Recurrent layers (Spec/onnx-import.md §3.6): ONNX RNN, GRU and LSTM
/// unrolled over their static sequence length, in one or both directions.
/// The input projections of every time step are one matmul per gate over
/// all steps; each step then adds its hidden state times the recurrence
/// weights (a matmul per gate) and applies the gates' activations as tables
/// or clamps. Weights, biases and peepholes must be constants.
extension Lowering {
    /// The recurrent cell kinds and their gates in ONNX's weight order.
    enum RecurrentCell {
        case rnn, gru, lstm

        init?(_ op: String) {
            switch op {
            case "RNN": self = .rnn
            case "GRU": self = .gru
            case "LSTM": self = .lstm
            default: return nil
            }
        }

        /// Gate blocks in W, R and each half of B: RNN one; GRU z, r, h; LSTM i, o, f, c.
        var gates: Int {
            switch self {
            case .rnn: 1
            case .gru: 3
            case .lstm: 4
            }
        }

        /// Activations per direction: RNN f; GRU f, g; LSTM f, g, h.
        var defaultActivations: [String] {
            switch self {
            case .rnn: ["Tanh"]
            case .gru: ["Sigmoid", "Tanh"]
            case .lstm: ["Sigmoid", "Tanh", "Tanh"]
            }
        }
    }

    /// One activation of a recurrent layer with its α and β (ONNX's list
    /// `activation_alpha`/`activation_beta`, consumed in order by the
    /// functions that take them).
    struct RecurrentActivation {
        var name: String
        var alpha: Double?
        var beta: Double?

        static let takesAlpha: Set<String> = ["leakyrelu", "thresholdedrelu", "scaledtanh", "hardsigmoid", "elu", "affine"]
        static let takesBeta: Set<String> = ["scaledtanh", "hardsigmoid", "affine"]
    }

    /// The constant weights of one direction: per gate, the input and
    /// recurrence matrices transposed to [I, H] and [H, H] (stored once and
    /// read by every step), the input projection's bias and, for GRU with
    /// `linear_before_reset`, the recurrence bias of its h gate.
    struct RecurrentDirection {
        var input: [KernelProgram.Ref]
        var recurrence: [KernelProgram.Ref]
        var bias: [KernelProgram.Ref?]
        var resetBias: ConstTensor?
        var peephole: [ConstTensor]?
        var activations: [RecurrentActivation]
    }

    /// RNN, GRU or LSTM: returns Y, Y_h and (LSTM) Y_c.
    mutating func recurrent(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> [Value] {
        guard let cell = RecurrentCell(node.op) else { throw node.error("not a recurrent layer") }
        func input(_ i: Int) -> Value? { i < inputs.count ? inputs[i] : nil }
        func constant(_ i: Int, _ what: String) throws(ImportError) -> ConstTensor? {
            guard let v = input(i) else { return nil }
            guard case .constant(let c) = v else { throw node.error("\(what) must be a constant") }
            return c
        }
        guard let xValue = input(0), let w = try constant(1, "W"), let r = try constant(2, "R") else {
            throw node.error("needs X, W and R")
        }
        let layout = try node.int("layout", default: 0)
        guard layout == 0 || layout == 1 else { throw node.error("layout \(layout) is not 0 or 1") }
        guard xValue.shape.count == 3 else { throw node.error("X must have rank 3, got \(xValue.shape)") }
        let (seq, batch, inputSize) = layout == 0 ? (xValue.shape[0], xValue.shape[1], xValue.shape[2])
                                                  : (xValue.shape[1], xValue.shape[0], xValue.shape[2])
        let direction = try node.string("direction", default: "forward")
        let reverse: [Bool]
        switch direction {
        case "forward": reverse = [false]
        case "reverse": reverse = [true]
        case "bidirectional": reverse = [false, true]
        default: throw node.error("direction '\(direction)' is not forward, reverse or bidirectional")
        }
        let dirs = reverse.count, g = cell.gates
        guard w.shape.count == 3, w.shape[0] == dirs, w.shape[1] % g == 0, w.shape[2] == inputSize else {
            throw node.error("W has shape \(w.shape); expected [\(dirs), \(g)·hidden, \(inputSize)]")
        }
        let hidden = w.shape[1] / g
        if let declared = try node.ints("hidden_size")?.first, declared != hidden {
            throw node.error("hidden_size \(declared) does not match W's \(hidden)")
        }
        guard hidden >= 1, r.shape == [dirs, g * hidden, hidden] else {
            throw node.error("R has shape \(r.shape); expected [\(dirs), \(g * hidden), \(hidden)]")
        }
        let b = try constant(3, "B")
        if let b, b.shape != [dirs, 2 * g * hidden] { throw node.error("B has shape \(b.shape); expected [\(dirs), \(2 * g * hidden)]") }
        if let lengths = try constant(4, "sequence_lens"), lengths.values.contains(where: { $0 != Double(seq) }) {
            throw node.error("sequence_lens must equal the sequence length \(seq) for every batch entry (variable lengths are not supported)")
        }
        let inputForget = try node.int("input_forget", default: 0), resetMode = try node.int("linear_before_reset", default: 0)
        if cell == .lstm, inputForget != 0 { throw node.error("input_forget = 1 is not supported") }
        let linearBeforeReset = cell == .gru && resetMode != 0
        let peephole = cell == .lstm ? try constant(7, "P") : nil
        if let peephole, peephole.shape != [dirs, 3 * hidden] { throw node.error("P has shape \(peephole.shape); expected [\(dirs), \(3 * hidden)]") }
        let clip = try node.float("clip", default: .infinity)
        guard clip > 0 else { throw node.error("clip must be positive, got \(clip)") }
        let activations = try recurrentActivations(node, cell: cell, directions: dirs)
        // About 20 tensors per LSTM step and direction (GRU 16, RNN 4): refuse before unrolling what cannot fit.
        let perStep = [RecurrentCell.rnn: 4, .gru: 16, .lstm: 20][cell]!
        guard seq * dirs * perStep <= 50_000 else {
            throw node.error("unrolling \(seq) steps in \(dirs) direction(s) needs about \(seq * dirs * perStep) tensors, more than a program holds")
        }

        // X as [seq·batch, I], time-major.
        var x = xValue
        if layout == 1, batch > 1 {
            let (src, _) = try stored(xValue, node: node.label)
            let dst = try buffer(part(node, "Transpose", "_x"), shape: [seq, batch, inputSize])
            try gatherCopy(node, src: src, shape: [seq, batch, inputSize], strides: [inputSize, seq * inputSize, 1], into: dst)
            x = .stored(dst, shape: [seq, batch, inputSize])
        }
        let (xRef, _) = try stored(x, node: node.label)

        let stateShape = [batch, hidden], stateCount = batch * hidden
        var finalHidden = [Value](), finalCell = [Value](), steps = [[Value]](repeating: [], count: dirs)
        for d in 0..<dirs {
            let weights = try recurrentWeights(node, d: d, w: w, r: r, b: b, peephole: peephole, cell: cell, hidden: hidden,
                                               inputSize: inputSize, linearBeforeReset: linearBeforeReset,
                                               activations: Array(activations[(d * activations.count / dirs)...].prefix(activations.count / dirs)))
            // Every step's input projection, gate by gate: [seq·batch, H] each.
            var projections = [KernelProgram.Ref]()
            for gate in 0..<g {
                let dst = try buffer(part(node, "MatMul", "_d\(d)_xw\(gate)"), shape: [seq * batch, hidden])
                emit(node, .matmul(dst: dst, a: xRef, b: weights.input[gate], bias: weights.bias[gate], m: seq * batch,
                                   k: inputSize, n: hidden, ars: inputSize, acs: 1, brs: hidden, bcs: 1, drs: hidden))
                projections.append(dst)
            }
            var h = try initialState(node, input(5), d: d, dirs: dirs, batch: batch, hidden: hidden, layout: layout)
            var c = cell == .lstm ? try initialState(node, input(6), d: d, dirs: dirs, batch: batch, hidden: hidden, layout: layout) : nil
            let order = reverse[d] ? Array((0..<seq).reversed()) : Array(0..<seq)
            var outputs = [Value?](repeating: nil, count: seq)
            for t in order {
                let tag = "_d\(d)_t\(t)"
                func projection(_ gate: Int) -> Value {
                    .stored(.init(tensor: projections[gate].tensor, offset: projections[gate].offset + t * stateCount), shape: stateShape)
                }
                switch cell {
                case .rnn:
                    h = try recurrentGate(node, projection(0), h, weights, gate: 0, activation: weights.activations[0], clip: clip, tag: tag + "_h")
                case .gru:
                    h = try gruStep(node, h: h, projection: projection, weights: weights, clip: clip,
                                    linearBeforeReset: linearBeforeReset, tag: tag)
                case .lstm:
                    (h, c) = try lstmStep(node, h: h, c: c, projection: projection, weights: weights, clip: clip, tag: tag)
                }
                outputs[t] = h
            }
            steps[d] = outputs.map { $0! }
            finalHidden.append(h!)
            if let c { finalCell.append(c) }
        }
        // Y: [seq, dirs, batch, H] (layout 1: [batch, seq, dirs, H]).
        var results = [Value]()
        let wantsY = !(node.outputs.first ?? "").isEmpty
        if wantsY {
            let y = try buffer(part(node, node.op, "_y"), shape: [seq, dirs, batch, hidden])
            for t in 0..<seq {
                for d in 0..<dirs {
                    let (src, _) = try stored(steps[d][t], node: node.label)
                    emit(node, .copy(dst: .init(tensor: y.tensor, offset: y.offset + (t * dirs + d) * stateCount), src: src,
                                     shape: [stateCount], strides: [1]))
                }
            }
            results.append(try relaid(node, .stored(y, shape: [seq, dirs, batch, hidden]), layout: layout, suffix: "_y_b"))
        } else {
            results.append(.constant(.scalar(0)))   // Y is not an output of this node
        }
        results.append(try stacked(node, finalHidden, layout: layout, suffix: "_yh"))
        if cell == .lstm { results.append(try stacked(node, finalCell, layout: layout, suffix: "_yc")) }
        return results
    }

    /// The activations of every direction, with their α and β.
    func recurrentActivations(_ node: Node, cell: RecurrentCell, directions: Int) throws(ImportError) -> [RecurrentActivation] {
        let per = cell.defaultActivations.count
        var names = try node.strings("activations") ?? []
        if names.isEmpty { names = [String](repeating: "", count: directions).flatMap { _ in cell.defaultActivations } }
        if names.count == per, directions == 2 { names += names }
        // onnxruntime accepts a bidirectional-length list for one direction and uses its first half.
        if names.count == 2 * per, directions == 1 { names = Array(names.prefix(per)) }
        guard names.count == per * directions else {
            throw node.error("activations lists \(names.count) functions; \(node.op) needs \(per) per direction")
        }
        var alphas = try node.floats("activation_alpha") ?? [], betas = try node.floats("activation_beta") ?? []
        guard (alphas + betas).allSatisfy(\.isFinite) else { throw node.error("activation_alpha and activation_beta must be finite") }
        return names.map { name in
            let key = name.lowercased()
            var a = RecurrentActivation(name: key)
            if RecurrentActivation.takesAlpha.contains(key), !alphas.isEmpty { a.alpha = alphas.removeFirst() }
            if RecurrentActivation.takesBeta.contains(key), !betas.isEmpty { a.beta = betas.removeFirst() }
            return a
        }
    }

    /// Direction `d`'s weights stored once: W and R per gate transposed, the
    /// summed biases Wb + Rb per gate (GRU with `linear_before_reset` keeps
    /// its h gate's Rb apart, inside the reset product).
    mutating func recurrentWeights(_ node: Node, d: Int, w: ConstTensor, r: ConstTensor, b: ConstTensor?, peephole: ConstTensor?,
                                   cell: RecurrentCell, hidden: Int, inputSize: Int, linearBeforeReset: Bool,
                                   activations: [RecurrentActivation]) throws(ImportError) -> RecurrentDirection {
        let g = cell.gates
        func transposedBlock(_ m: ConstTensor, gate: Int, columns: Int) -> ConstTensor {
            // m[d][gate·H + j][i] → out[i][j]
            var out = [Double](repeating: 0, count: columns * hidden)
            let base = (d * g + gate) * hidden * columns
            for j in 0..<hidden { for i in 0..<columns { out[i * hidden + j] = m.values[base + j * columns + i] } }
            return ConstTensor(shape: [columns, hidden], values: out)
        }
        func biasBlock(_ half: Int, _ gate: Int) -> [Double] {
            guard let b else { return [Double](repeating: 0, count: hidden) }
            let base = d * 2 * g * hidden + half * g * hidden + gate * hidden
            return Array(b.values[base..<(base + hidden)])
        }
        var direction = RecurrentDirection(input: [], recurrence: [], bias: [], resetBias: nil, peephole: nil,
                                           activations: activations)
        for gate in 0..<g {
            direction.input.append(try stored(.constant(transposedBlock(w, gate: gate, columns: inputSize)), node: node.label).0)
            direction.recurrence.append(try stored(.constant(transposedBlock(r, gate: gate, columns: hidden)), node: node.label).0)
            let apart = linearBeforeReset && gate == 2
            let sum = zip(biasBlock(0, gate), biasBlock(1, gate)).map { apart ? $0.0 : $0.0 + $0.1 }
            direction.bias.append(sum.allSatisfy { $0 == 0 } ? nil
                                  : try stored(.constant(ConstTensor(shape: [hidden], values: sum)), node: node.label).0)
            if apart {
                let rb = biasBlock(1, gate)
                direction.resetBias = rb.allSatisfy { $0 == 0 } ? nil : ConstTensor(shape: [hidden], values: rb)
            }
        }
        if let peephole {
            direction.peephole = (0..<3).map { k in
                let base = d * 3 * hidden + k * hidden
                return ConstTensor(shape: [hidden], values: Array(peephole.values[base..<(base + hidden)]))
            }
        }
        return direction
    }

    /// Direction `d`'s initial hidden or cell state as [batch, H], or nil for zeros.
    mutating func initialState(_ node: Node, _ v: Value?, d: Int, dirs: Int, batch: Int, hidden: Int,
                               layout: Int) throws(ImportError) -> Value? {
        guard let v else { return nil }
        let expected = layout == 0 ? [dirs, batch, hidden] : [batch, dirs, hidden]
        guard v.shape == expected else { throw node.error("initial state has shape \(v.shape); expected \(expected)") }
        // Element (b, j) of direction d.
        let offset = layout == 0 ? d * batch * hidden : d * hidden
        let rowStride = layout == 0 ? hidden : dirs * hidden
        switch v {
        case .constant(let c):
            var values = [Double]()
            for b in 0..<batch { values += c.values[(offset + b * rowStride)..<(offset + b * rowStride + hidden)] }
            return values.allSatisfy { $0 == 0 } ? nil : .constant(ConstTensor(shape: [batch, hidden], values: values))
        case .stored(let ref, _):
            let start = KernelProgram.Ref(tensor: ref.tensor, offset: ref.offset + offset)
            if batch == 1 || rowStride == hidden { return .stored(start, shape: [batch, hidden]) }
            let dst = try buffer(part(node, node.op, "_init\(d)"), shape: [batch, hidden])
            try gatherCopy(node, src: start, shape: [batch, hidden], strides: [rowStride, 1], into: dst)
            return .stored(dst, shape: [batch, hidden])
        }
    }

    /// act(clip(projection + h·R_gate + extra)) for one gate and step.
    mutating func recurrentGate(_ node: Node, _ projection: Value, _ h: Value?, _ weights: RecurrentDirection, gate: Int,
                                activation: RecurrentActivation, clip: Double, extra: Value? = nil,
                                tag: String) throws(ImportError) -> Value {
        var pre = projection
        if let h { pre = try binary(part(node, "Add", tag + "_pre"), pre, try recurrenceProduct(node, h, weights.recurrence[gate], bias: nil, tag: tag)) }
        if let extra { pre = try binary(part(node, "Add", tag + "_extra"), pre, extra) }
        if clip.isFinite { pre = try clamp(part(node, "Clip", tag + "_clip"), pre, lo: -clip, hi: clip) }
        return try applyRecurrentActivation(node, activation, pre, tag: tag)
    }

    /// h·R (+ bias) for a [batch, H] state and a stored [H, H] matrix.
    mutating func recurrenceProduct(_ node: Node, _ h: Value, _ r: KernelProgram.Ref, bias: KernelProgram.Ref?,
                                    tag: String) throws(ImportError) -> Value {
        let (src, shape) = try stored(h, node: node.label)
        let (batch, hidden) = (shape[0], shape[1])
        let dst = try buffer(part(node, "MatMul", tag + "_hr"), shape: shape)
        emit(node, .matmul(dst: dst, a: src, b: r, bias: bias, m: batch, k: hidden, n: hidden,
                           ars: hidden, acs: 1, brs: hidden, bcs: 1, drs: hidden))
        return .stored(dst, shape: shape)
    }

    /// One GRU step: z and r gates, the candidate h̃, then h' = h̃ + z·(h − h̃).
    mutating func gruStep(_ node: Node, h: Value?, projection: (Int) -> Value, weights: RecurrentDirection, clip: Double,
                          linearBeforeReset: Bool, tag: String) throws(ImportError) -> Value {
        let (f, gAct) = (weights.activations[0], weights.activations[1])
        let z = try recurrentGate(node, projection(0), h, weights, gate: 0, activation: f, clip: clip, tag: tag + "_z")
        let r = try recurrentGate(node, projection(1), h, weights, gate: 1, activation: f, clip: clip, tag: tag + "_r")
        var candidate = projection(2)
        if linearBeforeReset {
            // r ⊙ (h·Rh + Rbh)
            var inner: Value?
            if let h {
                let biasRef = try weights.resetBias.map { (c: ConstTensor) throws(ImportError) -> KernelProgram.Ref in
                    try stored(.constant(c), node: node.label).0
                }
                inner = try recurrenceProduct(node, h, weights.recurrence[2], bias: biasRef, tag: tag + "_h")
            } else if let rb = weights.resetBias {
                inner = .constant(rb)
            }
            if let inner { candidate = try binary(part(node, "Add", tag + "_hpre"), candidate, try binary(part(node, "Mul", tag + "_rh"), r, inner)) }
        } else if let h {
            let reset = try binary(part(node, "Mul", tag + "_rh"), r, h)
            candidate = try binary(part(node, "Add", tag + "_hpre"), candidate,
                                   try recurrenceProduct(node, reset, weights.recurrence[2], bias: nil, tag: tag + "_h"))
        }
        if clip.isFinite { candidate = try clamp(part(node, "Clip", tag + "_hclip"), candidate, lo: -clip, hi: clip) }
        let hTilde = try applyRecurrentActivation(node, gAct, candidate, tag: tag + "_h")
        guard let h else {
            // h = 0: h' = (1 − z)·h̃
            let keep = try binary(part(node, "Sub", tag + "_1mz"), .constant(.scalar(1)), z)
            return try binary(part(node, "Mul", tag + "_hn"), keep, hTilde)
        }
        let difference = try binary(part(node, "Sub", tag + "_dh"), h, hTilde)
        let moved = try binary(part(node, "Mul", tag + "_zdh"), z, difference)
        return try binary(part(node, "Add", tag + "_hn"), hTilde, moved)
    }

    /// One LSTM step (gates i, o, f, c; peepholes Pi, Po, Pf):
    /// c' = f⊙c + i⊙g(·), h' = o⊙h(c').
    mutating func lstmStep(_ node: Node, h: Value?, c: Value?, projection: (Int) -> Value, weights: RecurrentDirection,
                           clip: Double, tag: String) throws(ImportError) -> (Value?, Value?) {
        let (f, gAct, hAct) = (weights.activations[0], weights.activations[1], weights.activations[2])
        func peep(_ k: Int, _ state: Value?, _ suffix: String) throws(ImportError) -> Value? {
            guard let p = weights.peephole?[k], let state, p.values.contains(where: { $0 != 0 }) else { return nil }
            return try binary(part(node, "Mul", tag + suffix), state, .constant(p))
        }
        let input = try recurrentGate(node, projection(0), h, weights, gate: 0, activation: f, clip: clip,
                                      extra: try peep(0, c, "_pi"), tag: tag + "_i")
        let forget = try recurrentGate(node, projection(2), h, weights, gate: 2, activation: f, clip: clip,
                                       extra: try peep(2, c, "_pf"), tag: tag + "_f")
        let candidate = try recurrentGate(node, projection(3), h, weights, gate: 3, activation: gAct, clip: clip, tag: tag + "_c")
        var newCell = try binary(part(node, "Mul", tag + "_ic"), input, candidate)
        if let c { newCell = try binary(part(node, "Add", tag + "_cn"), try binary(part(node, "Mul", tag + "_fc"), forget, c), newCell) }
        let output = try recurrentGate(node, projection(1), h, weights, gate: 1, activation: f, clip: clip,
                                       extra: try peep(1, newCell, "_po"), tag: tag + "_o")
        let squashed = try applyRecurrentActivation(node, hAct, newCell, tag: tag + "_ch")
        return (try binary(part(node, "Mul", tag + "_hn"), output, squashed), newCell)
    }

    /// A recurrent layer's activation function (ONNX's list for RNN, GRU and LSTM).
    mutating func applyRecurrentActivation(_ node: Node, _ a: RecurrentActivation, _ x: Value,
                                           tag: String) throws(ImportError) -> Value {
        func with(_ op: String, _ attributes: [String: Attribute]) -> Node {
            var n = part(node, op, tag + "_act")
            n.attributes = attributes
            return n
        }
        func required(_ v: Double?, _ what: String) throws(ImportError) -> Double {
            guard let v, v.isFinite else { throw node.error("activation \(a.name) needs a finite \(what)") }
            return v
        }
        switch a.name {
        case "sigmoid": return try activation(with("Sigmoid", [:]), x, function: .sigmoid)
        case "tanh": return try activation(with("Tanh", [:]), x, function: .tanh)
        case "relu": return try clamp(with("Relu", [:]), x, lo: 0, hi: .infinity)
        case "hardsigmoid":
            return try hardSigmoid(with("HardSigmoid", ["alpha": .float(a.alpha ?? 0.2), "beta": .float(a.beta ?? 0.5)]), x)
        case "leakyrelu": return try leakyRelu(with("LeakyRelu", ["alpha": .float(a.alpha ?? 0.01)]), x)
        case "elu": return try exponentialUnit(with("Elu", ["alpha": .float(a.alpha ?? 1)]), x)
        case "softsign": return try softFunction(with("Softsign", [:]), x)
        case "softplus": return try softFunction(with("Softplus", [:]), x)
        case "affine":
            let scaled = try binary(part(node, "Mul", tag + "_aff"), x, .constant(.scalar(try required(a.alpha, "alpha"))))
            return try binary(part(node, "Add", tag + "_act"), scaled, .constant(.scalar(try required(a.beta, "beta"))))
        case "scaledtanh":
            let inner = try binary(part(node, "Mul", tag + "_stb"), x, .constant(.scalar(try required(a.beta, "beta"))))
            let squashed = try activation(part(node, "Tanh", tag + "_st"), inner, function: .tanh)
            return try binary(part(node, "Mul", tag + "_act"), squashed, .constant(.scalar(try required(a.alpha, "alpha"))))
        default:
            throw node.error("recurrent activation '\(a.name)' is not supported (Sigmoid, Tanh, Relu, HardSigmoid, LeakyRelu, Elu, Softsign, Softplus, Affine, ScaledTanh)")
        }
    }

    /// Per-direction [batch, H] states stacked as [dirs, batch, H] (layout 1: [batch, dirs, H]).
    mutating func stacked(_ node: Node, _ states: [Value], layout: Int, suffix: String) throws(ImportError) -> Value {
        let shape = states[0].shape, (batch, hidden) = (shape[0], shape[1])
        if states.count == 1 {
            return try reshaped(states[0], layout == 0 ? [1, batch, hidden] : [batch, 1, hidden])
        }
        let dst = try buffer(part(node, node.op, suffix), shape: [states.count, batch, hidden])
        for (d, s) in states.enumerated() {
            let (src, _) = try stored(s, node: node.label)
            emit(node, .copy(dst: .init(tensor: dst.tensor, offset: dst.offset + d * batch * hidden), src: src,
                             shape: [batch * hidden], strides: [1]))
        }
        return try relaid(node, .stored(dst, shape: [states.count, batch, hidden]), layout: layout, suffix: suffix + "_b")
    }

    /// A time- or direction-major result moved to layout 1 (batch first):
    /// [a, (b,) batch, H] → [batch, a, (b,) H]; layout 0 or batch 1 alias.
    mutating func relaid(_ node: Node, _ v: Value, layout: Int, suffix: String) throws(ImportError) -> Value {
        var shape = v.shape
        let batch = shape[shape.count - 2]
        shape.remove(at: shape.count - 2)
        shape.insert(batch, at: 0)
        if layout == 0 { return v }
        if batch == 1 { return try reshaped(v, shape) }
        let (src, _) = try stored(v, node: node.label)
        let hidden = shape.last!, outer = v.shape.dropLast(2).reduce(1, *)
        let dst = try buffer(part(node, node.op, suffix), shape: shape)
        try gatherCopy(node, src: src, shape: [batch, outer, hidden], strides: [hidden, batch * hidden, 1], into: dst)
        return .stored(dst, shape: shape)
    }
}
