/// Shape and data-movement operators (Spec/onnx-import.md §3.1): reshapes
/// alias, everything else is one or a few strided `copy` operations.
extension Lowering {
    /// Normalizes a possibly negative axis for a tensor of `rank`.
    static func axis(_ a: Int, rank: Int, node: Node) throws(ImportError) -> Int {
        let r = a < 0 ? a + rank : a
        guard r >= 0, r < rank else { throw node.error("axis \(a) is out of range for rank \(rank)") }
        return r
    }

    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for d in shape.indices.reversed() { s[d] = acc; acc *= shape[d] }
        return s
    }

    /// Drops size-1 dimensions and merges dimensions that are contiguous in
    /// the source, so a gather fits `copy`'s four dimensions where possible.
    static func collapse(_ shape: [Int], _ strides: [Int]) -> (shape: [Int], strides: [Int]) {
        var outShape = [Int](), outStrides = [Int]()
        for (d, s) in zip(shape, strides) where d != 1 {
            if let last = outShape.last, outStrides.last! == s * d {
                outShape[outShape.count - 1] = last * d
                outStrides[outStrides.count - 1] = s
            } else {
                outShape.append(d); outStrides.append(s)
            }
        }
        return outShape.isEmpty ? ([1], [1]) : (outShape, outStrides)
    }

    /// Gathers `shape` elements from `src` with `strides` into a new contiguous buffer.
    mutating func gatherCopy(_ node: Node, src: KernelProgram.Ref, shape: [Int], strides: [Int],
                             into dst: KernelProgram.Ref) throws(ImportError) {
        let (s, st) = Self.collapse(shape, strides)
        if s.count <= 4 {
            emit(node, .copy(dst: dst, src: src, shape: s, strides: st))
            return
        }
        // Split the leading dimensions into separate copies of the last four.
        let inner = Array(s.suffix(4)), innerStrides = Array(st.suffix(4))
        let outer = Array(s.dropLast(4)), outerStrides = Array(st.dropLast(4))
        let block = inner.reduce(1, *)
        var k = 0
        var failed: ImportError?
        forEachIndex(outer) { idx in
            var off = 0
            for d in idx.indices { off += idx[d] * outerStrides[d] }
            emit(node, .copy(dst: .init(tensor: dst.tensor, offset: dst.offset + k * block),
                             src: .init(tensor: src.tensor, offset: src.offset + off), shape: inner, strides: innerStrides))
            k += 1
            if program.steps.count > 1_000_000 { failed = node.error("needs more than a million copies") }
        }
        if let failed { throw failed }
    }

    mutating func reshape(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard let x = inputs.first ?? nil else { throw node.error("missing input") }
        let shape = x.shape
        let count = shape.reduce(1, *)
        var out: [Int]
        switch node.op {
        case "Flatten":
            let a = try Self.axis(try node.int("axis", default: 1), rank: shape.count + 1, node: node)
            out = [shape.prefix(a).reduce(1, *), shape.dropFirst(a).reduce(1, *)]
        case "Reshape":
            guard inputs.count > 1, case .constant(let target)? = inputs[1] else { throw node.error("the target shape must be a constant") }
            out = try target.integers(node, "the target shape")
            let allowZero = try node.int("allowzero", default: 0) == 1
            for i in out.indices where out[i] == 0 && !allowZero {
                guard i < shape.count else { throw node.error("0 in the target shape copies a dimension the input lacks") }
                out[i] = shape[i]
            }
            guard out.allSatisfy({ $0 >= -1 }) else { throw node.error("invalid target shape \(out)") }
        let known = try elementCount(out.filter { $0 != -1 }, node: node)
            if let i = out.firstIndex(of: -1) {
                guard out.filter({ $0 == -1 }).count == 1, known > 0, count % known == 0 else { throw node.error("cannot infer -1 in \(out)") }
                out[i] = count / known
            }
        case "Squeeze":
            var axes = try node.ints("axes")
            if axes == nil, inputs.count > 1, case .constant(let a)? = inputs[1] { axes = try a.integers(node, "axes") }
            let set = try Set((axes ?? shape.indices.filter { shape[$0] == 1 }).map { (a: Int) throws(ImportError) -> Int in
                try Self.axis(a, rank: shape.count, node: node) })
            out = shape.indices.filter { !set.contains($0) }.map { shape[$0] }
        default:   // Unsqueeze
            var axes = try node.ints("axes")
            if axes == nil, inputs.count > 1, case .constant(let a)? = inputs[1] { axes = try a.integers(node, "axes") }
            guard let axes else { throw node.error("missing axes") }
            let rank = shape.count + axes.count
            let set = try Set(axes.map { (a: Int) throws(ImportError) -> Int in try Self.axis(a, rank: rank, node: node) })
            guard set.count == axes.count else { throw node.error("axes \(axes) repeat an axis") }
            var it = shape.makeIterator()
            out = (0..<rank).map { set.contains($0) ? 1 : it.next() ?? 1 }
        }
        guard out.allSatisfy({ $0 >= 0 }), try elementCount(out, node: node) == count else {
            throw node.error("cannot reshape \(shape) to \(out)")
        }
        switch x {
        case .constant(let c): return .constant(ConstTensor(shape: out, values: c.values, isInteger: c.isInteger, elementType: c.elementType))
        case .stored(let r, _): return .stored(r, shape: out)
        }
    }

    mutating func transpose(_ node: Node, _ x: Value) throws(ImportError) -> Value {
        let shape = x.shape
        let perm = try node.ints("perm") ?? Array(shape.indices.reversed())
        guard perm.sorted() == Array(shape.indices) else { throw node.error("perm \(perm) is not a permutation of \(shape.count) axes") }
        let (src, _) = try stored(x, node: node.label)
        let st = Self.strides(shape)
        let outShape = perm.map { shape[$0] }
        let dst = try buffer(node, shape: outShape)
        try gatherCopy(node, src: src, shape: outShape, strides: perm.map { st[$0] }, into: dst)
        return .stored(dst, shape: outShape)
    }

    /// `body` lowered once per sample of a batched x ([N, …], N > 1; each
    /// sample a [1, …] view of x) and the results concatenated along axis
    /// 0 — how lowerings written for batch 1 (convolutions, pooling) take
    /// any batch; nil when x has one sample.
    mutating func eachSample(_ node: Node, _ x: Value,
                             _ body: (inout Lowering, Node, Value) throws(ImportError) -> Value) throws(ImportError) -> Value? {
        guard x.shape.count >= 2, x.shape[0] > 1 else { return nil }
        let (ref, shape) = try stored(x, node: node.label)
        let size = shape.dropFirst().reduce(1, *)
        var results = [Value?]()
        for i in 0..<shape[0] {
            let sample = Node(name: "\(node.label)_b\(i)", op: node.op, inputs: node.inputs, outputs: ["\(node.label)_b\(i)"],
                              attributes: node.attributes)
            let view = Value.stored(.init(tensor: ref.tensor, offset: ref.offset + i * size), shape: [1] + shape.dropFirst())
            results.append(try body(&self, sample, view))
        }
        return try concat(Node(name: node.name, op: "Concat", inputs: [], outputs: node.outputs, attributes: ["axis": .int(0)]), results)
    }

    mutating func concat(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        let parts = inputs.compactMap { $0 }
        guard let first = parts.first else { throw node.error("no inputs") }
        let rank = first.shape.count
        let a = try Self.axis(try node.int("axis", default: 0), rank: rank, node: node)
        for p in parts where p.shape.count != rank || (0..<rank).contains(where: { $0 != a && p.shape[$0] != first.shape[$0] }) {
            throw node.error("input shapes \(parts.map(\.shape)) differ outside axis \(a)")
        }
        var outShape = first.shape
        outShape[a] = parts.map { $0.shape[a] }.reduce(0, +)
        let dst = try buffer(node, shape: outShape)
        let outer = first.shape.prefix(a).reduce(1, *), inner = first.shape.dropFirst(a + 1).reduce(1, *)
        let rowLength = outShape[a] * inner
        var offset = 0
        for p in parts {
            let (src, _) = try stored(p, node: node.label)
            let block = p.shape[a] * inner
            // Output rows are strided by rowLength: one copy per outer index.
            for o in 0..<outer where block > 0 {
                emit(node, .copy(dst: .init(tensor: dst.tensor, offset: dst.offset + o * rowLength + offset),
                                 src: .init(tensor: src.tensor, offset: src.offset + o * block), shape: [block], strides: [1]))
            }
            offset += block
        }
        return .stored(dst, shape: outShape)
    }

    mutating func slice(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard let x = inputs.first ?? nil else { throw node.error("missing input") }
        func constInts(_ i: Int) throws(ImportError) -> [Int]? {
            guard i < inputs.count, let v = inputs[i] else { return nil }
            guard case .constant(let c) = v else { throw node.error("input \(i) must be a constant") }
            guard c.values.allSatisfy({ !$0.isNaN }) else { throw node.error("input \(i) contains NaN") }
            return c.values.map { $0 >= 0x1p62 ? Int.max / 2 : ($0 <= -0x1p62 ? Int.min / 2 : Int($0)) }
        }
        let shape = x.shape
        func listed(_ attribute: String, _ i: Int) throws(ImportError) -> [Int]? {
            if let v = try node.ints(attribute) { return v }
            return try constInts(i)
        }
        let starts = try listed("starts", 1) ?? []
        let ends = try listed("ends", 2) ?? []
        let axes = try listed("axes", 3) ?? Array(0..<starts.count)
        let steps = try constInts(4) ?? [Int](repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw node.error("starts, ends, axes and steps differ in length")
        }
        var begin = [Int](repeating: 0, count: shape.count), step = [Int](repeating: 1, count: shape.count)
        var outShape = shape
        for (k, rawAxis) in axes.enumerated() {
            let a = try Self.axis(rawAxis, rank: shape.count, node: node)
            let d = shape[a], s = steps[k]
            guard s != 0 else { throw node.error("step 0") }
            func clampIndex(_ v: Int, _ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(v < 0 ? v &+ d : v, lo), hi) }
            let b = s > 0 ? clampIndex(starts[k], 0, d) : clampIndex(starts[k], -1, d - 1)
            let e = s > 0 ? clampIndex(ends[k], 0, d) : clampIndex(ends[k], -1, d - 1)
            let n = s > 0 ? Swift.max(0, (e - b + s - 1) / s) : Swift.max(0, (b - e - s - 1) / -s)
            begin[a] = b; step[a] = s; outShape[a] = n
        }
        let st = Self.strides(shape)
        let offset = shape.indices.reduce(0) { $0 + begin[$1] * st[$1] }
        let strides = shape.indices.map { st[$0] * step[$0] }
        switch x {
        case .constant(let c):
            return .constant(ConstantFolding.gather(c, offset: offset, strides: strides, shape: outShape))
        case .stored(let src, _):
            let dst = try buffer(node, shape: outShape)
            try gatherCopy(node, src: .init(tensor: src.tensor, offset: src.offset + offset), shape: outShape,
                           strides: strides, into: dst)
            return .stored(dst, shape: outShape)
        }
    }

    mutating func gather(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        if let x = inputs.first ?? nil, inputs.count > 1, case .constant(let table) = x, let indices = inputs[1],
           case .stored = indices {
            return try embedding(node, table: table, indices: indices)
        }
        guard let x = inputs.first ?? nil, inputs.count > 1, case .constant(let idx)? = inputs[1] else {
            throw node.error("indices must be a constant, or the data a constant table (an embedding)")
        }
        let shape = x.shape
        let a = try Self.axis(try node.int("axis", default: 0), rank: shape.count, node: node)
        let indices = try idx.integers(node, "indices").map { (v: Int) throws(ImportError) -> Int in
            let i = v < 0 ? v + shape[a] : v
            guard i >= 0, i < shape[a] else { throw node.error("index \(v) is out of range for dimension \(shape[a])") }
            return i
        }
        let outShape = Array(shape.prefix(a)) + idx.shape + Array(shape.dropFirst(a + 1))
        let (src, _) = try stored(x, node: node.label)
        let dst = try buffer(node, shape: outShape)
        let outer = Array(shape.prefix(a)), inner = shape.dropFirst(a + 1).reduce(1, *)
        let st = Self.strides(shape)
        for (k, i) in indices.enumerated() {
            // Slab k of the output: outer × inner elements from index i.
            let slab = try buffer(node, shape: outer + [inner], suffix: "_g\(k)")
            try gatherCopy(node, src: .init(tensor: src.tensor, offset: src.offset + i * (a < st.count ? st[a] : 1)),
                           shape: outer + [inner], strides: Array(st.prefix(a)) + [1], into: slab)
            let n = outer.reduce(1, *)
            for o in 0..<n where inner > 0 {
                emit(node, .copy(dst: .init(tensor: dst.tensor, offset: dst.offset + (o * indices.count + k) * inner),
                                 src: .init(tensor: slab.tensor, offset: o * inner), shape: [inner], strides: [1]))
            }
        }
        return .stored(dst, shape: outShape)
    }

    /// Constant-mode padding with value 0 (buffers start at 0): copies each
    /// innermost row of the input into the padded buffer.
    mutating func pad(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard let x = inputs.first ?? nil else { throw node.error("missing input") }
        guard try node.string("mode", default: "constant") == "constant" else { throw node.error("only constant padding is supported") }
        var pads = try node.ints("pads")
        if pads == nil, inputs.count > 1, case .constant(let p)? = inputs[1] { pads = try p.integers(node, "pads") }
        if inputs.count > 2, case .constant(let v)? = inputs[2], v.values.contains(where: { $0 != 0 }) {
            throw node.error("only padding with 0 is supported")
        }
        let shape = x.shape
        if var listed = pads, inputs.count > 3, let axesValue = inputs[3] {
            guard case .constant(let a) = axesValue else { throw node.error("axes must be a constant") }
            let axes = try a.integers(node, "axes").map { (v: Int) throws(ImportError) -> Int in try Self.axis(v, rank: shape.count, node: node) }
            guard listed.count == 2 * axes.count, Set(axes).count == axes.count else { throw node.error("pads do not match axes \(axes)") }
            var full = [Int](repeating: 0, count: 2 * shape.count)
            for (k, d) in axes.enumerated() { full[d] = listed[k]; full[shape.count + d] = listed[axes.count + k] }
            listed = full
            pads = listed
        }
        guard let pads, pads.count == 2 * shape.count, pads.allSatisfy({ $0 >= 0 }) else {
            throw node.error("pads must list a non-negative begin and end for each of the \(shape.count) axes")
        }
        return try padded(node, x, before: Array(pads.prefix(shape.count)), after: Array(pads.suffix(shape.count)))
    }

    /// A zero-initialized buffer with `x` copied into its interior.
    mutating func padded(_ node: Node, _ x: Value, before: [Int], after: [Int]) throws(ImportError) -> Value {
        let shape = x.shape
        if before.allSatisfy({ $0 == 0 }) && after.allSatisfy({ $0 == 0 }) { return x }
        guard (before + after).allSatisfy({ $0 >= 0 && $0 <= 1 << 20 }) else { throw node.error("padding must be in 0…2^20") }
        let outShape = shape.indices.map { shape[$0] + before[$0] + after[$0] }
        _ = try elementCount(outShape, node: node)
        let (src, _) = try stored(x, node: node.label)
        let dst = try buffer(node, shape: outShape, suffix: "_pad")
        let outSt = Self.strides(outShape), inSt = Self.strides(shape)
        let rows = Array(shape.dropLast()), last = shape.last ?? 1
        forEachIndex(rows) { idx in
            var o = dst.offset + (before.last ?? 0), i = src.offset
            for d in idx.indices { o += (idx[d] + before[d]) * outSt[d]; i += idx[d] * inSt[d] }
            emit(node, .copy(dst: .init(tensor: dst.tensor, offset: o), src: .init(tensor: src.tensor, offset: i),
                             shape: [last], strides: [1]))
        }
        return .stored(dst, shape: outShape)
    }

    mutating func expand(_ node: Node, _ x: Value, _ target: Value) throws(ImportError) -> Value {
        guard case .constant(let t) = target else { throw node.error("the target shape must be a constant") }
        let shape = try Self.broadcast(x.shape, try t.integers(node, "the target shape"), node: node)
        return try broadcastTo(node, x, shape)
    }
}

