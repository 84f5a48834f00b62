/// Pooling and reductions (Spec/onnx-import.md §3.4): window views by
/// strided copies combined with `zip`, sums as a matmul with a ones vector
/// (one instruction for all rows), maxima and argmax by `reduce`, Softmax
/// and LayerNormalization composed from these and table lookups.
extension Lowering {
    /// MaxPool / AveragePool on [1, C, H, W]: explicit, SAME or ceil-mode
    /// padding first (`poolPadding`), then the window's taps combined by
    /// max (or summed and scaled) row by row. A max over a padded window is
    /// the max over its valid taps: the input is shifted by its minimum so
    /// every value is ≥ 0, the zero padding, then shifted back — exact in
    /// fixed point. An average divides by the taps it counts per output
    /// position (`count_include_pad`, and never the part of a ceil-mode
    /// window past the padded input).
    mutating func pool(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        if let batched = try eachSample(node, x, { (l, n, v) throws(ImportError) in try l.pool(n, v) }) { return batched }
        let (kernel, strides, dil) = try poolWindow(node, x)
        let (before, after, extra) = try poolPadding(node, size: [x.shape[2], x.shape[3]], kernel: kernel, strides: strides, dilations: dil)
        let isMax = node.op == "MaxPool"
        if before.allSatisfy({ $0 == 0 }) && zip(after, extra).allSatisfy({ $0 + $1 == 0 }) {
            let sum = try poolValid(node, x, kernel: kernel, strides: strides, dilations: dil, suffix: isMax ? nil : "_sum")
            if isMax { return sum }
            return try binary(part(node, "Mul", nil), sum, .constant(.scalar(1 / Double(kernel[0] * kernel[1]))))
        }
        let padBefore = [0, 0] + before, padAfter = [0, 0] + zip(after, extra).map { $0 + $1 }
        guard isMax else {
            let sum = try poolValid(node, try padded(node, x, before: padBefore, after: padAfter), kernel: kernel, strides: strides,
                                    dilations: dil, suffix: "_sum")
            let (oh, ow) = (sum.shape[2], sum.shape[3])
            let includePad = try node.int("count_include_pad", default: 0) == 1
            // Taps counted per output position, axis by axis: inside the input, or inside the padded input.
            func counts(_ axis: Int, _ outputs: Int) -> [Double] {
                let size = x.shape[2 + axis]
                let (lo, hi) = includePad ? (-before[axis], size + after[axis]) : (0, size)
                return (0..<outputs).map { o in
                    Double((0..<kernel[axis]).filter { k in
                        let i = o * strides[axis] + k * dil[axis] - before[axis]
                        return i >= lo && i < hi
                    }.count)
                }
            }
            let rows = counts(0, oh), cols = counts(1, ow)
            let channels = x.shape[1]
            var factors = [Double]()
            factors.reserveCapacity(channels * oh * ow)
            for _ in 0..<channels { for r in rows { for c in cols { factors.append(r * c > 0 ? 1 / (r * c) : 0) } } }
            return try binary(part(node, "Mul", nil), sum, .constant(ConstTensor(shape: sum.shape, values: factors)))
        }
        let (flat, _) = try stored(x, node: node.label)
        let lowest = Value.stored(try negatedRowMinima(node, flat, rows: 1, cols: x.shape.reduce(1, *)), shape: [1])   // −min(x)
        let shifted = try binary(part(node, "Add", "_shift"), x, lowest)   // x − min(x) ≥ 0
        let pooled = try poolValid(node, try padded(node, shifted, before: padBefore, after: padAfter), kernel: kernel,
                                   strides: strides, dilations: dil, suffix: "_shifted")
        return try binary(part(node, "Sub", nil), pooled, lowest)
    }

