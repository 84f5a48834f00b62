/// Affine address patterns base + Σ_d i_d·stride_d (0 ≤ i_d < extent_d),
/// the shape of every tensor operand (Spec/isa.md §4).
public enum AddressPattern {
    /// The smallest interval holding every address of the pattern — its two
    /// extreme corners, which are addresses of it — or nil when some extent
    /// is 0 (the pattern is empty). Extents and strides within ±2^28
    /// (validation) keep the sums far from overflow.
    public static func bounds(base: Int64, digits: [(extent: Int64, stride: Int64)]) -> ClosedRange<Int64>? {
        if digits.contains(where: { $0.extent <= 0 }) { return nil }
        var low = base, high = base
        for d in digits {
            let span = (d.extent - 1) * d.stride
            if span < 0 { low += span } else { high += span }
        }
        return low...high
    }
}
