import Field
import Parallel

/// Low-degree extension of a column of evaluations (Spec/polynomials.md §LDE).
///
/// Input: the n = 2^k values of a polynomial f (deg f < n) on H = ⟨ω_n⟩, in
/// natural order. Output: the N = n·2^b values of f on the coset s·⟨ω_N⟩,
/// in bit-reversed order: position r holds f(s·ω_N^{reverse_N(r)}). In that
/// order positions 2r and 2r + 1 hold f(x) and f(−x), the pair FRI folds.
///
/// Method: one inverse NTT gives the coefficients; since
/// reverse_N(c·n + a) = reverse_n(a)·2^b + reverse_{2^b}(c), the output is
/// 2^b contiguous chunks, chunk c being the bit-reversed size-n NTT of the
/// coefficients on the coset s·ω_N^{reverse(c)}·H. Each chunk is one size-n
/// forward NTT of the coefficients scaled by (s_c)^i / n — no zero padding, and
/// the chunks are independent work for the cores.
public enum LowDegreeExtension {
    /// Largest supported blowup exponent (blowup 2^4 = 16).
    public static let maxLogBlowup = 4

    /// The default coset shift: the multiplicative generator 7, outside every
    /// 2-power subgroup (7 is a quadratic non-residue).
    public static let defaultShift = Goldilocks.generator

    /// Extends one column; see the type documentation for the output order.
    /// - Precondition: `evaluations.count` is a power of two, 0 ≤ logBlowup ≤ 4,
    ///   shift ≠ 0.
    /// - Parameter chunkCount: compute only the first chunks (cosets) of the
    ///   output, 1…2^logBlowup (all by default); the result then has
    ///   chunkCount·n values, a prefix of the full extension.
    public static func extend(_ evaluations: [Goldilocks], logBlowup: Int,
                              shift: Goldilocks = defaultShift, chunkCount: Int? = nil,
                              threads: Int = Parallel.defaultThreads) -> [Goldilocks] {
        let n = evaluations.count
        checkArguments(count: n, logBlowup: logBlowup, shift: shift)
        let chunks = chunkCount ?? 1 << logBlowup
        precondition(chunks >= 1 && chunks <= 1 << logBlowup, "chunk count must be 1…blowup")
        // Coefficients × n, natural order.
        var coefficients = evaluations
        coefficients.withUnsafeMutableBufferPointer { b in
            BitReversal.permute(b.baseAddress!, count: n)
            NTT.inverseFromBitReversedUnscaled(b.baseAddress!, count: n, threads: threads)
        }
        return extendScaled(coefficients, by: NTT.inverseOfPowerOfTwo(n.trailingZeroBitCount),
                            logBlowup: logBlowup, shift: shift, threads: threads, chunkCount: chunks)
    }

    /// Extends a polynomial given by its n coefficients (lowest first, n a
    /// power of two) to the same bit-reversed coset layout as `extend`.
    public static func extend(coefficients: [Goldilocks], logBlowup: Int,
                              shift: Goldilocks = defaultShift,
                              threads: Int = Parallel.defaultThreads) -> [Goldilocks] {
        checkArguments(count: coefficients.count, logBlowup: logBlowup, shift: shift)
        return extendScaled(coefficients, by: .one, logBlowup: logBlowup, shift: shift, threads: threads)
    }

    static func checkArguments(count n: Int, logBlowup: Int, shift: Goldilocks) {
        precondition(n > 0 && n & (n - 1) == 0, "LDE input size must be a power of two")
        precondition(logBlowup >= 0 && logBlowup <= maxLogBlowup, "blowup must be 1…16")
        precondition(!shift.isZero, "coset shift must be non-zero")
    }