    /// A pooling node's kernel, strides and dilations over a [1, C, H, W] input.
    func poolWindow(_ node: Node, _ x: Value) throws(ImportError) -> (kernel: [Int], strides: [Int], dilations: [Int]) {
        guard x.shape.count == 4, x.shape[0] == 1 else { throw node.error("only 2-D pooling is supported (input \(x.shape))") }
        guard let kernel = try node.ints("kernel_shape"), kernel.count == 2, kernel.allSatisfy({ $0 >= 1 }) else {
            throw node.error("kernel_shape must have two positive entries")
        }
        let strides = try node.ints("strides") ?? [1, 1], dil = try node.ints("dilations") ?? [1, 1]
        guard strides.count == 2, dil.count == 2, strides.allSatisfy({ $0 >= 1 }), dil.allSatisfy({ $0 >= 1 }),
              (strides + dil + kernel).allSatisfy({ $0 <= 1 << 20 }) else {
            throw node.error("strides and dilations must describe two spatial axes")
        }
        return (kernel, strides, dil)
    }

    /// Padding of a pooling node per spatial axis: explicit `pads`, or
    /// SAME_UPPER/SAME_LOWER, and the extra end padding a ceil-mode window
    /// reads (ONNX: the last window starts inside the input or its leading pad).
    func poolPadding(_ node: Node, size: [Int], kernel: [Int], strides: [Int],
                     dilations: [Int]) throws(ImportError) -> (before: [Int], after: [Int], extra: [Int]) {
        var pads = try node.ints("pads") ?? [0, 0, 0, 0]
        let autoPad = try node.string("auto_pad", default: "NOTSET")
        guard pads.count == 4, pads.allSatisfy({ $0 >= 0 && $0 <= 1 << 20 }) else { throw node.error("pads must be four values in 0…2^20") }
        let effective = (0..<2).map { (kernel[$0] - 1) * dilations[$0] + 1 }
        switch autoPad {
        case "NOTSET", "VALID": if autoPad == "VALID" { pads = [0, 0, 0, 0] }
        case "SAME_UPPER", "SAME_LOWER":
            for d in 0..<2 {
                let out = (size[d] + strides[d] - 1) / strides[d]
                let total = max(0, (out - 1) * strides[d] + effective[d] - size[d])
                let small = total / 2, large = total - small
                pads[d] = autoPad == "SAME_UPPER" ? small : large
                pads[d + 2] = autoPad == "SAME_UPPER" ? large : small
            }
        default: throw node.error("auto_pad '\(autoPad)' is not supported")
        }
        for d in 0..<2 where pads[d] >= effective[d] || pads[d + 2] >= effective[d] {
            throw node.error("padding \(pads) is not smaller than the window \(effective) (a window of padding alone)")
        }
        var extra = [0, 0]
        if try node.int("ceil_mode", default: 0) == 1 {
            for d in 0..<2 {
                let span = size[d] + pads[d] + pads[d + 2] - effective[d]
                // ⌈span / stride⌉ + 1, also for a window longer than the padded input.
                var out = (span >= 0 ? (span + strides[d] - 1) / strides[d] : -((-span) / strides[d])) + 1
                guard out >= 1 else { throw node.error("the window is longer than the padded input on axis \(d)") }
                if (out - 1) * strides[d] >= size[d] + pads[d] { out -= 1 }
                extra[d] = max(0, (out - 1) * strides[d] + effective[d] - (size[d] + pads[d] + pads[d + 2]))
            }
        }
        return ([pads[0], pads[1]], [pads[2], pads[3]], extra)
    }