extension Lowering {
    /// Tile(x, repeats): the output [r_0·s_0, …] is x read in row-major
    /// order over (r_0, s_0, r_1, s_1, …) with stride 0 on every repeat
    /// axis — one strided copy (a constant folds).
    mutating func tile(_ node: Node, _ x: Value, repeats: Value) throws(ImportError) -> Value {
        guard case .constant(let r) = repeats else { throw node.error("repeats must be a constant") }
        let counts = try r.integers(node, "repeats")
        guard counts.count == x.shape.count, counts.allSatisfy({ $0 >= 1 && $0 <= 1 << 20 }) else {
            throw node.error("repeats \(counts) must have one entry ≥ 1 per axis of \(x.shape)")
        }
        let outShape = zip(x.shape, counts).map { $0 * $1 }
        try ConstantFolding.checkSize(outShape, node: node)
        let st = Self.strides(x.shape)
        let shape = x.shape.indices.flatMap { [counts[$0], x.shape[$0]] }
        let strides = x.shape.indices.flatMap { [0, st[$0]] }
        switch x {
        case .constant(let c):
            var folded = ConstantFolding.gather(c, offset: 0, strides: strides, shape: shape)
            folded.shape = outShape
            return .constant(folded)
        case .stored(let src, _):
            let dst = try buffer(node, shape: outShape)
            try gatherCopy(node, src: src, shape: shape, strides: strides, into: dst)
            return .stored(dst, shape: outShape)
        }
    }

