import Field
import Parallel

/// In-place radix-2/radix-4 butterfly passes on raw pointers (Spec/polynomials.md).
///
/// Notation: x has `count` = 2^k elements; a layer of half-size m pairs x[s+j]
/// with x[s+j+m] for every block start s ≡ 0 (mod 2m) and j < m, with twiddle
/// w = roots[m + j] = ω_{2m}^j.
///
/// * DIF (Gentleman–Sande), layers m = n/2 … 1: (u, v) ↦ (u + v, (u − v)·w).
///   Natural-order input → bit-reversed output.
/// * DIT (Cooley–Tukey), layers m = 1 … n/2: (u, v) ↦ (u + v·w, u − v·w).
///   Bit-reversed input → natural-order output.
///
/// Values are unreduced words (`Goldilocks.lazyAdd` etc.) between layers; the
/// drivers `dif`/`dit` take canonical input and leave canonical output.
///
/// Two consecutive layers are fused into one radix-4 pass (half the memory
/// traffic); layers whose blocks fit in `cacheBlock` elements are run block by
/// block so a block stays in L1 while all its small layers run.
@usableFromInline
enum NTTKernels {
    @usableFromInline typealias L = Goldilocks

    /// Elements per cache block: 2^12 × 8 bytes = 32 KiB (L1d is 48 KiB here).
    @usableFromInline static let cacheBlock = 1 << 12

    // MARK: DIF

    /// One radix-4 DIF pass: layers m = 2q and q, on butterfly indices
    /// `range` ⊆ [0, count/4) (index t ↦ block t / q, offset t % q).
    @inlinable @inline(__always)
    static func difRadix4(_ x: UnsafeMutablePointer<UInt64>, q: Int,
                          roots: UnsafePointer<UInt64>, range: Range<Int>) {
        let m = 2 * q
        var t = range.lowerBound
        while t < range.upperBound {
            let block = t / q
            let j0 = t - block * q
            let j1 = min(q, j0 + (range.upperBound - t))
            let b = x + block * 4 * q
            for j in j0..<j1 {
                let x0 = b[j], x1 = b[j + q], x2 = b[j + 2 * q], x3 = b[j + 3 * q]
                let wm0 = roots[m + j], wm1 = roots[m + j + q], wq = roots[q + j]
                let y0 = L.lazyAdd(x0, x2), y2 = L.lazyMultiply(L.lazySubtract(x0, x2), wm0)
                let y1 = L.lazyAdd(x1, x3), y3 = L.lazyMultiply(L.lazySubtract(x1, x3), wm1)
                b[j] = L.lazyAdd(y0, y1)
                b[j + q] = L.lazyMultiply(L.lazySubtract(y0, y1), wq)
                b[j + 2 * q] = L.lazyAdd(y2, y3)
                b[j + 3 * q] = L.lazyMultiply(L.lazySubtract(y2, y3), wq)
            }
            t += j1 - j0
        }
    }

    /// One radix-2 DIF layer of half-size m over butterfly indices `range` ⊆ [0, count/2).
    /// Used for outer layers only (m ≥ 2); the m = 1 layer is `radix2Unit`.
    @inlinable @inline(__always)
    static func difRadix2(_ x: UnsafeMutablePointer<UInt64>, m: Int,
                          roots: UnsafePointer<UInt64>, range: Range<Int>) {
        var t = range.lowerBound
        while t < range.upperBound {
            let block = t / m
            let j0 = t - block * m
            let j1 = min(m, j0 + (range.upperBound - t))
            let b = x + block * 2 * m
            for j in j0..<j1 {
                let u = b[j], v = b[j + m]
                b[j] = L.lazyAdd(u, v)
                b[j + m] = L.lazyMultiply(L.lazySubtract(u, v), roots[m + j])
            }
            t += j1 - j0
        }
    }

