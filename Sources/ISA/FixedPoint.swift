/// The fixed-point data model (Spec/isa.md §1).
///
/// Every register and memory cell holds a signed integer in the value range
/// V = [−2^31, 2^31 − 1]; a tensor's real value is raw / 2^scale. Tensor
/// instructions accumulate exactly (no intermediate rounding) and the final
/// accumulator must lie in A = [−2^61, 2^61) before it is rescaled back into V.
/// (2^61 keeps a two-product multiply-accumulate an integer equation in the
/// field, Spec/vm-air.md §6b.)
/// Results outside V (or A) are VM faults, never wrapped.
public enum FixedPoint {
    /// Smallest value a register or memory cell may hold: −2^31.
    public static let minValue: Int64 = -(1 << 31)
    /// Largest value a register or memory cell may hold: 2^31 − 1.
    public static let maxValue: Int64 = (1 << 31) - 1
    /// Accumulators of tensor instructions must satisfy |acc| < 2^61.
    public static let accumulatorLogBound = 61
    /// 2^61: accumulators lie in [−2^61, 2^61) (the tensor table's range check).
    public static let accumulatorBound: Int64 = 1 << accumulatorLogBound
    /// 2^62: the scalar `mulr` product must satisfy |a·b| < 2^62 (the CPU
    /// table's argument; only (−2^31)² fails for a, b in V).
    public static let productBound: Int64 = 1 << 62
    /// Rescaling shifts are in 0…31.
    public static let maxShift = 31
    /// Tensor scales (fractional bits) are in 0…24.
    public static let maxScale = 24

    /// True when `x` is in the value range V.
    @inlinable
    public static func inRange(_ x: Int64) -> Bool { x >= minValue && x <= maxValue }

    /// True when `x` is a valid accumulator: −2^61 ≤ x < 2^61.
    @inlinable
    public static func accumulatorInRange(_ x: Int64) -> Bool {
        x >= -accumulatorBound && x < accumulatorBound
    }

    /// True when `x` is a valid `mulr` product: |x| < 2^62.
    @inlinable
    public static func productInRange(_ x: Int64) -> Bool {
        x > -productBound && x < productBound
    }

    /// The documented rounding rule: round half up,
    ///   rescale(x, s) = ⌊(x + 2^(s−1)) / 2^s⌋   (s ≥ 1),   rescale(x, 0) = x.
    /// Provable with one range check: x + 2^(s−1) = q·2^s + r, 0 ≤ r < 2^s.
    /// - Precondition: |x| < 2^62 (an accumulator or a `mulr` product), 0 ≤ s ≤ 31.
    @inlinable
    public static func rescale(_ x: Int64, shift s: Int) -> Int64 {
        precondition(s >= 0 && s <= maxShift && productInRange(x))
        if s == 0 { return x }
        return (x + (1 << Int64(s - 1))) >> Int64(s)   // arithmetic shift = floor division
    }

    /// Quantizes a real number at `scale` fractional bits, rounding half away
    /// from zero (used for inputs and constants, not inside the VM).
    /// Returns nil for NaN, ±∞ or a result outside V.
    public static func quantize(_ real: Double, scale: Int) -> Int64? {
        guard real.isFinite else { return nil }
        let scaled = (real * Double(1 << scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled >= Double(minValue), scaled <= Double(maxValue) else { return nil }
        return Int64(scaled)
    }

    /// The real value of `raw` at `scale` fractional bits.
    public static func dequantize(_ raw: Int64, scale: Int) -> Double {
        Double(raw) / Double(1 << scale)
    }
}
