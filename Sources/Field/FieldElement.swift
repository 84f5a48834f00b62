/// Arithmetic shared by the base field and its extension, so that one generic
/// body (batch inversion, Horner evaluation, constraint evaluation) serves both.
///
/// Conforming types are `@frozen` structs of canonical words; generic code over
/// them must be `@inlinable` to be specialised across modules (SWIFT-PERF.md, 8).
public protocol FieldElement: Hashable, Sendable, CustomStringConvertible {
    static var zero: Self { get }
    static var one: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static prefix func - (value: Self) -> Self
    /// `self * self`.
    func squared() -> Self
    /// The multiplicative inverse; throws `FieldError.divisionByZero` for zero.
    func inverse() throws(FieldError) -> Self
    var isZero: Bool { get }
}

extension FieldElement {
    @inlinable @inline(__always)
    public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
    @inlinable @inline(__always)
    public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }
    @inlinable @inline(__always)
    public static func *= (lhs: inout Self, rhs: Self) { lhs = lhs * rhs }

    /// `self^exponent` by left-to-right square-and-multiply (not constant time).
    @inlinable
    public func power(_ exponent: UInt64) -> Self {
        guard exponent != 0 else { return .one }
        var result = self
        let top = 63 - exponent.leadingZeroBitCount
        var bit = top - 1
        while bit >= 0 {
            result = result.squared()
            if (exponent >> UInt64(bit)) & 1 == 1 { result = result * self }
            bit -= 1
        }
        return result
    }

    /// `self^(2^k)`: k successive squarings.
    @inlinable
    public func squared(times k: Int) -> Self {
        var result = self
        for _ in 0..<k { result = result.squared() }
        return result
    }
}

/// Montgomery's batch inversion: inverts every element with one field inversion
/// and 3n multiplications.
///
/// - Throws: `FieldError.divisionByZero(index:)` naming the first zero element;
///   `values` is left unchanged in that case.
@inlinable
public func batchInvert<F: FieldElement>(_ values: inout [F]) throws(FieldError) {
    let n = values.count
    guard n > 0 else { return }
    var prefix = [F](repeating: .zero, count: n)
    var running = F.one
    for i in 0..<n {
        if values[i].isZero { throw .divisionByZero(index: i) }
        prefix[i] = running
        running = running * values[i]
    }
    var inverse = try running.inverse()
    var i = n - 1
    while i >= 0 {
        let original = values[i]
        values[i] = inverse * prefix[i]
        inverse = inverse * original
        i -= 1
    }
}

/// Returns the inverses of `values` (see `batchInvert(_:)`).
@inlinable
public func batchInverse<F: FieldElement>(_ values: [F]) throws(FieldError) -> [F] {
    var copy = values
    try batchInvert(&copy)
    return copy
}
