import Field

/// The O(n²) discrete Fourier transform over F_p: the definition, as an oracle
/// for the fast NTT. `evaluations[i] = Σ_j coefficients[j] · (shift·ω^i)^j`,
/// ω a primitive n-th root of unity (`Goldilocks.rootOfUnity`).
public enum NaiveDFT {
    public static func evaluate(_ coefficients: [Goldilocks], shift: Goldilocks = .one) -> [Goldilocks] {
        let n = coefficients.count
        precondition(n > 0 && n & (n - 1) == 0)
        let omega = Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount)
        var out = [Goldilocks](repeating: .zero, count: n)
        var x = shift
        for i in 0..<n {
            var acc = Goldilocks.zero
            var xj = Goldilocks.one
            for c in coefficients {
                acc = acc + c * xj
                xj = xj * x
            }
            out[i] = acc
            x = x * omega
        }
        return out
    }
}