    /// Trilu(x, k): x times the constant 0/1 mask of its last two axes that
    /// keeps j − i ≥ k (upper, the default) or j − i ≤ k (lower).
    mutating func trilu(_ node: Node, _ x: Value, k: Value?) throws(ImportError) -> Value {
        guard x.shape.count >= 2 else { throw node.error("needs at least two axes (input \(x.shape))") }
        var offset = 0
        if let k {
            guard case .constant(let c) = k, c.count == 1 else { throw node.error("k must be a constant scalar") }
            offset = try c.integers(node, "k")[0]
        }
        let upper = try node.int("upper", default: 1) == 1
        let (rows, cols) = (x.shape[x.shape.count - 2], x.shape[x.shape.count - 1])
        let mask = (0..<rows).flatMap { i in (0..<cols).map { j in (upper ? j - i >= offset : j - i <= offset) ? 1.0 : 0.0 } }
        let maskValue = Value.constant(ConstTensor(shape: [rows, cols], values: mask, isInteger: true))
        if case .constant(let c) = x {
            var folded = try ConstantFolding.elementwise(node, c, ConstTensor(shape: [rows, cols], values: mask)) { $0 * $1 }
            (folded.isInteger, folded.elementType) = (c.isInteger, c.elementType)
            return .constant(folded)
        }
        return try binary(part(node, "Mul", nil), x, maskValue)
    }

