/// Indexing with constant indices (Spec/onnx-import.md §3.1):
/// GatherElements, GatherND, ScatterElements and ScatterND become copies
/// grouped into strided runs (constant data folds at import); OneHot and
/// TopK on computed values compose exact comparisons (§3.5).
extension Lowering {
    /// The constant integer indices of input `i`, each wrapped into 0…`size` − 1
    /// (negative ones count from the end) or refused.
    func constantIndices(_ node: Node, _ inputs: [Value?], _ i: Int) throws(ImportError) -> ConstTensor {
        guard i < inputs.count, let v = inputs[i] else { throw node.error("missing indices") }
        guard case .constant(let c) = v else { throw node.error("indices must be constant (computed indices are supported by Gather on a constant table)") }
        return c
    }

    static func wrap(_ raw: Double, size: Int, node: Node) throws(ImportError) -> Int {
        guard raw.isFinite, raw == raw.rounded(), abs(raw) <= 0x1p62 else { throw node.error("index \(raw) is not an integer within ±2^62") }
        let i = raw < 0 ? Int(raw) + size : Int(raw)
        guard i >= 0, i < size else { throw node.error("index \(Int(raw)) is out of range for dimension \(size)") }
        return i
    }

    /// `result[k] = source[sources[k]]` over a result of `shape`: folded when
    /// the source is constant, else copies in strided runs.
    mutating func indexed(_ node: Node, _ source: Value, sources: [Int], shape: [Int]) throws(ImportError) -> Value {
        if case .constant(let c) = source {
            try ConstantFolding.checkSize(shape, node: node)
            return .constant(ConstTensor(shape: shape, values: sources.map { c.values[$0] }, isInteger: c.isInteger, elementType: c.elementType))
        }
        let (src, _) = try stored(source, node: node.label)
        let dst = try buffer(node, shape: shape)
        try copyRuns(node, from: src, sources: sources, into: dst, positions: Array(sources.indices))
        return .stored(dst, shape: shape)
    }

    /// Copies `from[sources[k]]` to `into[positions[k]]`, one `copy` per
    /// maximal run of consecutive positions whose sources step evenly (≥ 0).
    mutating func copyRuns(_ node: Node, from src: KernelProgram.Ref, sources: [Int], into dst: KernelProgram.Ref,
                           positions: [Int]) throws(ImportError) {
        var k = 0
        while k < sources.count {
            var length = 1, stride = 0
            if k + 1 < sources.count, positions[k + 1] == positions[k] + 1, sources[k + 1] >= sources[k] {
                stride = sources[k + 1] - sources[k]
                length = 2
                while k + length < sources.count, positions[k + length] == positions[k] + length,
                      sources[k + length] - sources[k + length - 1] == stride { length += 1 }
            }
            emit(node, .copy(dst: .init(tensor: dst.tensor, offset: dst.offset + positions[k]),
                             src: .init(tensor: src.tensor, offset: src.offset + sources[k]), shape: [length], strides: [stride]))
            guard program.steps.count <= 1_000_000 else { throw node.error("needs more than a million copies") }
            k += length
        }
    }

    /// Every multi-index of `shape`, row-major, with its flat index.
    static func multiIndices(_ shape: [Int]) -> [[Int]] {
        var out = [[Int]]()
        out.reserveCapacity(shape.reduce(1, *))
        forEachIndex(shape) { out.append($0) }
        return out
    }

