import ISA

/// The lowered model before quantization (Spec/onnx-import.md §3): tensors
/// laid out contiguously, and a straight-line list of the ISA's five tensor
/// operations with real-valued semantics. The float interpreter runs it for
/// calibration; the quantizer turns it into fixed-point `.zkasm`. Keeping
/// one IR for both means the float reference and the proven program execute
/// the same data movement, so their difference is quantization alone.
struct KernelProgram {
    enum Kind: Equatable { case input, weights, buffer, output }

    struct Tensor {
        var name: String
        var shape: [Int]
        var kind: Kind
        /// Real values of weights.
        var data: [Double]?
        /// The ONNX value it holds (for reports), or "" for temporaries.
        var origin: String
        /// Bounds every value has by construction, whatever the input (a
        /// softmax's row sum of exponentials of x − max(x) lies in [1, n]).
        var knownRange: ClosedRange<Double>? = nil
        /// How weights round to their fixed-point scale: to nearest, or down
        /// or up so that a comparison with a threshold is exact on the
        /// quantized operand (x > t ⟺ x > ⌊t⌋ for x on the grid).
        var rounding: FloatingPointRoundingRule = .toNearestOrAwayFromZero
        /// An ONNX integer or boolean input: declared at scale 0, so every
        /// value the program (and its proof) takes is a whole number.
        var wholeNumbers = false
        /// A known bound at or beyond this magnitude is an open side: no
        /// fixed-point value reaches it (|x| < 2^31 at scale ≥ 0).
        static let openBound = 0x1p62
        var count: Int { shape.reduce(1, *) }
    }

    /// A tensor and an element offset into it.
    struct Ref: Equatable {
        var tensor: Int
        var offset: Int = 0
    }

    enum MapFunction: Equatable {
        /// clamp(x, lo, hi) in real units (ReLU is lo = 0, hi = +∞).
        case clamp(lo: Double, hi: Double)
        case activation(ActivationFunction)
        /// 1 where x > 0, else 0: the exact comparison with zero, a clamp of
        /// the raw value to [0, 1] read at scale 0 (Spec/onnx-import.md §3.5).
        case step
        /// ⌊x / 2^exponent⌋ (exponent ≥ 0): a rescale of the raw value
        /// r = x·2^s by s + exponent bits after subtracting half a step (the
        /// ISA rounds half up, so this is the floor exactly), then an exact
        /// multiplication by 2^s. Exact for every value at every scale.
        case floor(exponent: Int)
    }

    enum ZipOperation: Equatable { case add, sub, mul, max, min }
    enum ReduceOperation: Equatable { case sum, max, argmax }

    enum Operation {
        /// dst[i·drs + j] = Σ_t a[i·ars + t·acs]·b[t·brs + j·bcs] + bias[j]; with
        /// a pattern, A[i, t] and the output's column stride come from it.
        case matmul(dst: Ref, a: Ref, b: Ref, bias: Ref?, m: Int, k: Int, n: Int,
                    ars: Int, acs: Int, brs: Int, bcs: Int, drs: Int, pattern: MatmulPattern? = nil)
        /// dst[i·ds] = f(src[i·ss]) for i < count.
        case map(dst: Ref, src: Ref, function: MapFunction, count: Int, ds: Int, ss: Int)
        /// dst[i·ds] = a[i·as] ∘ b[i·bs] for i < count.
        case zip(dst: Ref, a: Ref, b: Ref, operation: ZipOperation, count: Int, ds: Int, as: Int, bs: Int)
        /// dst = ⊕ src[r·rs + c·cs] over r < rows, c < cols.
        case reduce(dst: Ref, src: Ref, operation: ReduceOperation, rows: Int, cols: Int, rs: Int, cs: Int)
        /// dst[flat index] = src[Σ i_d·stride_d] over `shape` (1–4 dims).
        case copy(dst: Ref, src: Ref, shape: [Int], strides: [Int])
    }

    /// A matmul's A operand as digits (Spec/isa.md §4): row i splits into
    /// `rows` (outermost first, ≤ 2), column t into `columns` (≤ 3); A[i, t]
    /// is a + Σ digit·stride. Output column j lands at + j·dstColumnStride.
    struct MatmulPattern {
        var rows: [(extent: Int, stride: Int)]
        var columns: [(extent: Int, stride: Int)]
        var dstColumnStride: Int

        /// Offset of A[i, t] from the operand's base.
        func aOffset(_ i: Int, _ t: Int) -> Int { Self.offset(i, rows) + Self.offset(t, columns) }

        static func offset(_ index: Int, _ digits: [(extent: Int, stride: Int)]) -> Int {
            var rest = index, total = 0
            for d in digits.reversed() { total += (rest % d.extent) * d.stride; rest /= d.extent }
            return total
        }
    }

    struct Step {
        var operation: Operation
        /// "Op 'name'" of the ONNX node it comes from.
        var node: String
    }

    var tensors: [Tensor] = []
    var steps: [Step] = []
    /// Graph inputs and outputs in order (tensor indices).
    var inputs: [Int] = []
    var outputs: [Int] = []

    mutating func add(_ name: String, shape: [Int], kind: Kind, data: [Double]? = nil, origin: String = "") -> Int {
        tensors.append(Tensor(name: name, shape: shape, kind: kind, data: data, origin: origin))
        return tensors.count - 1
    }

    /// Tensors an operation reads and the one it writes.
    static func operands(_ op: Operation) -> (reads: [Ref], write: Ref) {
        switch op {
        case let .matmul(dst, a, b, bias, _, _, _, _, _, _, _, _, _): return ([a, b] + (bias.map { [$0] } ?? []), dst)
        case let .map(dst, src, _, _, _, _): return ([src], dst)
        case let .zip(dst, a, b, _, _, _, _, _): return ([a, b], dst)
        case let .reduce(dst, src, _, _, _, _, _): return ([src], dst)
        case let .copy(dst, src, _, _): return ([src], dst)
        }
    }
}