    /// Max or sum over every window of an unpadded [1, C, H, W] input.
    mutating func poolValid(_ node: Node, _ x: Value, kernel: [Int], strides: [Int], dilations dil: [Int],
                            suffix: String?) throws(ImportError) -> Value {
        guard node.outputs.count == 1 || node.outputs.dropFirst().allSatisfy(\.isEmpty) else {
            throw node.error("the Indices output is not supported")
        }
        let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
        let effective = (0..<2).map { (kernel[$0] - 1) * dil[$0] + 1 }
        guard effective[0] <= h, effective[1] <= w else { throw node.error("the window \(effective) is larger than the input [\(h), \(w)]") }
        guard kernel[0] * kernel[1] <= 4096 else { throw node.error("a window of \(kernel[0] * kernel[1]) taps is more than 4096") }
        let oh = (h - effective[0]) / strides[0] + 1, ow = (w - effective[1]) / strides[1] + 1
        let (src, _) = try stored(x, node: node.label)
        let outShape = [1, c, oh, ow]
        let isMax = node.op == "MaxPool"
        let dst = try buffer(part(node, node.op, suffix), shape: outShape)
        let taps = (0..<kernel[0]).flatMap { ky in (0..<kernel[1]).map { kx in ky * dil[0] * w + kx * dil[1] } }
        // Per output row (channel, oy): combine the window's taps read with
        // stride sw straight from the input, k² − 1 zips of OW elements (a
        // 1×1 window is one copy).
        for ch in 0..<c {
            for oy in 0..<oh {
                let rowBase = src.offset + ch * h * w + oy * strides[0] * w
                let out = KernelProgram.Ref(tensor: dst.tensor, offset: dst.offset + (ch * oh + oy) * ow)
                func tap(_ k: Int) -> KernelProgram.Ref { .init(tensor: src.tensor, offset: rowBase + taps[k]) }
                if taps.count == 1 {
                    emit(node, .copy(dst: out, src: tap(0), shape: [ow], strides: [strides[1]]))
                    continue
                }
                emit(node, .zip(dst: out, a: tap(0), b: tap(1), operation: isMax ? .max : .add, count: ow,
                                ds: 1, as: strides[1], bs: strides[1]))
                for k in 2..<taps.count {
                    emit(node, .zip(dst: out, a: out, b: tap(k), operation: isMax ? .max : .add, count: ow,
                                    ds: 1, as: 1, bs: strides[1]))
                }
            }
        }
        return .stored(dst, shape: outShape)
    }

    /// Row sums of a [rows, cols] view times `factor`: one matmul with a constant column.
    mutating func rowSums(_ node: Node, _ src: KernelProgram.Ref, rows: Int, cols: Int, factor: Double,
                          suffix: String) throws(ImportError) -> KernelProgram.Ref {
        let ones = try stored(.constant(ConstTensor(shape: [cols, 1], values: [Double](repeating: factor, count: cols))), node: node.label).0
        let dst = try buffer(node, shape: [rows], suffix: suffix)
        emit(node, .matmul(dst: dst, a: src, b: ones, bias: nil, m: rows, k: cols, n: 1, ars: cols, acs: 1, brs: 1, bcs: 1, drs: 1))
        return dst
    }

    mutating func globalAveragePool(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        guard x.shape.count >= 3 else { throw node.error("input \(x.shape) has no spatial axes") }
        let (src, _) = try stored(x, node: node.label)
        let rows = x.shape.prefix(2).reduce(1, *), cols = x.shape.dropFirst(2).reduce(1, *)
        let dst = try rowSums(node, src, rows: rows, cols: cols, factor: 1 / Double(max(cols, 1)), suffix: "")
        return .stored(dst, shape: Array(x.shape.prefix(2)) + [Int](repeating: 1, count: x.shape.count - 2))
    }

    /// `x` with the given axes moved last, as [rows, cols] (a copy only if needed).
    mutating func rowsOver(_ node: Node, _ x: Value, axes: [Int]) throws(ImportError) -> (KernelProgram.Ref, rows: Int, cols: Int, kept: [Int]) {
        let shape = x.shape
        let keep = shape.indices.filter { !axes.contains($0) }
        let order = keep + axes.sorted()
        let rows = keep.map { shape[$0] }.reduce(1, *), cols = axes.map { shape[$0] }.reduce(1, *)
        if order == Array(shape.indices) {
            return (try stored(x, node: node.label).0, rows, cols, keep)
        }
        let moved = try transpose(Node(name: node.name, op: node.op, inputs: [], outputs: [node.label + "_t"],
                                       attributes: ["perm": .ints(order)]), x)
        return (try stored(moved, node: node.label).0, rows, cols, keep)
    }

