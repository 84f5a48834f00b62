/// Errors from polynomial helpers whose inputs may come from untrusted data.
public enum PolynomialError: Error, Equatable, Sendable {
    /// Two interpolation points coincide (indices given).
    case duplicatePoint(first: Int, second: Int)
    /// Points and values have different lengths.
    case lengthMismatch(points: Int, values: Int)
    /// A size that must be a power of two is not.
    case notPowerOfTwo(Int)
}