    static func flat(_ index: [Int], _ strides: [Int]) -> Int { zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 } }

    /// GatherElements: out[I] = data[I with I[axis] = indices[I]].
    mutating func gatherElements(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard let data = inputs.first ?? nil else { throw node.error("missing data") }
        if inputs.count > 1, let computed = inputs[1], case .stored = computed {
            return try gatherElementsByComputedIndices(node, data, computed)
        }
        let indices = try constantIndices(node, inputs, 1)
        let rank = data.shape.count
        let a = try Self.axis(try node.int("axis", default: 0), rank: rank, node: node)
        guard indices.shape.count == rank, (0..<rank).allSatisfy({ $0 == a || indices.shape[$0] <= data.shape[$0] }) else {
            throw node.error("indices \(indices.shape) do not fit data \(data.shape) on axis \(a)")
        }
        try ConstantFolding.checkSize(indices.shape, node: node)
        let st = Self.strides(data.shape)
        var sources = [Int]()
        for (k, var index) in Self.multiIndices(indices.shape).enumerated() {
            index[a] = try Self.wrap(indices.values[k], size: data.shape[a], node: node)
            sources.append(Self.flat(index, st))
        }
        return try indexed(node, data, sources: sources, shape: indices.shape)
    }

    /// GatherElements with computed indices: with the axis moved last, each
    /// row of the result is the indices' one-hot rows (exact, §3.5) times
    /// the data's row — one matmul per row. The indices must have the
    /// data's extent on every other axis; an index out of range gives 0.
    mutating func gatherElementsByComputedIndices(_ node: Node, _ data: Value, _ indices: Value) throws(ImportError) -> Value {
        let rank = data.shape.count
        let a = try Self.axis(try node.int("axis", default: 0), rank: rank, node: node)
        guard indices.shape.count == rank, (0..<rank).allSatisfy({ $0 == a || indices.shape[$0] == data.shape[$0] }) else {
            throw node.error("computed indices \(indices.shape) must match data \(data.shape) outside axis \(a)")
        }
        let n = data.shape[a], m = indices.shape[a]
        guard n <= 4096 else { throw node.error("computed indices into an axis of \(n) elements (at most 4096)") }
        let (dataRows, count, _, kept) = try rowsOver(part(node, "Transpose", "_data"), data, axes: [a])
        guard count <= 4096 else { throw node.error("computed indices over \(count) rows (one matmul each; at most 4096)") }
        let (indexRows, _, _, _) = try rowsOver(part(node, "Transpose", "_indices"), indices, axes: [a])
        let hot = try oneHotRows(node, .stored(indexRows, shape: [count * m]), size: n)
        let (hotRef, _) = try stored(hot, node: node.label)
        var movedShape = kept.map { data.shape[$0] }
        movedShape.append(m)
        let last = a == rank - 1
        let dst = try buffer(node, shape: movedShape, suffix: last ? "" : "_moved")
        for r in 0..<count {
            emit(node, .matmul(dst: .init(tensor: dst.tensor, offset: dst.offset + r * m),
                               a: .init(tensor: hotRef.tensor, offset: hotRef.offset + r * m * n),
                               b: .init(tensor: dataRows.tensor, offset: dataRows.offset + r * n),
                               bias: nil, m: m, k: n, n: 1, ars: n, acs: 1, brs: 1, bcs: 1, drs: 1))
        }
        if last { return .stored(dst, shape: movedShape) }
        return try axisBack(node, .stored(dst, shape: movedShape), kept: kept, axis: a)
    }

    /// GatherND (batch_dims = 0): each index tuple of length q picks the slice data[i₀, …, i_{q−1}, …].
    mutating func gatherND(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard let data = inputs.first ?? nil else { throw node.error("missing data") }
        guard try node.int("batch_dims", default: 0) == 0 else { throw node.error("batch_dims other than 0 is not supported") }
        let indices = try constantIndices(node, inputs, 1)
        guard let q = indices.shape.last, q >= 1, q <= data.shape.count else {
            throw node.error("indices \(indices.shape) must end in a tuple length 1…\(data.shape.count)")
        }
        let slice = data.shape.dropFirst(q).reduce(1, *), st = Self.strides(data.shape)
        let shape = Array(indices.shape.dropLast()) + Array(data.shape.dropFirst(q))
        try ConstantFolding.checkSize(shape, node: node)
        var sources = [Int]()
        for t in 0..<(indices.count / q) {
            var base = 0
            for d in 0..<q { base += try Self.wrap(indices.values[t * q + d], size: data.shape[d], node: node) * st[d] }
            sources += (base..<(base + slice))
        }
        return try indexed(node, data, sources: sources, shape: shape)
    }

    /// ScatterElements and ScatterND (reduction none): the data, then each
    /// update copied over its position (a later duplicate wins).
    mutating func scatter(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count == 3, let data = inputs[0], let updates = inputs[2] else { throw node.error("needs data, indices and updates") }
        guard try node.string("reduction", default: "none") == "none" else { throw node.error("only reduction = none is supported") }
        let indices = try constantIndices(node, inputs, 1)
        let st = Self.strides(data.shape)
        var positions = [Int]()
        if node.op == "ScatterElements" {
            let a = try Self.axis(try node.int("axis", default: 0), rank: data.shape.count, node: node)
            guard indices.shape == updates.shape, indices.shape.count == data.shape.count,
                  (0..<data.shape.count).allSatisfy({ $0 == a || indices.shape[$0] <= data.shape[$0] }) else {
                throw node.error("indices \(indices.shape) and updates \(updates.shape) must match, have the data's rank and fit its shape \(data.shape)")
            }
            for (k, var index) in Self.multiIndices(indices.shape).enumerated() {
                index[a] = try Self.wrap(indices.values[k], size: data.shape[a], node: node)
                positions.append(Self.flat(index, st))
            }
        } else {
            guard let q = indices.shape.last, q >= 1, q <= data.shape.count,
                  updates.shape == Array(indices.shape.dropLast()) + Array(data.shape.dropFirst(q)) else {
                throw node.error("indices \(indices.shape) and updates \(updates.shape) do not fit data \(data.shape)")
            }
            let slice = data.shape.dropFirst(q).reduce(1, *)
            for t in 0..<(indices.count / q) {
                var base = 0
                for d in 0..<q { base += try Self.wrap(indices.values[t * q + d], size: data.shape[d], node: node) * st[d] }
                positions += (base..<(base + slice))
            }
        }
        if case .constant(let d) = data, case .constant(let u) = updates {
            var values = d.values
            for (k, p) in positions.enumerated() { values[p] = u.values[k] }
            return .constant(ConstTensor(shape: d.shape, values: values, isInteger: d.isInteger && u.isInteger))
        }
        let (dataRef, _) = try stored(data, node: node.label), (updateRef, _) = try stored(updates, node: node.label)
        let dst = try buffer(node, shape: data.shape)
        emit(node, .copy(dst: dst, src: dataRef, shape: [max(1, data.shape.reduce(1, *))], strides: [1]))
        try copyRuns(node, from: updateRef, sources: Array(positions.indices), into: dst, positions: positions)
        return .stored(dst, shape: data.shape)
    }

    /// OneHot(indices, depth, values) on the last axis: off + (on − off)·[i = k]
    /// with i wrapped from the end when negative (exact comparisons).
    mutating func oneHot(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard inputs.count == 3, let indices = inputs[0], case .constant(let d)? = inputs[1], case .constant(let v)? = inputs[2],
              v.count == 2, let depthValue = d.values.first else {
            throw node.error("needs indices, a constant depth and constant [off, on] values")
        }
        let axis = try node.int("axis", default: -1)
        guard axis == -1 || axis == indices.shape.count else { throw node.error("only the last axis is supported") }
        guard depthValue.isFinite, depthValue >= 1, depthValue <= 65536, v.values.allSatisfy(\.isFinite) else {
            throw node.error("depth must be 1…65536 and the values finite")
        }
        let depth = Int(depthValue)
        let hot = try oneHotRows(node, indices, size: depth)
        let (off, on) = (v.values[0], v.values[1])
        var result = hot
        if on - off != 1 { result = try binary(part(node, "Mul", off == 0 ? nil : "_scaled"), result, .constant(.scalar(on - off))) }
        if off != 0 { result = try binary(part(node, "Add", nil), result, .constant(.scalar(off))) }
        return try reshaped(result, indices.shape + [depth])
    }

    /// [i = k] for k < `size`: one row per index (all of `indices`,
    /// flattened), i + size·[i < 0] so a negative index counts from the end;
    /// an index outside −size…size − 1 gives a zero row. Exact (§3.5).
    mutating func oneHotRows(_ node: Node, _ indices: Value, size: Int) throws(ImportError) -> Value {
        let column = try reshaped(indices, [indices.shape.reduce(1, *), 1])
        let negative = try comparison(part(node, "Less", "_neg"), column, .constant(.scalar(0)))
        let wrapped = try binary(part(node, "Add", "_idx"), column,
                                 try binary(part(node, "Mul", "_wrap"), negative, .constant(.scalar(Double(size)))))
        let iota = ConstTensor(shape: [1, size], values: (0..<size).map(Double.init), isInteger: true)
        return try comparison(part(node, "Equal", "_hot"), wrapped, .constant(iota))
    }

    /// TopK with a constant k along an axis: k rounds of the row maximum and
    /// its first index, each then lowered below the row's minimum
    /// (x − [j = index]·(max − min + 1)) so the next round skips it. Values
    /// largest first (smallest first with largest = 0), ties to the lower
    /// index, as ONNX.
    mutating func topK(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> [Value] {
        guard inputs.count >= 2, let x = inputs[0], case .constant(let kValue)? = inputs[1], let kRaw = kValue.values.first else {
            throw node.error("needs X and a constant K")
        }
        let rank = x.shape.count
        let a = try Self.axis(try node.int("axis", default: -1), rank: rank, node: node)
        let n = x.shape[a]
        guard kRaw == kRaw.rounded(), kRaw >= 1, kRaw <= Double(n) else { throw node.error("K = \(kRaw) must be 1…\(n)") }
        guard try node.int("sorted", default: 1) == 1 else { throw node.error("sorted = 0 is not supported") }
        let k = Int(kRaw), largest = try node.int("largest", default: 1) == 1
        var source = x
        if !largest { source = try binary(part(node, "Mul", "_neg"), x, .constant(.scalar(-1))) }
        let (src, rows, _, kept) = try rowsOver(node, source, axes: [a])
        guard rows * k <= 4096 else { throw node.error("\(rows) rows × K = \(k) rounds is more than 4096") }
        let values = try buffer(part(node, "TopK", "_values"), shape: [rows, k])
        let indices = try buffer(part(node, "TopK", "_indices"), shape: [rows, k])
        let iota = ConstTensor(shape: [n], values: (0..<n).map(Double.init), isInteger: true)
        // max − min + 1 per row, fixed for the row: every lowered element ends below every other.
        let (spreads, _) = try stored(try binary(part(node, "Add", "_drop"), try rowSpreads(node, src, rows: rows, cols: n),
                                                 .constant(.scalar(1))), node: node.label)
        for r in 0..<rows {
            var row = Value.stored(.init(tensor: src.tensor, offset: src.offset + r * n), shape: [n])
            let spread = Value.stored(.init(tensor: spreads.tensor, offset: spreads.offset + r), shape: [1])
            for j in 0..<k {
                let (current, _) = try stored(row, node: node.label)
                emit(node, .reduce(dst: .init(tensor: values.tensor, offset: values.offset + r * k + j), src: current, operation: .max,
                                   rows: 1, cols: n, rs: n, cs: 1))
                emit(node, .reduce(dst: .init(tensor: indices.tensor, offset: indices.offset + r * k + j), src: current, operation: .argmax,
                                   rows: 1, cols: n, rs: n, cs: 1))
                guard j + 1 < k else { break }
                let picked = try comparison(part(node, "Equal", "_r\(r)_k\(j)_hot"),
                                            .stored(.init(tensor: indices.tensor, offset: indices.offset + r * k + j), shape: [1]), .constant(iota))
                let drop = try binary(part(node, "Mul", "_r\(r)_k\(j)_drop"), picked, spread)
                row = try binary(part(node, "Sub", "_r\(r)_k\(j)_rest"), row, drop)
            }
        }
        // Back to the input's layout with K on the axis.
        var outShape = kept.map { x.shape[$0] }
        outShape.append(k)
        var result = [Value.stored(values, shape: outShape), Value.stored(indices, shape: outShape)]
        if !largest { result[0] = try binary(part(node, "Mul", "_values_neg"), result[0], .constant(.scalar(-1))) }
        if a != rank - 1 {
            for (i, v) in result.enumerated() {
                var n = part(node, "Transpose", i == 0 ? "_vt" : "_it")
                n.outputs = [node.outputs.count > i ? node.outputs[i] : node.label + "_\(i)"]
                result[i] = try axisBack(n, v, kept: kept, axis: a)
            }
        }
        return result
    }
}