    /// Gather of rows of a constant table by computed indices (an
    /// embedding, axis 0): the indices' one-hot rows [i = v] over the
    /// table's V rows (exact comparisons, §3.5; a negative index counts
    /// from the end, as ONNX), times the table — one matmul whose B is a
    /// weight. An index outside −V…V − 1, an error in onnxruntime, gives a
    /// zero row.
    mutating func embedding(_ node: Node, table: ConstTensor, indices: Value) throws(ImportError) -> Value {
        let axis = try node.int("axis", default: 0)
        guard axis == 0 || (axis == -1 && table.shape.count == 1) else {
            throw node.error("computed indices are supported on axis 0 of a constant table")
        }
        guard !table.shape.isEmpty, table.shape[0] >= 1, table.shape[0] <= 1 << 16 else {
            throw node.error("an embedding table needs 1…65536 rows, has shape \(table.shape)")
        }
        let rows = table.shape[0], width = table.shape.dropFirst().reduce(1, *), count = indices.shape.reduce(1, *)
        let (a, _) = try stored(try oneHotRows(node, indices, size: rows), node: node.label)
        let b = try stored(.constant(ConstTensor(shape: [rows, width], values: table.values)), node: node.label).0
        let outShape = indices.shape + Array(table.shape.dropFirst())
        let dst = try buffer(node, shape: outShape)
        emit(node, .matmul(dst: dst, a: a, b: b, bias: nil, m: count, k: rows, n: width, ars: rows, acs: 1, brs: width, bcs: 1, drs: width))
        return .stored(dst, shape: outShape)
    }