    /// The inverse of `rowsOver` for one axis: a [kept…, axis] value moved
    /// back so `axis` is in its place again, written as `node`'s output.
    mutating func axisBack(_ node: Node, _ v: Value, kept: [Int], axis: Int) throws(ImportError) -> Value {
        var perm = [Int](repeating: 0, count: kept.count + 1)
        for (i, d) in (kept + [axis]).enumerated() { perm[d] = i }
        var n = node
        n.attributes = ["perm": .ints(perm)]
        return try transpose(n, v)
    }

    func reduceAxes(_ node: Node, _ inputs: [Value?], rank: Int) throws(ImportError) -> [Int] {
        var axes = try node.ints("axes")
        if axes == nil, inputs.count > 1, let v = inputs[1] {
            guard case .constant(let c) = v else { throw node.error("axes must be a constant") }
            axes = try c.integers(node, "axes")
        }
        if axes == nil || axes!.isEmpty {
            if try node.int("noop_with_empty_axes", default: 0) == 1 { return [] }
            return Array(0..<rank)
        }
        return try axes!.map { (a: Int) throws(ImportError) -> Int in try Self.axis(a, rank: rank, node: node) }
    }

    mutating func reduce(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard let x = inputs.first ?? nil else { throw node.error("missing input") }
        let axes = try reduceAxes(node, inputs, rank: x.shape.count)
        if axes.isEmpty {
            // noop_with_empty_axes: ONNX still applies the element-wise part (x², |x|, e^x …).
            guard ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin"].contains(node.op) else {
                throw node.error("noop_with_empty_axes with no axes is not supported for \(node.op)")
            }
            return x
        }
        let keepDims = try node.int("keepdims", default: 1) == 1
        let (src, rows, cols, kept) = try rowsOver(node, x, axes: axes)
        let outShape = keepDims ? x.shape.indices.map { axes.contains($0) ? 1 : x.shape[$0] } : kept.map { x.shape[$0] }
        let view = Value.stored(src, shape: [rows, cols])
        switch node.op {
        case "ReduceMax":
            return .stored(try rowMaxima(node, src, rows: rows, cols: cols, suffix: ""), shape: outShape)
        case "ReduceMin":
            // min = −max(−x).
            let maxima = try negatedRowMinima(node, src, rows: rows, cols: cols)
            let minima = try binary(part(node, "Mul", nil), .stored(maxima, shape: [rows]), .constant(.scalar(-1)))
            return try reshaped(minima, outShape)
        case "ReduceSumSquare", "ReduceL2":
            let squares = try binary(part(node, "Mul", "_sq"), view, view)
            let sums = try rowSums(node, try stored(squares, node: node.label).0, rows: rows, cols: cols, factor: 1,
                                   suffix: node.op == "ReduceL2" ? "_sum" : "")
            if node.op == "ReduceSumSquare" { return .stored(sums, shape: outShape) }
            return try reshaped(try activation(part(node, "Sqrt", nil), .stored(sums, shape: [rows]), function: .sqrt), outShape)
        case "ReduceL1":
            let magnitudes = try absoluteOrSign(part(node, "Abs", "_abs"), view)
            return .stored(try rowSums(node, try stored(magnitudes, node: node.label).0, rows: rows, cols: cols, factor: 1, suffix: ""),
                           shape: outShape)
        case "ReduceLogSumExp":
            // m + ln Σ e^(x − m), m the row maximum (as LogSoftmax).
            let maxima = try rowMaxima(node, src, rows: rows, cols: cols, suffix: "_max")
            let shifted = try buffer(node, shape: [rows, cols], suffix: "_shift")
            for r in 0..<rows {
                emit(node, .zip(dst: .init(tensor: shifted.tensor, offset: r * cols), a: .init(tensor: src.tensor, offset: src.offset + r * cols),
                                b: .init(tensor: maxima.tensor, offset: r), operation: .sub, count: cols, ds: 1, as: 1, bs: 0))
            }
            let exps = try buffer(node, shape: [rows, cols], suffix: "_exp")
            emit(node, .map(dst: exps, src: shifted, function: .activation(.exp), count: rows * cols, ds: 1, ss: 1))
            let sums = try rowSums(node, exps, rows: rows, cols: cols, factor: 1, suffix: "_sum")
            program.tensors[sums.tensor].knownRange = 1...Double(cols)
            let logs = try activation(part(node, "Log", "_log"), .stored(sums, shape: [rows]), function: .log)
            return try reshaped(try binary(part(node, "Add", nil), .stored(maxima, shape: [rows]), logs), outShape)
        default:
            let factor = node.op == "ReduceMean" ? 1 / Double(max(cols, 1)) : 1
            return .stored(try rowSums(node, src, rows: rows, cols: cols, factor: factor, suffix: ""), shape: outShape)
        }
    }

    /// The maximum of each row of a [rows, cols] view: one `reduce` per row.
    mutating func rowMaxima(_ node: Node, _ src: KernelProgram.Ref, rows: Int, cols: Int,
                            suffix: String) throws(ImportError) -> KernelProgram.Ref {
        let dst = try buffer(node, shape: [rows], suffix: suffix)
        for r in 0..<rows {
            emit(node, .reduce(dst: .init(tensor: dst.tensor, offset: r), src: .init(tensor: src.tensor, offset: src.offset + r * cols),
                               operation: .max, rows: 1, cols: cols, rs: cols, cs: 1))
        }
        return dst
    }

    /// −min of each row of a [rows, cols] view: the row maxima of −x.
    mutating func negatedRowMinima(_ node: Node, _ src: KernelProgram.Ref, rows: Int, cols: Int) throws(ImportError) -> KernelProgram.Ref {
        let negated = try binary(part(node, "Mul", "_neg"), .stored(src, shape: [rows, cols]), .constant(.scalar(-1)))
        return try rowMaxima(part(node, "ReduceMax", "_negmin"), try stored(negated, node: node.label).0, rows: rows, cols: cols, suffix: "")
    }

    /// max − min (≥ 0) of each row of a [rows, cols] view, as [rows].
    mutating func rowSpreads(_ node: Node, _ src: KernelProgram.Ref, rows: Int, cols: Int) throws(ImportError) -> Value {
        let maxima = try rowMaxima(part(node, "ReduceMax", "_max"), src, rows: rows, cols: cols, suffix: "")
        let negativeMinima = try negatedRowMinima(node, src, rows: rows, cols: cols)
        return try binary(part(node, "Add", "_spread"), .stored(maxima, shape: [rows]), .stored(negativeMinima, shape: [rows]))
    }

    /// x − (1 − keep)·(max − min) per row: the elements `keep` drops end at
    /// or below their row's minimum, the kept ones are unchanged.
    mutating func belowRowMinima(_ node: Node, _ src: KernelProgram.Ref, rows: Int, cols: Int,
                                 keep: ConstTensor) throws(ImportError) -> KernelProgram.Ref {
        let (spread, _) = try stored(try rowSpreads(node, src, rows: rows, cols: cols), node: node.label)
        let drop = try stored(.constant(ConstTensor(shape: [rows, cols], values: keep.values.map { $0 - 1 })), node: node.label).0
        let lowering = try buffer(part(node, "Mul", "_lower"), shape: [rows, cols])
        for r in 0..<rows {
            emit(node, .zip(dst: .init(tensor: lowering.tensor, offset: lowering.offset + r * cols),
                            a: .init(tensor: drop.tensor, offset: drop.offset + r * cols), b: .init(tensor: spread.tensor, offset: spread.offset + r),
                            operation: .mul, count: cols, ds: 1, as: 1, bs: 0))
        }
        let lowered = try binary(part(node, "Add", "_masked"), .stored(src, shape: [rows, cols]), .stored(lowering, shape: [rows, cols]))
        return try stored(lowered, node: node.label).0
    }

    /// A stored value viewed with another shape of the same size.
    func reshaped(_ v: Value, _ shape: [Int]) throws(ImportError) -> Value {
        guard case .stored(let r, let old) = v, old.reduce(1, *) == shape.reduce(1, *) else { return v }
        return .stored(r, shape: shape)
    }

    mutating func argmax(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let a = try Self.axis(try node.int("axis", default: 0), rank: x.shape.count, node: node)
        guard try node.int("select_last_index", default: 0) == 0 else { throw node.error("select_last_index = 1 is not supported") }
        let keepDims = try node.int("keepdims", default: 1) == 1
        let (src, rows, cols, kept) = try rowsOver(node, x, axes: [a])
        let dst = try buffer(node, shape: [rows])
        for r in 0..<rows {
            emit(node, .reduce(dst: .init(tensor: dst.tensor, offset: r), src: .init(tensor: src.tensor, offset: src.offset + r * cols),
                               operation: .argmax, rows: 1, cols: cols, rs: cols, cs: 1))
        }
        let outShape = keepDims ? x.shape.indices.map { $0 == a ? 1 : x.shape[$0] } : kept.map { x.shape[$0] }
        return .stored(dst, shape: outShape)
    }

    /// Softmax over one axis: per row subtract the maximum, exp by table,
    /// sum by matmul, reciprocal by table, scale. LogSoftmax: the shifted
    /// row minus the log (by table) of the same sum.
    ///
    /// With a −∞ mask (`softmaxMasks`: Where(c, −∞, x) before a Softmax
    /// over the last axis) the masked elements are first lowered to at most
    /// the row's minimum (`belowRowMinima`), so the row maximum is a kept
    /// element's, and their exponentials are multiplied by 0 — exactly
    /// ONNX's e^−∞ = 0 — before the row sum.
    mutating func softmax(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let rank = x.shape.count
        let defaultAxis = graph.opsetVersion >= 13 ? -1 : 1
        let a = try Self.axis(try node.int("axis", default: defaultAxis), rank: rank, node: node)
        // Before opset 13 the input is flattened at `axis`: the row is every axis from `axis` on.
        let axes = graph.opsetVersion >= 13 ? [a] : Array(a..<rank)
        let keep = node.inputs.first.flatMap { softmaxMasks[$0] }
        if let keep {
            guard node.op == "Softmax", axes == [rank - 1] else { throw node.error("a −∞ mask is supported before a Softmax over the last axis") }
            guard keep.shape == x.shape else { throw node.error("the mask's shape \(keep.shape) differs from the scores' \(x.shape)") }
        }
        var (src, rows, cols, _) = try rowsOver(node, x, axes: axes)
        if let keep { src = try belowRowMinima(node, src, rows: rows, cols: cols, keep: keep) }
        let maxima = try buffer(node, shape: [rows], suffix: "_max")
        let shifted = try buffer(node, shape: [rows, cols], suffix: "_shift")
        for r in 0..<rows {
            let row = KernelProgram.Ref(tensor: src.tensor, offset: src.offset + r * cols)
            emit(node, .reduce(dst: .init(tensor: maxima.tensor, offset: r), src: row, operation: .max, rows: 1, cols: cols, rs: cols, cs: 1))
            emit(node, .zip(dst: .init(tensor: shifted.tensor, offset: r * cols), a: row, b: .init(tensor: maxima.tensor, offset: r),
                            operation: .sub, count: cols, ds: 1, as: 1, bs: 0))
        }
        var exps = try buffer(node, shape: [rows, cols], suffix: "_exp")
        emit(node, .map(dst: exps, src: shifted, function: .activation(.exp), count: rows * cols, ds: 1, ss: 1))
        if let keep {
            let kept = try binary(part(node, "Mul", "_kept"), .stored(exps, shape: [rows, cols]),
                                  .constant(ConstTensor(shape: [rows, cols], values: keep.values)))
            exps = try stored(kept, node: node.label).0
        }
        let sums = try rowSums(node, exps, rows: rows, cols: cols, factor: 1, suffix: "_sum")
        // exp(0) = 1 for each row's (kept) maximum and every term is at most 1, in fixed point too.
        program.tensors[sums.tensor].knownRange = 1...Double(cols)
        let isLog = node.op == "LogSoftmax"
        let inverse = try buffer(node, shape: [rows], suffix: isLog ? "_log" : "_inv")
        emit(node, .map(dst: inverse, src: sums, function: .activation(isLog ? .log : .reciprocal), count: rows, ds: 1, ss: 1))
        let rowShape = axes.count == 1 && axes[0] == rank - 1 || graph.opsetVersion < 13 ? x.shape : nil
        let out = try buffer(node, shape: [rows, cols], suffix: rowShape == nil ? "_rows" : "")
        for r in 0..<rows {
            emit(node, .zip(dst: .init(tensor: out.tensor, offset: r * cols),
                            a: .init(tensor: (isLog ? shifted : exps).tensor, offset: r * cols),
                            b: .init(tensor: inverse.tensor, offset: r), operation: isLog ? .sub : .mul, count: cols, ds: 1, as: 1, bs: 0))
        }
        if rowShape != nil { return .stored(out, shape: x.shape) }
        // Move the softmax axis back into place.
        let others = (0..<rank).filter { $0 != a }
        return try axisBack(node, .stored(out, shape: others.map { x.shape[$0] } + [x.shape[a]]), kept: others, axis: a)
    }

    /// LayerNormalization over the axes from `axis` on: mean and variance by
    /// matmul with 1/D, rsqrt by table, then γ and β (broadcast constants).
    mutating func layerNorm(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count >= 2, let x = inputs[0], case .constant(let gamma)? = inputs[1] else {
            throw node.error("needs X and a constant scale")
        }
        let rank = x.shape.count
        let a = try Self.axis(try node.int("axis", default: -1), rank: rank, node: node)
        let eps = try node.float("epsilon", default: 1e-5)
        let (src, rows, cols, _) = try rowsOver(node, x, axes: Array(a..<rank))
        let mean = try rowSums(node, src, rows: rows, cols: cols, factor: 1 / Double(cols), suffix: "_mean")
        let centered = try buffer(node, shape: [rows, cols], suffix: "_centered")
        for r in 0..<rows {
            emit(node, .zip(dst: .init(tensor: centered.tensor, offset: r * cols), a: .init(tensor: src.tensor, offset: src.offset + r * cols),
                            b: .init(tensor: mean.tensor, offset: r), operation: .sub, count: cols, ds: 1, as: 1, bs: 0))
        }
        let squares = try buffer(node, shape: [rows, cols], suffix: "_sq")
        emit(node, .zip(dst: squares, a: centered, b: centered, operation: .mul, count: rows * cols, ds: 1, as: 1, bs: 1))
        let variance = try rowSums(node, squares, rows: rows, cols: cols, factor: 1 / Double(cols), suffix: "_var")
        let epsRef = try stored(.constant(.scalar(eps)), node: node.label).0
        let shiftedVar = try buffer(node, shape: [rows], suffix: "_vareps")
        emit(node, .zip(dst: shiftedVar, a: variance, b: epsRef, operation: .add, count: rows, ds: 1, as: 1, bs: 0))
        let rstd = try buffer(node, shape: [rows], suffix: "_rstd")
        emit(node, .map(dst: rstd, src: shiftedVar, function: .activation(.rsqrt), count: rows, ds: 1, ss: 1))
        let normalized = try buffer(node, shape: [rows, cols], suffix: "_norm")
        for r in 0..<rows {
            emit(node, .zip(dst: .init(tensor: normalized.tensor, offset: r * cols), a: .init(tensor: centered.tensor, offset: r * cols),
                            b: .init(tensor: rstd.tensor, offset: r), operation: .mul, count: cols, ds: 1, as: 1, bs: 0))
        }
        let shape = x.shape
        var y = try binary(Node(name: node.name, op: "Mul", inputs: [], outputs: [node.label + "_gamma"], attributes: [:]),
                           .stored(normalized, shape: shape), .constant(gamma))
        if inputs.count > 2, let beta = inputs[2] {
            y = try binary(Node(name: node.name, op: "Add", inputs: [], outputs: node.outputs, attributes: [:]), y, beta)
        }
        guard node.outputs.dropFirst().allSatisfy(\.isEmpty) else { throw node.error("only the Y output is supported") }
        return y
    }

    /// InstanceNormalization: LayerNormalization of each (batch, channel)
    /// over the spatial axes, with per-channel scale and bias.
    mutating func instanceNorm(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count == 3, let x = inputs[0], case .constant(let scale)? = inputs[1], case .constant(let bias)? = inputs[2] else {
            throw node.error("needs an input and a constant scale and bias")
        }
        guard x.shape.count >= 3, scale.count == x.shape[1], bias.count == x.shape[1] else {
            throw node.error("input \(x.shape) needs spatial axes, and scale and bias one value per channel")
        }
        let perChannel = [x.shape[1]] + [Int](repeating: 1, count: x.shape.count - 2)
        var n = node
        n.attributes = ["axis": .int(2), "epsilon": .float(try node.float("epsilon", default: 1e-5))]
        return try layerNorm(n, [x, .constant(ConstTensor(shape: perChannel, values: scale.values)),
                                 .constant(ConstTensor(shape: perChannel, values: bias.values))])
    }

    /// LpNormalization (p = 1 or 2) along an axis: x · 1/‖x‖ₚ with the
    /// norm's row sums, a zero norm leaving its row at 0 (norm + [norm = 0]).
    mutating func lpNormalization(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let p = try node.int("p", default: 2)
        guard p == 1 || p == 2 else { throw node.error("p = \(p) is not supported (1, 2)") }
        if let batched = try eachSample(node, x, { (l, n, v) throws(ImportError) in try l.lpPool(n, v) }) { return batched }
        let rank = x.shape.count
        let a = try Self.axis(try node.int("axis", default: -1), rank: rank, node: node)
        let (src, rows, cols, kept) = try rowsOver(node, x, axes: [a])
        let row = Value.stored(src, shape: [rows, cols])
        let terms = p == 1 ? try absoluteOrSign(part(node, "Abs", "_abs"), row) : try binary(part(node, "Mul", "_sq"), row, row)
        let sums = try rowSums(node, try stored(terms, node: node.label).0, rows: rows, cols: cols, factor: 1, suffix: "_norm")
        let norms = Value.stored(sums, shape: [rows, 1])
        let safe = try binary(part(node, "Add", "_safe"), norms, try comparison(part(node, "Equal", "_zero"), norms, .constant(.scalar(0))))
        let inverse = try activation(part(node, p == 1 ? "Reciprocal" : "Rsqrt", "_inv"), safe, function: p == 1 ? .reciprocal : .rsqrt)
        var movedShape = kept.map { x.shape[$0] }
        movedShape.append(x.shape[a])
        let scaled = try binary(part(node, "Mul", a == rank - 1 ? nil : "_rows"), row, inverse)
        if a == rank - 1 { return try reshaped(scaled, x.shape) }
        return try axisBack(node, try reshaped(scaled, movedShape), kept: kept, axis: a)
    }

    /// LpPool (p = 1 or 2) on [1, C, H, W]: the windows' sums of |x| or x²
    /// (padding and ceil mode as for the other pools, padding adding 0),
    /// then √ for p = 2.
    mutating func lpPool(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let p = try node.int("p", default: 2)
        guard p == 1 || p == 2 else { throw node.error("p = \(p) is not supported (1, 2)") }
        if let batched = try eachSample(node, x, { (l, n, v) throws(ImportError) in try l.lpPool(n, v) }) { return batched }
        let (kernel, strides, dil) = try poolWindow(node, x)
        let terms = p == 1 ? try absoluteOrSign(part(node, "Abs", "_abs"), x) : try binary(part(node, "Mul", "_sq"), x, x)
        let (before, after, extra) = try poolPadding(node, size: [x.shape[2], x.shape[3]], kernel: kernel, strides: strides, dilations: dil)
        let input = try padded(node, terms, before: [0, 0] + before, after: [0, 0] + zip(after, extra).map { $0 + $1 })
        let total = try poolValid(node, input, kernel: kernel, strides: strides, dilations: dil, suffix: p == 1 ? nil : "_sum")
        if p == 1 { return total }
        if case .stored(let r, _) = total { program.tensors[r.tensor].knownRange = 0...Double.greatestFiniteMagnitude }
        return try activation(part(node, "Sqrt", nil), total, function: .sqrt)
    }
}
