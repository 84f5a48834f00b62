import Field
import Parallel

/// Number-theoretic transforms over the Goldilocks field for power-of-two
/// sizes 1 … 2^32 (practically up to 2^24), on the subgroup H = ⟨ω_n⟩ with
/// ω_n = `Goldilocks.rootOfUnity(logOrder: log2 n)`.
///
/// * `forward`: coefficients a_j → evaluations y_i = Σ_j a_j·ω_n^{ij}.
/// * `inverse`: evaluations → coefficients (includes the 1/n factor).
/// Each comes in a natural-order form and in the bit-reversed forms used by
/// the low-degree extension, so callers never pay a permutation twice.
/// Results are identical at any thread count: each element's value is a fixed
/// sequence of field operations, only the distribution over threads changes.
/// Sizes ≥ 2^14 use `threads` workers. (Spec/polynomials.md)
public enum NTT {
    /// Sizes below this run on one thread (fork/join would cost more).
    public static let parallelThreshold = 1 << 14

    @inlinable
    static func effectiveThreads(_ count: Int, _ threads: Int) -> Int {
        count >= parallelThreshold ? threads : 1
    }

    @inlinable
    static func checkSize(_ count: Int) -> Int {
        precondition(count > 0 && count & (count - 1) == 0, "NTT size must be a power of two")
        let log = count.trailingZeroBitCount
        precondition(log <= Goldilocks.twoAdicity, "NTT size exceeds 2^32")
        return log
    }

    /// The one in-place driver behind the four public orderings: DIF
    /// (natural → bit-reversed) or DIT (bit-reversed → natural), with the
    /// forward or inverse twiddle table (the inverse is unscaled).
    @inlinable
    static func transform(_ x: UnsafeMutablePointer<Goldilocks>, count: Int, inverse: Bool,
                          decimationInFrequency: Bool, threads: Int) {
        let log = checkSize(count)
        let table = TwiddleCache.table(logSize: log, inverse: inverse)
        let workers = effectiveThreads(count, threads)
        x.withMemoryRebound(to: UInt64.self, capacity: count) { words in
            if decimationInFrequency {
                NTTKernels.dif(words, count: count, roots: table.roots, threads: workers)
            } else {
                NTTKernels.dit(words, count: count, roots: table.roots, threads: workers)
            }
        }
        withExtendedLifetime(table) {}
    }

    /// Natural-order coefficients → bit-reversed evaluations (DIF), in place.
    @inlinable
    public static func forwardToBitReversed(_ x: UnsafeMutablePointer<Goldilocks>, count: Int,
                                            threads: Int = Parallel.defaultThreads) {
        transform(x, count: count, inverse: false, decimationInFrequency: true, threads: threads)
    }

    /// Bit-reversed coefficients → natural-order evaluations (DIT), in place.
    @inlinable
    public static func forwardFromBitReversed(_ x: UnsafeMutablePointer<Goldilocks>, count: Int,
                                              threads: Int = Parallel.defaultThreads) {
        transform(x, count: count, inverse: false, decimationInFrequency: false, threads: threads)
    }

    /// Natural-order evaluations → bit-reversed coefficients *times n* (DIF
    /// with inverse twiddles; the caller folds in 1/n).
    @inlinable
    public static func inverseToBitReversedUnscaled(_ x: UnsafeMutablePointer<Goldilocks>, count: Int,
                                                    threads: Int = Parallel.defaultThreads) {
        transform(x, count: count, inverse: true, decimationInFrequency: true, threads: threads)
    }

    /// Bit-reversed evaluations → natural-order coefficients *times n*.
    @inlinable
    public static func inverseFromBitReversedUnscaled(_ x: UnsafeMutablePointer<Goldilocks>, count: Int,
                                                      threads: Int = Parallel.defaultThreads) {
        transform(x, count: count, inverse: true, decimationInFrequency: false, threads: threads)
    }

    /// Coefficients → evaluations, both in natural order.
    public static func forward(_ values: inout [Goldilocks], threads: Int = Parallel.defaultThreads) {
        let n = values.count
        _ = checkSize(n)
        values.withUnsafeMutableBufferPointer { b in
            BitReversal.permute(b.baseAddress!, count: n)
            forwardFromBitReversed(b.baseAddress!, count: n, threads: threads)
        }
    }

    /// Evaluations → coefficients, both in natural order.
    public static func inverse(_ values: inout [Goldilocks], threads: Int = Parallel.defaultThreads) {
        let n = values.count
        let log = checkSize(n)
        values.withUnsafeMutableBufferPointer { b in
            BitReversal.permute(b.baseAddress!, count: n)
            inverseFromBitReversedUnscaled(b.baseAddress!, count: n, threads: threads)
            scale(b.baseAddress!, count: n, by: inverseOfPowerOfTwo(log), threads: threads)
        }
    }

    /// 1/2^k in F_p.
    @inlinable
    public static func inverseOfPowerOfTwo(_ k: Int) -> Goldilocks {
        // 2^−1 = (p + 1)/2; repeated halving is exact.
        Goldilocks(canonicalUnchecked: (Goldilocks.modulus >> 1) + 1).power(UInt64(k))
    }

    /// x[i] *= c for all i.
    @inlinable
    public static func scale(_ x: UnsafeMutablePointer<Goldilocks>, count: Int, by c: Goldilocks,
                             threads: Int = Parallel.defaultThreads) {
        let shared = SharedMutablePointer(x)
        Parallel.forEachChunk(count, granularity: 4096, threads: effectiveThreads(count, threads)) { r in
            for i in r { shared.base[i] = shared.base[i] * c }
        }
    }
}