    /// Extends one column into caller-provided memory (`out` holds
    /// n·2^logBlowup elements; initialized or not, every one is written), so
    /// a caller extending many columns reuses one buffer instead of fresh
    /// pages per column. Same output order as `extend`.
    public static func extend(_ evaluations: UnsafeBufferPointer<Goldilocks>, into out: UnsafeMutablePointer<Goldilocks>,
                              logBlowup: Int, shift: Goldilocks = defaultShift, threads: Int = Parallel.defaultThreads) {
        let n = evaluations.count
        checkArguments(count: n, logBlowup: logBlowup, shift: shift)
        // Coefficients × n, natural order (an n-element scratch; `out` is 2^b times larger).
        let scratch = UnsafeMutablePointer<Goldilocks>.allocate(capacity: n)
        defer { scratch.deallocate() }
        scratch.initialize(from: evaluations.baseAddress!, count: n)
        BitReversal.permute(scratch, count: n)
        NTT.inverseFromBitReversedUnscaled(scratch, count: n, threads: threads)
        extendScaled(UnsafePointer(scratch), count: n, by: NTT.inverseOfPowerOfTwo(n.trailingZeroBitCount),
                     into: out, logBlowup: logBlowup, shift: shift, threads: threads)
    }

    /// Extends coefficients (n of them, lowest first) into caller-provided memory.
    public static func extend(coefficients: UnsafeBufferPointer<Goldilocks>, into out: UnsafeMutablePointer<Goldilocks>,
                              logBlowup: Int, shift: Goldilocks = defaultShift, threads: Int = Parallel.defaultThreads) {
        checkArguments(count: coefficients.count, logBlowup: logBlowup, shift: shift)
        extendScaled(coefficients.baseAddress!, count: coefficients.count, by: .one, into: out,
                     logBlowup: logBlowup, shift: shift, threads: threads)
    }

    /// The shared second half: coefficients·`factor` evaluated on the 2^b cosets.
    static func extendScaled(_ coefficients: [Goldilocks], by invN: Goldilocks, logBlowup: Int,
                             shift: Goldilocks, threads: Int, chunkCount: Int? = nil) -> [Goldilocks] {
        let chunks = chunkCount ?? 1 << logBlowup
        let size = coefficients.count * chunks
        return [Goldilocks](unsafeUninitializedCapacity: size) { out, initialized in
            coefficients.withUnsafeBufferPointer { src in
                extendScaled(src.baseAddress!, count: src.count, by: invN, into: out.baseAddress!,
                             logBlowup: logBlowup, shift: shift, threads: threads, chunkCount: chunks)
            }
            initialized = size
        }
    }

    /// Extends a masked column: the polynomial ŵ = w + Z_H·r with w the
    /// interpolant of `evaluations` on H (n points) and r the mask of degree
    /// < `mask.count` ≤ n (Spec/zk.md §2.1). ŵ = (w − r) + X^n·r has degree
    /// < n + h and equals w on H. Same output layout as `extend`.
    public static func extend(_ evaluations: UnsafeBufferPointer<Goldilocks>, mask: UnsafeBufferPointer<Goldilocks>,
                              into out: UnsafeMutablePointer<Goldilocks>, logBlowup: Int,
                              shift: Goldilocks = defaultShift, threads: Int = Parallel.defaultThreads) {
        let n = evaluations.count
        checkArguments(count: n, logBlowup: logBlowup, shift: shift)
        precondition(mask.count <= n, "a mask has at most n coefficients")
        let scratch = UnsafeMutablePointer<Goldilocks>.allocate(capacity: n)
        defer { scratch.deallocate() }
        scratch.initialize(from: evaluations.baseAddress!, count: n)
        BitReversal.permute(scratch, count: n)
        NTT.inverseFromBitReversedUnscaled(scratch, count: n, threads: threads)
        // The scratch holds n·w's coefficients: subtract n·r.
        let bigN = Goldilocks(n)
        for i in 0..<mask.count { scratch[i] = scratch[i] - bigN * mask[i] }
        extendScaled(UnsafePointer(scratch), count: n, by: NTT.inverseOfPowerOfTwo(n.trailingZeroBitCount),
                     into: out, logBlowup: logBlowup, shift: shift, threads: threads,
                     high: mask.baseAddress, highCount: mask.count)
    }

