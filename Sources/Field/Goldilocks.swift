/// An element of the Goldilocks field F_p, p = 2^64 − 2^32 + 1.
///
/// Representation: `value` is the canonical integer in [0, p) — every
/// operation returns a canonical result, so `==` and hashing compare integers.
/// Facts used throughout (Spec/field.md):
///   2^64 ≡ 2^32 − 1 = ε (mod p)  and  2^96 ≡ −1 (mod p).
/// Hot paths are branch-free except for events of probability ≈ 2^−32, which
/// sit behind `_slowPath` (SWIFT-PERF.md, lessons 1–2).
@frozen
public struct Goldilocks: FieldElement {
    /// p = 2^64 − 2^32 + 1.
    public static let modulus: UInt64 = 0xFFFF_FFFF_0000_0001
    /// ε = 2^64 mod p = 2^32 − 1.
    @usableFromInline static let epsilon: UInt64 = 0xFFFF_FFFF

    /// The canonical integer, in [0, p).
    public let value: UInt64

    /// Wraps a value the caller guarantees is < p.
    @inlinable @inline(__always)
    public init(canonicalUnchecked value: UInt64) {
        assert(value < Goldilocks.modulus)
        self.value = value
    }

    /// The element `value`, or nil if `value` ≥ p (a non-canonical encoding).
    @inlinable
    public init?(canonical value: UInt64) {
        guard value < Goldilocks.modulus else { return nil }
        self.value = value
    }

    /// `value mod p`, for any 64-bit integer.
    @inlinable @inline(__always)
    public init(reducing value: UInt64) {
        // value < 2^64 < 2p, so one conditional subtraction suffices.
        let (d, borrow) = value.subtractingReportingOverflow(Goldilocks.modulus)
        self.value = borrow ? value : d
    }

    /// The residue of a signed integer: negative values map to p − |v|.
    @inlinable
    public init(_ value: Int) {
        if value >= 0 {
            self.init(reducing: UInt64(value))
        } else {
            self = -Goldilocks(reducing: UInt64(value.magnitude))
        }
    }

    public static let zero = Goldilocks(canonicalUnchecked: 0)
    public static let one = Goldilocks(canonicalUnchecked: 1)
    /// The multiplicative generator 7 of F_p^* (Spec/field.md).
    public static let generator = Goldilocks(canonicalUnchecked: 7)

    @inlinable public var isZero: Bool { value == 0 }

    /// The signed representative in (−p/2, p/2], for fixed-point decoding.
    @inlinable
    public var signedValue: Int64 {
        value > Goldilocks.modulus / 2 ? -Int64(Goldilocks.modulus - value) : Int64(value)
    }

    public var description: String { String(value) }
}

// MARK: - Arithmetic

extension Goldilocks {
    /// a + b: `lazyAdd` then one conditional subtraction. For canonical
    /// inputs a + b < 2p; on a 64-bit carry the lazy result is a + b − p < p,
    /// otherwise a + b < 2^64 may still be ≥ p, which `canonicalize` fixes.
    @inlinable @inline(__always)
    public static func + (lhs: Goldilocks, rhs: Goldilocks) -> Goldilocks {
        Goldilocks(canonicalUnchecked: canonicalize(lazyAdd(lhs.value, rhs.value)))
    }

    /// a − b: `lazySubtract` is already canonical for canonical inputs — on a
    /// borrow the wrapped difference a − b + 2^64 ≥ ε + 1, so subtracting ε
    /// gives a − b + p ∈ [1, p) without a second borrow.
    @inlinable @inline(__always)
    public static func - (lhs: Goldilocks, rhs: Goldilocks) -> Goldilocks {
        Goldilocks(canonicalUnchecked: lazySubtract(lhs.value, rhs.value))
    }

    @inlinable @inline(__always)
    public static prefix func - (value: Goldilocks) -> Goldilocks {
        Goldilocks.zero - value
    }

    @inlinable @inline(__always)
    public static func * (lhs: Goldilocks, rhs: Goldilocks) -> Goldilocks {
        Goldilocks(canonicalUnchecked: canonicalize(lazyMultiply(lhs.value, rhs.value)))
    }

    @inlinable @inline(__always)
    public func squared() -> Goldilocks { self * self }

    /// Reduces x = high·2^64 + low (any 128-bit value) to its canonical
    /// residue: x ≡ low − h1 + h0·ε with high = h1·2^32 + h0, since 2^96 ≡ −1
    /// and 2^64 ≡ ε (see `lazyMultiply`), then one conditional subtraction.
    @inlinable @inline(__always)
    public static func reduce128(high: UInt64, low: UInt64) -> UInt64 {
        canonicalize(lazyReduce128(high: high, low: low))
    }

    /// Maps r ∈ [0, 2^64) to r mod p (r − p when r ≥ p; r + ε overflows exactly then).
    @inlinable @inline(__always)
    public static func canonicalize(_ r: UInt64) -> UInt64 {
        let (x, carry) = r.addingReportingOverflow(epsilon)
        return carry ? x : r
    }

    /// Multiplicative inverse by Fermat: a^(p−2).
    ///
    /// p − 2 = 0xFFFFFFFE_FFFFFFFF; the addition chain builds a^(2^k − 1) for
    /// k = 2, 4, 8, 16, 32, then combines: 75 squarings and 10 multiplications.
    @inlinable
    public func inverse() throws(FieldError) -> Goldilocks {
        if isZero { throw .divisionByZero(index: nil) }
        let a = self
        let e2 = a.squared() * a                     // a^(2^2 − 1)
        let e4 = e2.squared(times: 2) * e2           // a^(2^4 − 1)
        let e8 = e4.squared(times: 4) * e4           // a^(2^8 − 1)
        let e16 = e8.squared(times: 8) * e8          // a^(2^16 − 1)
        let e31 = (e16.squared(times: 15)) * e8.squared(times: 7) * e4.squared(times: 3)
            * e2.squared() * a                       // a^(2^31 − 1)
        let e32 = e31.squared() * a                  // a^(2^32 − 1)
        // p − 2 = (2^31 − 1)·2^33 + (2^32 − 1)
        return e31.squared(times: 33) * e32
    }
}

extension Goldilocks {
    /// x mod p for a signed 64-bit integer (negative values wrap to p − |x|).
    @inlinable
    public init(_ value: Int64) { self.init(Int(value)) }
}
