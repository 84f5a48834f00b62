import Field

/// Bit-reversal permutation: element i moves to index reverse_k(i), where
/// reverse_k reverses the low k = log2(count) bits.
public enum BitReversal {
    /// reverse_k(i) for i < 2^k.
    @inlinable @inline(__always)
    public static func reverse(_ i: Int, bits k: Int) -> Int {
        k == 0 ? 0 : Int(truncatingIfNeeded: reverse64(UInt64(truncatingIfNeeded: i)) >> UInt64(64 - k))
    }

    /// All 64 bits reversed (swap halves, then quarters, … then single bits).
    @inlinable @inline(__always)
    static func reverse64(_ value: UInt64) -> UInt64 {
        var v = value
        v = (v >> 1) & 0x5555_5555_5555_5555 | (v & 0x5555_5555_5555_5555) << 1
        v = (v >> 2) & 0x3333_3333_3333_3333 | (v & 0x3333_3333_3333_3333) << 2
        v = (v >> 4) & 0x0F0F_0F0F_0F0F_0F0F | (v & 0x0F0F_0F0F_0F0F_0F0F) << 4
        return v.byteSwapped
    }

    /// Permutes `values` in place (count must be a power of two).
    ///
    /// Swaps are done in tiles: index bits are split into high h, middle, and
    /// low l parts; for a fixed middle part the 2^h × 2^l tile of elements is
    /// exchanged with its mirror tile, so both tiles stay in cache.
    @inlinable
    public static func permute<T>(_ values: inout [T]) {
        let n = values.count
        precondition(n > 0 && n & (n - 1) == 0, "bit reversal needs a power-of-two count")
        values.withUnsafeMutableBufferPointer { buffer in
            permute(buffer.baseAddress!, count: n)
        }
    }

    @inlinable
    public static func permute<T>(_ x: UnsafeMutablePointer<T>, count n: Int) {
        let k = n.trailingZeroBitCount
        let tileBits = 4
        if k < 2 * tileBits + 2 {
            for i in 0..<n {
                let r = reverse(i, bits: k)
                if i < r { x.swapAt(i, r) }
            }
            return
        }
        // i = hi·2^(k−t) + mid·2^t + lo, with hi, lo of t bits;
        // reverse(i) = rev(lo)·2^(k−t) + rev(mid)·2^t + rev(hi).
        let t = tileBits
        let midBits = k - 2 * t
        let tile = 1 << t
        for mid in 0..<(1 << midBits) {
            let rmid = reverse(mid, bits: midBits)
            if mid > rmid { continue }
            for hi in 0..<tile {
                let rhi = reverse(hi, bits: t)
                for lo in 0..<tile {
                    let i = (hi << (k - t)) | (mid << t) | lo
                    let r = (reverse(lo, bits: t) << (k - t)) | (rmid << t) | rhi
                    // Tiles mid < rmid pair off entirely; a self-mirrored tile
                    // swaps each pair once.
                    if mid < rmid || i < r { x.swapAt(i, r) }
                }
            }
        }
    }
}

extension UnsafeMutablePointer {
    @inlinable @inline(__always)
    func swapAt(_ i: Int, _ j: Int) {
        let tmp = self[i]
        self[i] = self[j]
        self[j] = tmp
    }
}
