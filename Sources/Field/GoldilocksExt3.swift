/// An element c0 + c1·X + c2·X² of the cubic extension F_p[X]/(X³ − X − 1),
/// |F| = p³ ≈ 2^192: the field every verifier challenge is drawn from.
///
/// X³ − X − 1 is irreducible over the Goldilocks field (it has no root in F_p;
/// `FieldTests` checks this with Rabin's test), the same modulus Plonky3 and
/// Winterfell use. Each coefficient is a canonical `Goldilocks`. (Spec/field.md)
@frozen
public struct GoldilocksExt3: FieldElement {
    public var c0: Goldilocks
    public var c1: Goldilocks
    public var c2: Goldilocks

    @inlinable @inline(__always)
    public init(_ c0: Goldilocks, _ c1: Goldilocks, _ c2: Goldilocks) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
    }

    /// Embeds a base-field element.
    @inlinable @inline(__always)
    public init(_ base: Goldilocks) { self.init(base, .zero, .zero) }

    public static let zero = GoldilocksExt3(.zero, .zero, .zero)
    public static let one = GoldilocksExt3(.one, .zero, .zero)

    @inlinable public var isZero: Bool { c0.isZero && c1.isZero && c2.isZero }

    /// The coefficients as `[c0, c1, c2]`.
    @inlinable public var coefficients: [Goldilocks] { [c0, c1, c2] }

    /// The base-field value if c1 = c2 = 0.
    @inlinable public var baseValue: Goldilocks? { c1.isZero && c2.isZero ? c0 : nil }

    public var description: String { "(\(c0), \(c1), \(c2))" }
}

// MARK: - Arithmetic

extension GoldilocksExt3 {
    @inlinable @inline(__always)
    public static func + (a: GoldilocksExt3, b: GoldilocksExt3) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2)
    }

    @inlinable @inline(__always)
    public static func - (a: GoldilocksExt3, b: GoldilocksExt3) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2)
    }

    @inlinable @inline(__always)
    public static prefix func - (a: GoldilocksExt3) -> GoldilocksExt3 {
        GoldilocksExt3(-a.c0, -a.c1, -a.c2)
    }

    /// Product in F_p[X]/(X³ − X − 1).
    ///
    /// With X³ = X + 1 and X⁴ = X² + X, the schoolbook product
    /// Σ d_k X^k (k = 0…4) reduces to
    ///   r0 = d0 + d3,  r1 = d1 + d3 + d4,  r2 = d2 + d4.
    /// Each r_i is a sum of at most five 128-bit products, accumulated without
    /// reduction (see `WideAccumulator`) and reduced once.
    @inlinable @inline(__always)
    public static func * (a: GoldilocksExt3, b: GoldilocksExt3) -> GoldilocksExt3 {
        let a0 = a.c0.value, a1 = a.c1.value, a2 = a.c2.value
        let b0 = b.c0.value, b1 = b.c1.value, b2 = b.c2.value
        let p12 = WideAccumulator.product(a1, b2)
        let p21 = WideAccumulator.product(a2, b1)
        let p22 = WideAccumulator.product(a2, b2)
        var r0 = WideAccumulator(WideAccumulator.product(a0, b0))
        r0.add(p12); r0.add(p21)
        var r1 = WideAccumulator(WideAccumulator.product(a0, b1))
        r1.add(WideAccumulator.product(a1, b0)); r1.add(p12); r1.add(p21); r1.add(p22)
        var r2 = WideAccumulator(WideAccumulator.product(a0, b2))
        r2.add(WideAccumulator.product(a1, b1)); r2.add(WideAccumulator.product(a2, b0)); r2.add(p22)
        return GoldilocksExt3(r0.reduced(), r1.reduced(), r2.reduced())
    }

    /// Extension × base: three base multiplications.
    @inlinable @inline(__always)
    public static func * (a: GoldilocksExt3, b: Goldilocks) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 * b, a.c1 * b, a.c2 * b)
    }

    @inlinable @inline(__always)
    public static func * (a: Goldilocks, b: GoldilocksExt3) -> GoldilocksExt3 { b * a }

    @inlinable @inline(__always)
    public static func + (a: GoldilocksExt3, b: Goldilocks) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 + b, a.c1, a.c2)
    }

    @inlinable @inline(__always)
    public static func - (a: GoldilocksExt3, b: Goldilocks) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 - b, a.c1, a.c2)
    }

    @inlinable @inline(__always)
    public func squared() -> GoldilocksExt3 { self * self }
}

/// A sum of fewer than 2^32 products of canonical words, held as
/// `low + overflows·2^128`, reduced once at the end using 2^128 ≡ −2^32 (mod p).
@frozen @usableFromInline
struct WideAccumulator {
    @usableFromInline var low: UInt128
    @usableFromInline var overflows: UInt64

    @inlinable @inline(__always)
    init(_ first: UInt128) {
        low = first
        overflows = 0
    }

    @inlinable @inline(__always)
    static func product(_ a: UInt64, _ b: UInt64) -> UInt128 {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        return UInt128(hi) << 64 | UInt128(lo)
    }

    @inlinable @inline(__always)
    mutating func add(_ term: UInt128) {
        let (sum, carry) = low.addingReportingOverflow(term)
        low = sum
        overflows &+= UInt64(unsafeBitCast(carry, to: UInt8.self))
    }

    /// The canonical residue; valid while overflows < 2^32 (so that
    /// overflows·2^32 < p), far beyond the five terms used here.
    @inlinable @inline(__always)
    func reduced() -> Goldilocks {
        let base = Goldilocks(canonicalUnchecked: Goldilocks.reduce128(
            high: UInt64(truncatingIfNeeded: low >> 64), low: UInt64(truncatingIfNeeded: low)))
        return base - Goldilocks(canonicalUnchecked: overflows << 32)
    }
}
