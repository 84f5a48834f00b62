/// The parameters of a tensor instruction, kept in the program's descriptor
/// table (Spec/isa.md §4). Addresses are static bases; at run time the VM adds
/// the instruction's registers rd (destination), ra (first source) and rb
/// (second source) so loops can move a tensor instruction over memory.
public enum TensorOperation: Hashable, Sendable {
    /// dst[i·drs + j·dcs] = rescale(Σ_t A[i, t] · b[t·brs + j·bcs] + bias[j], shift)
    /// for i < m, j < n, t < k (bias omitted when `bias` is nil); A[i, t]
    /// is a[i·ars + t·acs], or a convolution-style pattern (`MatMul`).
    case matmul(MatMul)
    /// dst[i·ds] = f(src[i·ss]) for i < count.
    case map(Map)
    /// dst[i·ds] = a[i·as] ∘ b[i·bs] for i < count (bs = 0 broadcasts one value).
    case zip(Zip)
    /// dst[0] = ⊕ src[r·rs + c·cs] over r < rows, c < cols.
    case reduce(Reduce)
    /// dst[flat index] = src[Σ_d index_d · stride_d] over a shape of ≤ 4 dims:
    /// a strided gather for reshape, transpose, slicing and im2col.
    case copy(Copy)

    /// A matmul over an A *pattern*: row i and column t of A are split into
    /// row digits (i₁, i₀) with i₀ < `aRowInner`, and column digits
    /// (t₂, t₁, t₀) with t₁ < `aColMiddle`, t₀ < `aColInner`; A[i, t] is
    /// the cell a + i₁·aRowStride + i₀·aRowInnerStride + t₂·aColStride +
    /// t₁·aColMiddleStride + t₀·aColInnerStride. With every inner extent 1
    /// this is the plain strided matrix a + i·aRowStride + t·aColStride;
    /// with rows (OH, OW) and columns (C, KH, KW) it is a convolution's
    /// input window, read in place (no im2col copy). Output (i, j) goes to
    /// dst + i·dstRowStride + j·dstColStride (Spec/isa.md §4).
    public struct MatMul: Hashable, Sendable {
        public var dst, a, b: Int64
        public var bias: Int64?
        /// m rows, k columns of A; n columns of B.
        public var m, k, n: Int64
        public var aRowStride, aColStride, bRowStride, bColStride, dstRowStride: Int64
        public var shift: Int64
        /// Inner row extent (≥ 1, divides m) and its stride (0 when the extent is 1).
        public var aRowInner: Int64 = 1, aRowInnerStride: Int64 = 0
        /// Middle and inner column extents (≥ 1, their product divides k) and their strides (0 for extent 1).
        public var aColMiddle: Int64 = 1, aColMiddleStride: Int64 = 0
        public var aColInner: Int64 = 1, aColInnerStride: Int64 = 0
        /// Stride between output columns (1 for a row-major result).
        public var dstColStride: Int64 = 1

        public init(dst: Int64, a: Int64, b: Int64, bias: Int64?, m: Int64, k: Int64, n: Int64,
                    aRowStride: Int64, aColStride: Int64, bRowStride: Int64, bColStride: Int64,
                    dstRowStride: Int64, shift: Int64) {
            self.dst = dst; self.a = a; self.b = b; self.bias = bias
            self.m = m; self.k = k; self.n = n
            self.aRowStride = aRowStride; self.aColStride = aColStride
            self.bRowStride = bRowStride; self.bColStride = bColStride
            self.dstRowStride = dstRowStride; self.shift = shift
        }

        /// Whether A is a plain strided matrix and the output row-major
        /// (the descriptor's short encoding, tag 1).
        public var isPlain: Bool {
            aRowInner == 1 && aRowInnerStride == 0 && aColMiddle == 1 && aColMiddleStride == 0
                && aColInner == 1 && aColInnerStride == 0 && dstColStride == 1
        }

        /// The offset of A[i, t] from the operand's base (before the register shift).
        @inlinable
        public func aAddress(_ i: Int64, _ t: Int64) -> Int64 {
            let colOuter = t / (aColMiddle * aColInner), colRest = t % (aColMiddle * aColInner)
            return a + (i / aRowInner) * aRowStride + (i % aRowInner) * aRowInnerStride
                + colOuter * aColStride + (colRest / aColInner) * aColMiddleStride + (colRest % aColInner) * aColInnerStride
        }

