/// Resize and Upsample (nearest and linear) with constant scales or sizes
/// (Spec/onnx-import.md §3.1): separable, one matmul per resized axis with
/// a constant interpolation matrix — one-hot columns for nearest (an exact
/// copy), two weights for linear.
extension Lowering {
    mutating func resize(_ node: Node, _ inputs: [Value?]) throws(ImportError) -> Value {
        guard let x = inputs.first ?? nil else { throw node.error("missing input") }
        let rank = x.shape.count
        let upsample = node.op == "Upsample"
        let mode = try node.string("mode", default: "nearest")
        guard mode == "nearest" || mode == "linear" || mode == "bilinear" && upsample else {
            throw node.error("mode '\(mode)' is not supported (nearest, linear)")
        }
        let transform = upsample ? "asymmetric" : try node.string("coordinate_transformation_mode", default: "half_pixel")
        let nearestMode = upsample ? "floor" : try node.string("nearest_mode", default: "round_prefer_floor")
        if try node.int("antialias", default: 0) != 0 { throw node.error("antialias is not supported") }
        if try node.int("exclude_outside", default: 0) != 0 { throw node.error("exclude_outside is not supported") }
        let policy = try node.string("keep_aspect_ratio_policy", default: "stretch")
        guard policy == "stretch" else { throw node.error("keep_aspect_ratio_policy '\(policy)' is not supported") }
        let axes = try node.ints("axes").map { (list: [Int]) throws(ImportError) -> [Int] in
            try list.map { (a: Int) throws(ImportError) -> Int in try Self.axis(a, rank: rank, node: node) }
        } ?? Array(0..<rank)
        if Set(axes).count != axes.count { throw node.error("axes \(axes) repeat an axis") }
        // Scales (Upsample: attribute or input 1; Resize: input 2) or sizes (Resize: input 3).
        func constant(_ i: Int) throws(ImportError) -> ConstTensor? {
            guard i < inputs.count, let v = inputs[i] else { return nil }
            guard case .constant(let c) = v else { throw node.error("scales and sizes must be constants") }
            return c.count == 0 ? nil : c
        }
        var scales: [Double]? = nil, sizes: [Int]? = nil
        if upsample || graph.opsetVersion < 11 {
            // Upsample, and Resize before opset 11: scales as an attribute or input 1.
            if let listed = try node.floats("scales") { scales = listed } else { scales = try constant(1)?.values }
        } else {
            scales = try constant(2)?.values
            if let c = try constant(3) { sizes = try c.integers(node, "sizes") }
        }
        let count = (sizes ?? scales.map { $0.map { _ in 0 } } ?? []).count
        guard count == axes.count else { throw node.error("scales or sizes must give one value per resized axis (\(axes.count))") }
        if sizes == nil && scales == nil { throw node.error("needs scales or sizes") }
        var result = x
        for (k, d) in axes.enumerated() {
            let n = x.shape[d]
            // Sizes and coordinates in float32, as onnxruntime computes them.
            let m: Int, scale: Float
            if let sizes {
                guard sizes[k] >= 1, sizes[k] <= 1 << 16 else { throw node.error("axis \(d) would have \(sizes[k]) elements") }
                m = sizes[k]
                scale = Float(m) / Float(n)
            } else {
                scale = Float(scales![k])
                guard scale.isFinite, scale > 0 else { throw node.error("scale \(scales![k]) must be positive") }
                let size = (Float(n) * scale).rounded(.down)
                guard size >= 1, size <= 65536 else { throw node.error("axis \(d) would have \(size) elements") }
                m = Int(size)
            }
            if m == n && scale == 1 { continue }
            guard n * m <= 1 << 24 else { throw node.error("resizing axis \(d) from \(n) to \(m) needs a matrix of more than 2^24 entries") }
            var matrix = [Double](repeating: 0, count: n * m)
            for i in 0..<m {
                let f = Float(i), original32: Float
                switch transform {
                case "half_pixel": original32 = (f + 0.5) / scale - 0.5
                case "pytorch_half_pixel": original32 = m > 1 ? (f + 0.5) / scale - 0.5 : 0
                case "align_corners": original32 = m > 1 ? f * Float(n - 1) / Float(m - 1) : 0
                case "asymmetric": original32 = f / scale
                case "tf_half_pixel_for_nearest": original32 = (f + 0.5) / scale
                default: throw node.error("coordinate_transformation_mode '\(transform)' is not supported")
                }
                let original = Double(original32)
                if mode == "nearest" {
                    let rounded: Double
                    switch nearestMode {
                    case "round_prefer_floor": rounded = original - original.rounded(.down) == 0.5 ? original.rounded(.down) : original.rounded()
                    case "round_prefer_ceil": rounded = original.rounded()
                    case "floor": rounded = original.rounded(.down)
                    case "ceil": rounded = original.rounded(.up)
                    default: throw node.error("nearest_mode '\(nearestMode)' is not supported")
                    }
                    let j = Swift.min(Swift.max(Int(rounded), 0), n - 1)
                    matrix[j * m + i] = 1
                } else {
                    let position = Swift.min(Swift.max(original, 0), Double(n - 1))
                    let low = Int(position.rounded(.down)), high = Swift.min(low + 1, n - 1)
                    let w = position - Double(low)
                    matrix[low * m + i] += 1 - w
                    matrix[high * m + i] += w
                }
            }
            result = try alongAxis(part(node, node.op, k == axes.count - 1 ? nil : "_axis\(d)"), result, axis: d,
                                   matrix: ConstTensor(shape: [n, m], values: matrix))
        }
        return result
    }

    /// x with axis `axis` (size n) replaced by x·matrix along it ([n, m]): one
    /// matmul on the rows of x with that axis last (moved there and back by copies).
    mutating func alongAxis(_ node: Node, _ x: Value, axis: Int, matrix: ConstTensor) throws(ImportError) -> Value {
        let rank = x.shape.count, m = matrix.shape[1]
        let (src, rows, cols, kept) = try rowsOver(node, x, axes: [axis])
        let b = try stored(.constant(matrix), node: node.label).0
        var movedShape = kept.map { x.shape[$0] }
        movedShape.append(m)
        let last = axis == rank - 1
        let dst = try buffer(node, shape: movedShape, suffix: last ? "" : "_moved")
        emit(node, .matmul(dst: dst, a: src, b: b, bias: nil, m: rows, k: cols, n: m, ars: cols, acs: 1, brs: m, bcs: 1, drs: m))
        if last { return .stored(dst, shape: movedShape) }
        return try axisBack(node, .stored(dst, shape: movedShape), kept: kept, axis: axis)
    }
}
