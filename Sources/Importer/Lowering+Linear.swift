/// Linear operators (Spec/onnx-import.md §3.3): Gemm and MatMul as `matmul`
/// (transposes by strides, α and β folded into constants), Conv as im2col
/// copies plus one `matmul` per group, BatchNormalization as a per-channel
/// affine map (folded into a preceding Conv when possible).
extension Lowering {
    mutating func gemm(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count >= 2, let a = inputs[0], var b = inputs[1] else { throw node.error("needs A and B") }
        let transA = try node.int("transA", default: 0) == 1, transB = try node.int("transB", default: 0) == 1
        let alpha = try node.float("alpha", default: 1), beta = try node.float("beta", default: 1)
        guard a.shape.count == 2, b.shape.count == 2 else { throw node.error("A and B must be matrices, got \(a.shape) and \(b.shape)") }
        let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (kb, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == kb else { throw node.error("inner dimensions differ: \(k) and \(kb)") }
        if alpha != 1 {
            guard case .constant(let c) = b else { throw node.error("alpha ≠ 1 needs a constant B") }
            b = .constant(ConstTensor(shape: c.shape, values: c.values.map { $0 * alpha }))
        }
        var bias: Value? = nil, after: Value? = nil
        if inputs.count > 2, let c = inputs[2] {
            if case .constant(let ct) = c, ct.count == n || ct.count == 1, ct.shape.count <= 1 || ct.shape.first == 1 {
                bias = .constant(ConstTensor(shape: [n], values: ct.count == 1 ? [Double](repeating: ct.values[0] * beta, count: n)
                                                                        : ct.values.map { $0 * beta }))
            } else if beta == 1 {
                after = c
            } else if case .constant(let ct) = c {
                after = .constant(ConstTensor(shape: ct.shape, values: ct.values.map { $0 * beta }))
            } else {
                throw node.error("beta ≠ 1 needs a constant C")
            }
        }
        let (ar, _) = try stored(a, node: node.label), (br, _) = try stored(b, node: node.label)
        let biasRef = try bias.map { (v: Value) throws(ImportError) -> KernelProgram.Ref in try stored(v, node: node.label).0 }
        let dst = try buffer(node, shape: [m, n], suffix: after == nil ? "" : "_mm")
        emit(node, .matmul(dst: dst, a: ar, b: br, bias: biasRef, m: m, k: k, n: n,
                           ars: transA ? 1 : k, acs: transA ? m : 1, brs: transB ? 1 : n, bcs: transB ? k : 1, drs: n))
        let product = Value.stored(dst, shape: [m, n])
        guard let after else { return product }
        return try binary(Node(name: node.name, op: "Add", inputs: [], outputs: node.outputs, attributes: [:]), product, after)
    }

    /// MatMul with NumPy semantics: leading dimensions of A fold into rows
    /// when B is a matrix; batched operands multiply batch by batch.
    mutating func matmul(_ node: Node, _ a: Value, _ b: Value) throws(ImportError) -> Value {
        guard !a.shape.isEmpty, !b.shape.isEmpty else { throw node.error("operands must have rank ≥ 1, got \(a.shape) and \(b.shape)") }
        var aShape = a.shape, bShape = b.shape
        if aShape.count == 1 { aShape = [1] + aShape }
        let bVector = bShape.count == 1
        if bVector { bShape = bShape + [1] }
        let k = aShape.last!, m = aShape[aShape.count - 2], n = bShape.last!
        guard bShape[bShape.count - 2] == k else { throw node.error("inner dimensions differ: \(a.shape) × \(b.shape)") }
        let batchA = Array(aShape.dropLast(2)), batchB = Array(bShape.dropLast(2))
        let (ar, _) = try stored(a, node: node.label), (br, _) = try stored(b, node: node.label)
        let batch = try Self.broadcast(batchA, batchB, node: node)
        // NumPy's result shape: the broadcast batch, then m (unless A was a
        // vector) and n (unless B was a vector).
        var finalShape = batch
        if a.shape.count > 1 { finalShape.append(m) }
        if !bVector { finalShape.append(n) }
        if batchB.reduce(1, *) == 1 {
            let rows = batchA.reduce(1, *) * m
            let dst = try buffer(node, shape: batch + [m, n])
            emit(node, .matmul(dst: dst, a: ar, b: br, bias: nil, m: rows, k: k, n: n, ars: k, acs: 1, brs: n, bcs: 1, drs: n))
            return .stored(dst, shape: finalShape)
        }
        let dst = try buffer(node, shape: batch + [m, n])
        let padA = [Int](repeating: 1, count: batch.count - batchA.count) + batchA
        let padB = [Int](repeating: 1, count: batch.count - batchB.count) + batchB
        let stA = Self.strides(padA), stB = Self.strides(padB)
        var i = 0
        forEachIndex(batch) { idx in
            var oa = 0, ob = 0
            for d in idx.indices {
                if padA[d] != 1 { oa += idx[d] * stA[d] }
                if padB[d] != 1 { ob += idx[d] * stB[d] }
            }
            emit(node, .matmul(dst: .init(tensor: dst.tensor, offset: dst.offset + i * m * n),
                               a: .init(tensor: ar.tensor, offset: ar.offset + oa * m * k),
                               b: .init(tensor: br.tensor, offset: br.offset + ob * k * n),
                               bias: nil, m: m, k: k, n: n, ars: k, acs: 1, brs: n, bcs: 1, drs: n))
            i += 1
        }
        return .stored(dst, shape: finalShape)
    }

    /// 2-D convolution on [1, C, H, W]: zero padding, then one matmul per
    /// group whose A operand is the input's sliding window read in place
    /// (an A pattern, Spec/isa.md §4) and whose output lands directly in
    /// [1, M, OH, OW] (output column stride OH·OW).
    mutating func conv(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count >= 2, let x = inputs[0], case .constant(let w)? = inputs[1] else {
            throw node.error("needs an input and constant weights")
        }
        if let batched = try eachSample(node, x, { (l, n, v) throws(ImportError) in try l.conv(n, [v] + inputs.dropFirst()) }) {
            return batched
        }
        if let (n, planar) = try twoDimensional(node, x, w, inputs) { return try lineOf(try conv(n, planar)) }
        guard x.shape.count == 4, w.shape.count == 4 else { throw node.error("only 1-D and 2-D convolutions are supported (input \(x.shape), weights \(w.shape))") }
        let (c, h, wd) = (x.shape[1], x.shape[2], x.shape[3])
        let (mOut, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let group = try node.int("group", default: 1)
        guard group >= 1, c % group == 0, mOut % group == 0, c / group == cg else {
            throw node.error("group \(group) does not fit \(c) input and \(mOut) output channels with weights \(w.shape)")
        }
        let strides = try node.ints("strides") ?? [1, 1], dil = try node.ints("dilations") ?? [1, 1]
        var pads = try node.ints("pads") ?? [0, 0, 0, 0]
        let autoPad = try node.string("auto_pad", default: "NOTSET")
        guard strides.count == 2, dil.count == 2, pads.count == 4, strides.allSatisfy({ $0 >= 1 }), dil.allSatisfy({ $0 >= 1 }),
              pads.allSatisfy({ $0 >= 0 }), (strides + dil + pads).allSatisfy({ $0 <= 1 << 20 }) else {
            throw node.error("strides, dilations and pads must describe two spatial axes (each at most 2^20)")
        }
        if autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" {
            for (d, size) in [h, wd].enumerated() {
                let k = d == 0 ? kh : kw
                let out = (size + strides[d] - 1) / strides[d]
                let total = max(0, (out - 1) * strides[d] + (k - 1) * dil[d] + 1 - size)
                let small = total / 2, large = total - small
                pads[d] = autoPad == "SAME_UPPER" ? small : large
                pads[d + 2] = autoPad == "SAME_UPPER" ? large : small
            }
        } else if autoPad != "NOTSET" && autoPad != "VALID" {
            throw node.error("auto_pad '\(autoPad)' is not supported")
        }
        guard pads.allSatisfy({ $0 <= 1 << 20 }) else { throw node.error("padding must be at most 2^20") }
        let xp = try padded(node, x, before: [0, 0, pads[0], pads[1]], after: [0, 0, pads[2], pads[3]])
        let (hp, wp) = (xp.shape[2], xp.shape[3])
        guard (kh - 1) * dil[0] + 1 <= hp, (kw - 1) * dil[1] + 1 <= wp else { throw node.error("the kernel is larger than the padded input") }
        let oh = (hp - (kh - 1) * dil[0] - 1) / strides[0] + 1, ow = (wp - (kw - 1) * dil[1] - 1) / strides[1] + 1
        let (src, _) = try stored(xp, node: node.label)
        let kSize = cg * kh * kw, positions = oh * ow, mg = mOut / group
        let weights = try stored(.constant(w), node: node.label).0
        var biasRef: KernelProgram.Ref? = nil
        if inputs.count > 2, let b = inputs[2] {
            guard case .constant(let bc) = b, bc.count == mOut else { throw node.error("bias must be a constant of \(mOut) values") }
            biasRef = try stored(.constant(bc), node: node.label).0
        }
        let outShape = [1, mOut, oh, ow]
        let dst = try buffer(node, shape: outShape)
        for g in 0..<group {
            // dst[g·mg + j, p] = Σ_t window_p[t] · W[g·mg + j, t] + bias[g·mg + j]: A reads the
            // padded input in place, rows (oy, ox), columns (c, ky, kx); the output is [M, OH·OW].
            let pattern = KernelProgram.MatmulPattern(rows: [(oh, strides[0] * wp), (ow, strides[1])],
                                                      columns: [(cg, hp * wp), (kh, dil[0] * wp), (kw, dil[1])],
                                                      dstColumnStride: positions)
            emit(node, .matmul(dst: .init(tensor: dst.tensor, offset: dst.offset + g * mg * positions),
                               a: .init(tensor: src.tensor, offset: src.offset + g * cg * hp * wp),
                               b: .init(tensor: weights.tensor, offset: g * mg * kSize),
                               bias: biasRef.map { .init(tensor: $0.tensor, offset: $0.offset + g * mg) },
                               m: positions, k: kSize, n: mg, ars: 0, acs: 0, brs: 1, bcs: kSize, drs: 1, pattern: pattern))
        }
        return .stored(dst, shape: outShape)
    }

    /// A 1-D (transposed) convolution's node and inputs as a 2-D one over
    /// [1, C, 1, L] — a height-1 kernel, stride, dilation and padding 1, 1,
    /// 0 — or nil when x and w are not 1-D.
    func twoDimensional(_ node: Node, _ x: Value, _ w: ConstTensor, _ inputs: [Value?]) throws(ImportError) -> (Node, [Value?])? {
        guard x.shape.count == 3, w.shape.count == 3 else { return nil }
        let (n, planar) = try Self.asTwoDimensional(node, weights: w)
        let image = try reshaped(x, [x.shape[0], x.shape[1], 1, x.shape[2]])
        return (n, [image, .constant(planar)] + Array(inputs.dropFirst(2)))
    }

    /// A [N, M, 1, L] result as [N, M, L].
    func lineOf(_ y: Value) throws(ImportError) -> Value { try reshaped(y, [y.shape[0], y.shape[1], y.shape[3]]) }

    static func asTwoDimensional(_ node: Node, weights w: ConstTensor?) throws(ImportError) -> (Node, ConstTensor) {
        var n = node
        func widen(_ key: String, _ lead: [Int]) throws(ImportError) {
            guard let v = try node.ints(key) else { return }
            n.attributes[key] = .ints(v.count == 2 && key == "pads" ? [0, v[0], 0, v[1]] : lead + v)
        }
        try widen("strides", [1]); try widen("dilations", [1]); try widen("pads", [])
        try widen("kernel_shape", [1]); try widen("output_padding", [0])
        if let shape = try node.ints("output_shape") { n.attributes["output_shape"] = .ints([1] + shape) }
        let shape = w.map { [$0.shape[0], $0.shape[1], 1, $0.shape[2]] } ?? []
        return (n, w.map { ConstTensor(shape: shape, values: $0.values) } ?? .scalar(0))
    }

    /// ConvTranspose on [1, C, H, W] (or 1-D): x spread onto a zero grid
    /// with stride s (one strided identity map per row, into a buffer that
    /// also holds the padding (k − 1)·d − pad), then a stride-1 convolution
    /// with the kernel flipped and its channel axes swapped per group.
    mutating func convTranspose(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count >= 2, let x = inputs[0], case .constant(let w)? = inputs[1] else {
            throw node.error("needs an input and constant weights")
        }
        if let batched = try eachSample(node, x, { (l, n, v) throws(ImportError) in try l.convTranspose(n, [v] + inputs.dropFirst()) }) {
            return batched
        }
        if let (n, planar) = try twoDimensional(node, x, w, inputs) { return try lineOf(try convTranspose(n, planar)) }
        guard x.shape.count == 4, w.shape.count == 4, x.shape[0] == 1 else {
            throw node.error("only 1-D and 2-D transposed convolutions are supported (input \(x.shape), weights \(w.shape))")
        }
        let (c, h, wd) = (x.shape[1], x.shape[2], x.shape[3])
        let group = try node.int("group", default: 1)
        guard group >= 1, w.shape[0] == c, c % group == 0 else { throw node.error("weights \(w.shape) do not fit \(c) input channels in \(group) groups") }
        let (mg, kh, kw) = (w.shape[1], w.shape[2], w.shape[3]), cg = c / group
        let strides = try node.ints("strides") ?? [1, 1], dil = try node.ints("dilations") ?? [1, 1]
        let pads = try node.ints("pads") ?? [0, 0, 0, 0], outputPadding = try node.ints("output_padding") ?? [0, 0]
        guard strides.count == 2, dil.count == 2, pads.count == 4, outputPadding.count == 2,
              (strides + dil).allSatisfy({ $0 >= 1 && $0 <= 1 << 10 }), (pads + outputPadding).allSatisfy({ $0 >= 0 && $0 <= 1 << 10 }) else {
            throw node.error("strides, dilations, pads and output_padding must describe two spatial axes")
        }
        let autoPad = try node.string("auto_pad", default: "NOTSET")
        guard autoPad == "NOTSET" || autoPad == "VALID", node.attributes["output_shape"] == nil else {
            throw node.error("auto_pad SAME and output_shape are not supported (give pads)")
        }
        let kernel = [kh, kw], size = [h, wd]
        var before = [0, 0], after = [0, 0], grid = [0, 0]
        for d in 0..<2 {
            let reach: Int = (kernel[d] - 1) * dil[d]
            before[d] = reach - pads[d]
            after[d] = reach - pads[d + 2] + outputPadding[d]
            let spreadSize: Int = (size[d] - 1) * strides[d] + 1
            grid[d] = spreadSize + before[d] + after[d]
        }
        guard before.allSatisfy({ $0 >= 0 }), after.allSatisfy({ $0 >= 0 }) else {
            throw node.error("pads larger than (kernel − 1)·dilation are not supported")
        }
        let (src, _) = try stored(x, node: node.label)
        let spread = try buffer(part(node, node.op, "_spread"), shape: [1, c, grid[0], grid[1]])
        for ch in 0..<c {
            for iy in 0..<h {
                let plane: Int = ch * grid[0] * grid[1]
                let line: Int = (before[0] + iy * strides[0]) * grid[1]
                let row = spread.offset + plane + line + before[1]
                emit(node, .map(dst: .init(tensor: spread.tensor, offset: row), src: .init(tensor: src.tensor, offset: src.offset + (ch * h + iy) * wd),
                                function: .clamp(lo: -.infinity, hi: .infinity), count: wd, ds: strides[1], ss: 1))
            }
        }
        // W'[g·mg + m, ci, ky, kx] = W[g·cg + ci, m, kh − 1 − ky, kw − 1 − kx].
        var flipped = [Double](repeating: 0, count: group * mg * cg * kh * kw)
        for g in 0..<group {
            for m in 0..<mg {
                for ci in 0..<cg {
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            flipped[(((g * mg + m) * cg + ci) * kh + ky) * kw + kx] =
                                w.values[(((g * cg + ci) * mg + m) * kh + (kh - 1 - ky)) * kw + (kw - 1 - kx)]
                        }
                    }
                }
            }
        }
        var n = node
        n.attributes = ["group": .int(group), "dilations": .ints(dil), "strides": .ints([1, 1])]
        return try conv(n, [.stored(spread, shape: [1, c, grid[0], grid[1]]),
                            .constant(ConstTensor(shape: [group * mg, cg, kh, kw], values: flipped))] + Array(inputs.dropFirst(2)))
    }

    /// Inference-mode batch normalization: y = x·a_c + b_c per channel (axis 1).
    mutating func batchNorm(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count >= 5, let x = inputs[0] else { throw node.error("needs X, scale, B, mean and var") }
        guard let (a, b) = try BatchNormFolding.affine(node, inputs.dropFirst().map { v -> ConstTensor? in
            if case .constant(let c)? = v { return c } else { return nil } }) else {
            throw node.error("scale, B, mean and var must be constants")
        }
        guard x.shape.count >= 2, x.shape[1] == a.count else { throw node.error("input \(x.shape) has no channel axis of \(a.count)") }
        var shape = [Int](repeating: 1, count: x.shape.count)
        shape[1] = a.count
        let scaled = try binary(Node(name: node.name, op: "Mul", inputs: [], outputs: [node.label + "_scaled"], attributes: [:]),
                                x, .constant(ConstTensor(shape: shape, values: a)))
        return try binary(Node(name: node.name, op: "Add", inputs: [], outputs: node.outputs, attributes: [:]),
                          scaled, .constant(ConstTensor(shape: shape, values: b)))
    }
}