        /// Where output (i, j) goes (before the register shift).
        @inlinable
        public func dstAddress(_ i: Int64, _ j: Int64) -> Int64 { dst + i * dstRowStride + j * dstColStride }

        /// A's digits as (extent, stride) pairs, outermost first: the
        /// pattern every address of A lies in.
        public var aPattern: [(extent: Int64, stride: Int64)] {
            let rowOuter = aRowInner > 0 ? m / aRowInner : 0, colInnerSize = aColMiddle * aColInner
            let colOuter = colInnerSize > 0 ? k / colInnerSize : 0
            return [(rowOuter, aRowStride), (aRowInner, aRowInnerStride), (colOuter, aColStride),
                    (aColMiddle, aColMiddleStride), (aColInner, aColInnerStride)]
        }
    }

    /// A unary element-wise function.
    public enum MapFunction: Hashable, Sendable {
        /// Table lookup (index into the program's table list).
        case lookup(table: Int64)
        /// min(max(x, lo), hi): ReLU is clamp(0, 2^31 − 1); Clip in general.
        case clamp(lo: Int64, hi: Int64)
        /// rescale(x, shift).
        case rescale(shift: Int64)
    }

    public struct Map: Hashable, Sendable {
        public var dst, src, count, dstStride, srcStride: Int64
        public var function: MapFunction
        public init(dst: Int64, src: Int64, count: Int64, dstStride: Int64 = 1, srcStride: Int64 = 1, function: MapFunction) {
            self.dst = dst; self.src = src; self.count = count
            self.dstStride = dstStride; self.srcStride = srcStride; self.function = function
        }
    }

    /// A binary element-wise operation.
    public enum ZipOperation: Hashable, Sendable {
        case add, sub, max, min
        /// rescale(a·b, shift).
        case mul(shift: Int64)
    }

    public struct Zip: Hashable, Sendable {
        public var dst, a, b, count, dstStride, aStride, bStride: Int64
        public var operation: ZipOperation
        public init(dst: Int64, a: Int64, b: Int64, count: Int64, dstStride: Int64 = 1, aStride: Int64 = 1,
                    bStride: Int64 = 1, operation: ZipOperation) {
            self.dst = dst; self.a = a; self.b = b; self.count = count
            self.dstStride = dstStride; self.aStride = aStride; self.bStride = bStride; self.operation = operation
        }
    }

    /// A reduction to one value.
    public enum ReduceOperation: Hashable, Sendable {
        /// rescale(Σ, shift).
        case sum(shift: Int64)
        case max
        /// The flat index r·cols + c of the first maximum.
        case argmax
    }

    public struct Reduce: Hashable, Sendable {
        public var dst, src, rows, cols, rowStride, colStride: Int64
        public var operation: ReduceOperation
        public init(dst: Int64, src: Int64, rows: Int64, cols: Int64, rowStride: Int64, colStride: Int64 = 1,
                    operation: ReduceOperation) {
            self.dst = dst; self.src = src; self.rows = rows; self.cols = cols
            self.rowStride = rowStride; self.colStride = colStride; self.operation = operation
        }
    }

    public struct Copy: Hashable, Sendable {
        public var dst, src: Int64
        /// Up to four dimensions, outermost first; unused trailing dims are 1.
        public var shape: [Int64]
        /// Source strides per dimension (same length as `shape`).
        public var strides: [Int64]
        public init(dst: Int64, src: Int64, shape: [Int64], strides: [Int64]) {
            self.dst = dst; self.src = src; self.shape = shape; self.strides = strides
        }
    }

    /// The opcode that executes this operation.
    public var opcode: Opcode {
        switch self {
        case .matmul: .matmul
        case .map: .map
        case .zip: .zip
        case .reduce: .reduce
        case .copy: .copy
        }
    }
}

extension TensorOperation.Copy {
    /// Σ_d i_d·stride_d for every index of the shape in row-major order: the
    /// source offset (relative to `src`) of each destination element f.
    public func sourceOffsets() -> [Int64] {
        let total = shape.reduce(1) { $0 * max(0, $1) }
        var out = [Int64]()
        out.reserveCapacity(Int(total))
        var index = [Int64](repeating: 0, count: shape.count)
        for _ in 0..<total {
            out.append(zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 })
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return out
    }
}