    /// A radix-4 DIF pass over all of x[0..<count] (no index division: used
    /// inside cache blocks where q is small). For q = 1 the twiddles are
    /// ω_4^0 = 1, ω_4^1 and ω_2^0 = 1, so one multiplication remains.
    @inlinable @inline(__always)
    static func difRadix4Whole(_ x: UnsafeMutablePointer<UInt64>, count: Int, q: Int,
                               roots: UnsafePointer<UInt64>) {
        if q == 1 {
            let w4 = roots[3]
            var b = x
            let end = x + count
            while b < end {
                let x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3]
                let y0 = L.lazyAdd(x0, x2), y2 = L.lazySubtract(x0, x2)
                let y1 = L.lazyAdd(x1, x3), y3 = L.lazyMultiply(L.lazySubtract(x1, x3), w4)
                b[0] = L.lazyAdd(y0, y1)
                b[1] = L.lazySubtract(y0, y1)
                b[2] = L.lazyAdd(y2, y3)
                b[3] = L.lazySubtract(y2, y3)
                b += 4
            }
            return
        }
        let m = 2 * q
        var b = x
        let end = x + count
        while b < end {
            for j in 0..<q {
                let x0 = b[j], x1 = b[j + q], x2 = b[j + 2 * q], x3 = b[j + 3 * q]
                let wm0 = roots[m + j], wm1 = roots[m + j + q], wq = roots[q + j]
                let y0 = L.lazyAdd(x0, x2), y2 = L.lazyMultiply(L.lazySubtract(x0, x2), wm0)
                let y1 = L.lazyAdd(x1, x3), y3 = L.lazyMultiply(L.lazySubtract(x1, x3), wm1)
                b[j] = L.lazyAdd(y0, y1)
                b[j + q] = L.lazyMultiply(L.lazySubtract(y0, y1), wq)
                b[j + 2 * q] = L.lazyAdd(y2, y3)
                b[j + 3 * q] = L.lazyMultiply(L.lazySubtract(y2, y3), wq)
            }
            b += 4 * q
        }
    }

    /// The last DIF layer (m = 1, twiddle 1) over all of x[0..<count].
    @inlinable @inline(__always)
    static func radix2Unit(_ x: UnsafeMutablePointer<UInt64>, count: Int) {
        var b = x
        let end = x + count
        while b < end {
            let u = b[0], v = b[1]
            b[0] = L.lazyAdd(u, v)
            b[1] = L.lazySubtract(u, v)
            b += 2
        }
    }

    /// All DIF layers with half-size in [1, mTop] on x[0..<count], one thread.
    @inlinable
    static func difLayers(_ x: UnsafeMutablePointer<UInt64>, count: Int, mTop: Int,
                          roots: UnsafePointer<UInt64>) {
        var m = mTop
        while m >= 2 {
            difRadix4Whole(x, count: count, q: m / 2, roots: roots)
            m /= 4
        }
        if m == 1 { radix2Unit(x, count: count) }
    }

    /// The full DIF transform of size `count` (a power of two).
    @inlinable
    static func dif(_ x: UnsafeMutablePointer<UInt64>, count: Int,
                    roots: UnsafePointer<UInt64>, threads: Int) {
        guard count >= 2 else { return }
        let block = min(count, cacheBlock)
        var m = count / 2
        let shared = SharedMutablePointer(x)
        // Outer layers: blocks larger than a cache block, full-array passes.
        while m >= block {
            if m / 2 >= block {
                let q = m / 2
                Parallel.forEachChunk(count / 4, granularity: 256, threads: threads) { r in
                    difRadix4(shared.base, q: q, roots: roots, range: r)
                }
                m /= 4
            } else {
                let mm = m
                Parallel.forEachChunk(count / 2, granularity: 256, threads: threads) { r in
                    difRadix2(shared.base, m: mm, roots: roots, range: r)
                }
                m /= 2
            }
        }
        // Inner layers: each cache block independently, canonicalized while in cache.
        let mInner = m
        Parallel.forEachChunk(count / block, threads: threads) { blocks in
            for bIndex in blocks {
                let base = shared.base + bIndex * block
                difLayers(base, count: block, mTop: mInner, roots: roots)
                canonicalize(base, count: block)
            }
        }
    }

    // MARK: DIT

    /// One radix-4 DIT pass: layers q then m = 2q (the mirror of `difRadix4`).
    @inlinable @inline(__always)
    static func ditRadix4(_ x: UnsafeMutablePointer<UInt64>, q: Int,
                          roots: UnsafePointer<UInt64>, range: Range<Int>) {
        let m = 2 * q
        var t = range.lowerBound
        while t < range.upperBound {
            let block = t / q
            let j0 = t - block * q
            let j1 = min(q, j0 + (range.upperBound - t))
            let b = x + block * 4 * q
            for j in j0..<j1 {
                let x0 = b[j], x1 = b[j + q], x2 = b[j + 2 * q], x3 = b[j + 3 * q]
                let wq = roots[q + j], wm0 = roots[m + j], wm1 = roots[m + j + q]
                let v1 = L.lazyMultiply(x1, wq), v3 = L.lazyMultiply(x3, wq)
                let y0 = L.lazyAdd(x0, v1), y1 = L.lazySubtract(x0, v1)
                let y2 = L.lazyAdd(x2, v3), y3 = L.lazySubtract(x2, v3)
                let v2 = L.lazyMultiply(y2, wm0), v3b = L.lazyMultiply(y3, wm1)
                b[j] = L.lazyAdd(y0, v2)
                b[j + 2 * q] = L.lazySubtract(y0, v2)
                b[j + q] = L.lazyAdd(y1, v3b)
                b[j + 3 * q] = L.lazySubtract(y1, v3b)
            }
            t += j1 - j0
        }
    }

    /// One radix-2 DIT layer of half-size m over butterfly indices `range`
    /// (outer layers only, m ≥ 2).
    @inlinable @inline(__always)
    static func ditRadix2(_ x: UnsafeMutablePointer<UInt64>, m: Int,
                          roots: UnsafePointer<UInt64>, range: Range<Int>) {
        var t = range.lowerBound
        while t < range.upperBound {
            let block = t / m
            let j0 = t - block * m
            let j1 = min(m, j0 + (range.upperBound - t))
            let b = x + block * 2 * m
            for j in j0..<j1 {
                let u = b[j], v = L.lazyMultiply(b[j + m], roots[m + j])
                b[j] = L.lazyAdd(u, v)
                b[j + m] = L.lazySubtract(u, v)
            }
            t += j1 - j0
        }
    }

    /// A radix-4 DIT pass over all of x[0..<count] (see `difRadix4Whole`).
    @inlinable @inline(__always)
    static func ditRadix4Whole(_ x: UnsafeMutablePointer<UInt64>, count: Int, q: Int,
                               roots: UnsafePointer<UInt64>) {
        if q == 1 {
            let w4 = roots[3]
            var b = x
            let end = x + count
            while b < end {
                let x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3]
                let y0 = L.lazyAdd(x0, x1), y1 = L.lazySubtract(x0, x1)
                let y2 = L.lazyAdd(x2, x3), y3 = L.lazyMultiply(L.lazySubtract(x2, x3), w4)
                b[0] = L.lazyAdd(y0, y2)
                b[2] = L.lazySubtract(y0, y2)
                b[1] = L.lazyAdd(y1, y3)
                b[3] = L.lazySubtract(y1, y3)
                b += 4
            }
            return
        }
        let m = 2 * q
        var b = x
        let end = x + count
        while b < end {
            for j in 0..<q {
                let x0 = b[j], x1 = b[j + q], x2 = b[j + 2 * q], x3 = b[j + 3 * q]
                let wq = roots[q + j], wm0 = roots[m + j], wm1 = roots[m + j + q]
                let v1 = L.lazyMultiply(x1, wq), v3 = L.lazyMultiply(x3, wq)
                let y0 = L.lazyAdd(x0, v1), y1 = L.lazySubtract(x0, v1)
                let y2 = L.lazyAdd(x2, v3), y3 = L.lazySubtract(x2, v3)
                let v2 = L.lazyMultiply(y2, wm0), v3b = L.lazyMultiply(y3, wm1)
                b[j] = L.lazyAdd(y0, v2)
                b[j + 2 * q] = L.lazySubtract(y0, v2)
                b[j + q] = L.lazyAdd(y1, v3b)
                b[j + 3 * q] = L.lazySubtract(y1, v3b)
            }
            b += 4 * q
        }
    }

    /// All DIT layers with half-size in [1, mTop] on x[0..<count], one thread.
    @inlinable
    static func ditLayers(_ x: UnsafeMutablePointer<UInt64>, count: Int, mTop: Int,
                          roots: UnsafePointer<UInt64>) {
        var m = 1
        let layers = mTop.trailingZeroBitCount + 1
        if layers % 2 == 1 {
            radix2Unit(x, count: count)
            m = 2
        }
        while m <= mTop {
            ditRadix4Whole(x, count: count, q: m, roots: roots)
            m *= 4
        }
    }

    /// The full DIT transform of size `count` (a power of two).
    @inlinable
    static func dit(_ x: UnsafeMutablePointer<UInt64>, count: Int,
                    roots: UnsafePointer<UInt64>, threads: Int) {
        guard count >= 2 else { return }
        let block = min(count, cacheBlock)
        let shared = SharedMutablePointer(x)
        Parallel.forEachChunk(count / block, threads: threads) { blocks in
            for bIndex in blocks {
                ditLayers(shared.base + bIndex * block, count: block, mTop: block / 2, roots: roots)
            }
        }
        var m = block
        while m < count {
            if 2 * m < count {
                let q = m
                Parallel.forEachChunk(count / 4, granularity: 256, threads: threads) { r in
                    ditRadix4(shared.base, q: q, roots: roots, range: r)
                }
                m *= 4
            } else {
                let mm = m
                Parallel.forEachChunk(count / 2, granularity: 256, threads: threads) { r in
                    ditRadix2(shared.base, m: mm, roots: roots, range: r)
                }
                m *= 2
            }
        }
        Parallel.forEachChunk(count, granularity: block, threads: threads) { r in
            canonicalize(shared.base + r.lowerBound, count: r.count)
        }
    }

    /// Replaces unreduced words by their canonical residues.
    @inlinable
    static func canonicalize(_ x: UnsafeMutablePointer<UInt64>, count: Int) {
        for i in 0..<count { x[i] = Goldilocks.canonical(x[i]).value }
    }
}
