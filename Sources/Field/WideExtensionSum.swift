/// Σ v_k·(e0_k, e1_k, e2_k) over base values v_k and extension coefficients
/// e_k, accumulated unreduced: each coefficient sum is a 192-bit integer
/// (lo, hi, top) — 2^64 products of < 2^128 each cannot overflow it — and is
/// reduced once at the end (2^64 ≡ ε, 2^128 ≡ ε² mod p).
@frozen
public struct WideExtensionSum {
    @usableFromInline var lo = (UInt64(0), UInt64(0), UInt64(0))
    @usableFromInline var hi = (UInt64(0), UInt64(0), UInt64(0))
    @usableFromInline var top = (UInt64(0), UInt64(0), UInt64(0))

    @inlinable public init() {}

    @inlinable @inline(__always)
    static func accumulate(_ lo: inout UInt64, _ hi: inout UInt64, _ top: inout UInt64, _ a: UInt64, _ b: UInt64) {
        let (h, l) = a.multipliedFullWidth(by: b)
        let (l2, c1) = lo.addingReportingOverflow(l)
        lo = l2
        let (h2, c2) = hi.addingReportingOverflow(h &+ (c1 ? 1 : 0))   // h ≤ 2^64 − 2, so h + 1 cannot wrap
        hi = h2
        top &+= c2 ? 1 : 0
    }

    /// Adds v·(e0, e1, e2); all four are canonical values (< p).
    @inlinable @inline(__always)
    public mutating func add(_ v: UInt64, _ e0: UInt64, _ e1: UInt64, _ e2: UInt64) {
        Self.accumulate(&lo.0, &hi.0, &top.0, v, e0)
        Self.accumulate(&lo.1, &hi.1, &top.1, v, e1)
        Self.accumulate(&lo.2, &hi.2, &top.2, v, e2)
    }

    @usableFromInline static let twoTo64 = Goldilocks(reducing: 0xFFFF_FFFF)   // 2^64 mod p = ε
    @usableFromInline static let twoTo128 = twoTo64 * twoTo64

    @inlinable @inline(__always)
    static func reduce(_ lo: UInt64, _ hi: UInt64, _ top: UInt64) -> Goldilocks {
        Goldilocks(reducing: lo) + Goldilocks(reducing: hi) * twoTo64 + Goldilocks(reducing: top) * twoTo128
    }

    /// The sum, reduced into the extension field.
    @inlinable
    public var reduced: GoldilocksExt3 {
        GoldilocksExt3(Self.reduce(lo.0, hi.0, top.0), Self.reduce(lo.1, hi.1, top.1), Self.reduce(lo.2, hi.2, top.2))
    }
}
