/// Arithmetic on *unreduced* words: any UInt64 x stands for x mod p, and
/// results are again arbitrary words in [0, 2^64) congruent to the exact
/// result. Hot kernels (the NTT) chain these and canonicalize once at the end,
/// saving the final conditional subtraction of every operation. This is the
/// representation Plonky3 uses for Goldilocks throughout.
extension Goldilocks {
    /// a + b (mod p) for any words a, b.
    ///
    /// a + b = s + c·2^64 ≡ s + c·ε. Adding c·ε overflows only if
    /// s > 2^64 − 1 − ε, probability ≈ 2^−32 (slow path), and then one more ε
    /// cannot overflow again since the wrapped value is < ε.
    @inlinable @inline(__always)
    public static func lazyAdd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let wide = UInt128(a) &+ UInt128(b)
        let carry = UInt64(truncatingIfNeeded: wide &>> 64)
        let (t, c2) = UInt64(truncatingIfNeeded: wide).addingReportingOverflow(carry &* epsilon)
        if _slowPath(c2) { return t &+ epsilon }
        return t
    }

    /// a − b (mod p) for any words a, b: a borrow means + 2^64 ≡ + ε, so ε is
    /// subtracted; a second borrow (probability ≈ 2^−32) subtracts ε again.
    @inlinable @inline(__always)
    public static func lazySubtract(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let wide = UInt128(a) &- UInt128(b)
        let borrow = UInt64(truncatingIfNeeded: wide &>> 64) & 1
        let (t, c2) = UInt64(truncatingIfNeeded: wide).subtractingReportingOverflow(borrow &* epsilon)
        if _slowPath(c2) { return t &- epsilon }
        return t
    }

    /// a · b (mod p) for any words a, b, unreduced result.
    @inlinable @inline(__always)
    public static func lazyMultiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return lazyReduce128(high: high, low: low)
    }

    /// x = high·2^64 + low, unreduced: with high = h1·2^32 + h0,
    /// x ≡ low − h1 + h0·ε (2^96 ≡ −1, 2^64 ≡ ε). The borrow of low − h1 has
    /// probability ≈ 2^−32 (slow path; the wrapped word is ≥ 2^64 − 2^32 > ε,
    /// so subtracting ε cannot borrow again); h0·ε < 2^64.
    @inlinable @inline(__always)
    public static func lazyReduce128(high: UInt64, low: UInt64) -> UInt64 {
        let h1 = high >> 32
        let h0 = high & epsilon
        var (t0, borrow) = low.subtractingReportingOverflow(h1)
        if _slowPath(borrow) { t0 &-= epsilon }
        return lazyAdd(t0, h0 &* epsilon)
    }

    /// The canonical residue of an unreduced word.
    @inlinable @inline(__always)
    public static func canonical(_ word: UInt64) -> Goldilocks {
        Goldilocks(canonicalUnchecked: canonicalize(word))
    }
}