    /// Split along an axis into the `split` sizes (input or attribute), or
    /// `num_outputs` (nearly) equal parts: views where contiguous, else one
    /// strided copy each.
    mutating func split(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> [Value] {
        guard let x = inputs.first ?? nil else { throw node.error("missing input") }
        let a = try Self.axis(try node.int("axis", default: 0), rank: x.shape.count, node: node)
        let size = x.shape[a], parts = node.outputs.count
        var sizes = try node.ints("split")
        if sizes == nil, inputs.count > 1, let v = inputs[1] {
            guard case .constant(let c) = v else { throw node.error("split sizes must be a constant") }
            sizes = try c.integers(node, "split sizes")
        }
        if sizes == nil {
            let n = try node.int("num_outputs", default: parts)
            guard n >= 1, n == parts else { throw node.error("num_outputs \(n) differs from the \(parts) outputs") }
            let chunk = (size + n - 1) / n
            sizes = (0..<n).map { Swift.max(0, Swift.min(chunk, size - $0 * chunk)) }
        }
        guard let sizes, sizes.count == parts, sizes.allSatisfy({ $0 >= 1 }), sizes.reduce(0, +) == size else {
            throw node.error("split sizes \(sizes ?? []) do not cut \(size) into \(parts) non-empty parts")
        }
        let outer = x.shape.prefix(a).reduce(1, *), inner = x.shape.dropFirst(a + 1).reduce(1, *)
        let (src, _) = try stored(x, node: node.label)
        var start = 0, results = [Value]()
        for (k, length) in sizes.enumerated() {
            var shape = x.shape
            shape[a] = length
            let from = KernelProgram.Ref(tensor: src.tensor, offset: src.offset + start * inner)
            if outer == 1 {
                results.append(.stored(from, shape: shape))
            } else {
                var n = part(node, "Split", nil)
                n.outputs = [node.outputs[k].isEmpty ? node.label + "_\(k)" : node.outputs[k]]
                let dst = try buffer(n, shape: shape)
                try gatherCopy(n, src: from, shape: [outer, length * inner], strides: [size * inner, 1], into: dst)
                results.append(.stored(dst, shape: shape))
            }
            start += length
        }
        return results
    }
}