    /// Extends a polynomial of degree < n + e given by its coefficients in
    /// two parts, `low` (n, a power of two) and `high` (e ≤ n): f = low + X^n·high.
    /// Same output layout as `extend` for n points.
    public static func extend(low: UnsafeBufferPointer<Goldilocks>, high: UnsafeBufferPointer<Goldilocks>,
                              into out: UnsafeMutablePointer<Goldilocks>, logBlowup: Int,
                              shift: Goldilocks = defaultShift, threads: Int = Parallel.defaultThreads) {
        checkArguments(count: low.count, logBlowup: logBlowup, shift: shift)
        precondition(high.count <= low.count, "the high part has at most n coefficients")
        extendScaled(low.baseAddress!, count: low.count, by: .one, into: out, logBlowup: logBlowup, shift: shift,
                     threads: threads, high: high.baseAddress, highCount: high.count)
    }

    /// Chunk c holds f on the coset s_c·H, where x^n = t_c = s_c^n is
    /// constant: f(x) = Σ_{i<n} (low_i·invN + t_c·high_i)·x^i there, one
    /// size-n NTT per chunk as without a high part.
    static func extendScaled(_ source: UnsafePointer<Goldilocks>, count n: Int, by invN: Goldilocks,
                             into out: UnsafeMutablePointer<Goldilocks>, logBlowup: Int, shift: Goldilocks, threads: Int,
                             high: UnsafePointer<Goldilocks>? = nil, highCount: Int = 0, chunkCount: Int? = nil) {
        let logN = n.trailingZeroBitCount + logBlowup
        precondition(logN <= Goldilocks.twoAdicity, "extended domain exceeds 2^32")
        let chunks = chunkCount ?? 1 << logBlowup
        let omegaBig = Goldilocks.rootOfUnity(logOrder: logN)
        let outer = min(chunks, max(1, threads))
        let inner = max(1, threads / outer)
        let dst = SharedMutablePointer(out)
        Parallel.forEach(outer, threads: outer) { worker in
            var c = worker
            while c < chunks {
                let cosetShift = shift * omegaBig.power(UInt64(BitReversal.reverse(c, bits: logBlowup)))
                let chunk = dst.base + c * n
                scaleByPowers(source, into: chunk, count: n, first: invN, ratio: cosetShift)
                if let high, highCount > 0 {
                    var power = cosetShift.power(UInt64(n))   // t_c·s_c^i
                    for i in 0..<highCount { chunk[i] = chunk[i] + high[i] * power; power = power * cosetShift }
                }
                NTT.forwardToBitReversed(chunk, count: n, threads: inner)
                c += outer
            }
        }
    }

    /// dst[i] = src[i] · first · ratio^i, with four interleaved power chains so
    /// the multiplier pipeline stays full.
    @inlinable
    static func scaleByPowers(_ src: UnsafePointer<Goldilocks>, into dst: UnsafeMutablePointer<Goldilocks>,
                              count: Int, first: Goldilocks, ratio: Goldilocks) {
        if count < 4 {
            var acc = first
            for i in 0..<count { dst.advanced(by: i).initialize(to: src[i] * acc); acc = acc * ratio }
            return
        }
        let r4 = ratio.squared().squared()
        var a0 = first, a1 = first * ratio
        var a2 = a1 * ratio, a3 = a2 * ratio
        var i = 0
        while i < count {
            dst.advanced(by: i).initialize(to: src[i] * a0)
            dst.advanced(by: i + 1).initialize(to: src[i + 1] * a1)
            dst.advanced(by: i + 2).initialize(to: src[i + 2] * a2)
            dst.advanced(by: i + 3).initialize(to: src[i + 3] * a3)
            a0 = a0 * r4; a1 = a1 * r4; a2 = a2 * r4; a3 = a3 * r4
            i += 4
        }
    }

    /// The domain point at bit-reversed position `r` of an extension of size
    /// 2^logSize with coset shift `shift`: shift·ω^{reverse(r)}.
    /// - Precondition: 0 ≤ r < 2^logSize (callers validate untrusted positions first).
    public static func point(at r: Int, logSize: Int, shift: Goldilocks = defaultShift) -> Goldilocks {
        precondition(logSize >= 0 && logSize <= Goldilocks.twoAdicity && r >= 0 && r < 1 << logSize,
                     "domain position out of range")
        return shift * Goldilocks.rootOfUnity(logOrder: logSize).power(UInt64(BitReversal.reverse(r, bits: logSize)))
    }
}