/// Folds BatchNormalization into the Conv or Gemm that feeds it when that
/// node's output has no other consumer (Spec/onnx-import.md §3.3).
enum BatchNormFolding {
    /// Per-channel (a, b) with y = a·x + b, from scale, B, mean, var (constants).
    static func affine(_ node: Node, _ c: [ConstTensor?]) throws(ImportError) -> ([Double], [Double])? {
        guard c.count >= 4, let scale = c[0], let bias = c[1], let mean = c[2], let variance = c[3] else { return nil }
        let n = scale.count
        guard bias.count == n, mean.count == n, variance.count == n else { throw node.error("scale, B, mean and var differ in length") }
        let eps = try node.float("epsilon", default: 1e-5)
        let a = (0..<n).map { scale.values[$0] / (variance.values[$0] + eps).squareRoot() }
        let b = (0..<n).map { bias.values[$0] - mean.values[$0] * a[$0] }
        guard (a + b).allSatisfy(\.isFinite) else { throw node.error("the folded scale is not finite (negative variance?)") }
        return (a, b)
    }

    static func fold(_ nodes: [Node], outputs: [String], initializers values: inout [String: Lowering.Value]) -> [Node] {
        var consumers = [String: Int]()
        for n in nodes { for i in n.inputs { consumers[i, default: 0] += 1 } }
        for o in outputs { consumers[o, default: 0] += 1 }   // a graph output is a consumer too
        var out = nodes
        var removed = Set<Int>()
        for (j, bn) in nodes.enumerated() where bn.op == "BatchNormalization" && bn.outputs.count == 1 {
            guard let producer = out.firstIndex(where: { $0.outputs.first == bn.inputs.first && $0.op == "Conv" }),
                  consumers[bn.inputs[0]] == 1, out[producer].inputs.count >= 2,
                  case .constant(let w)? = values[out[producer].inputs[1]], w.shape.count == 4, w.count > 0 else { continue }
            let params = bn.inputs.dropFirst().map { name -> ConstTensor? in
                if case .constant(let c)? = values[name] { return c } else { return nil } }
            guard let (a, b) = try? affine(bn, params), a.count == w.shape[0], !a.isEmpty else { continue }
            var conv = out[producer]
            let per = w.count / a.count
            let newW = ConstTensor(shape: w.shape, values: w.values.enumerated().map { $0.element * a[$0.offset / per] })
            var oldBias = [Double](repeating: 0, count: a.count)
            if conv.inputs.count > 2, !conv.inputs[2].isEmpty, case .constant(let cb)? = values[conv.inputs[2]] { oldBias = cb.values }
            let newB = ConstTensor(shape: [a.count], values: (0..<a.count).map { oldBias[$0] * a[$0] + b[$0] })
            let wName = conv.label + "::folded_W", bName = conv.label + "::folded_B"
            values[wName] = .constant(newW)
            values[bName] = .constant(newB)
            conv.inputs = [conv.inputs[0], wName, bName]
            conv.outputs = bn.outputs
            out[producer] = conv
            removed.insert(j)
        }
        return out.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }
}
