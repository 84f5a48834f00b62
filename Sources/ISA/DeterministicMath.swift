/// Elementary functions built only from IEEE-754 operations that are exactly
/// specified (+, −, ×, ÷, √, comparisons, rounding to integers), so lookup
/// tables come out bit-identical on every platform — libm's exp/tanh/erf may
/// differ in the last place between systems, which could flip a table entry
/// that sits on a rounding boundary and change the program digest.
/// Accuracy: relative error below 1e−13 for `exp`, absolute error below 2e−7
/// for `erf` (Spec/isa.md §5), far below the 2^−24 resolution of any table.
public enum DeterministicMath {
    /// e^x. Range reduction x = k·ln2 + r with |r| ≤ ln2/2, a degree-20
    /// Taylor polynomial for e^r, then scaling by 2^k through exact doubling.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709 { return .infinity }
        if x < -745 { return 0 }
        let ln2 = 0.693_147_180_559_945_309_417_232_121_458
        let k = (x / ln2).rounded(.toNearestOrEven)
        let r = x - k * ln2
        var term = 1.0, sum = 1.0
        for n in 1...20 {
            term = term * r / Double(n)
            sum += term
        }
        var result = sum
        var e = Int(k)
        while e > 0 { result *= 2; e -= 1 }
        while e < 0 { result /= 2; e += 1 }
        return result
    }

    /// 1 / (1 + e^−x).
    public static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }

    /// tanh x = 2·sigmoid(2x) − 1.
    public static func tanh(_ x: Double) -> Double {
        x >= 0 ? 1 - 2 / (exp(2 * x) + 1) : -(1 - 2 / (exp(-2 * x) + 1))
    }

    /// erf x: the Maclaurin series for |x| < 3 (enough terms for 1e−15),
    /// 1 − erfc's asymptotic value (|erfc| < 2.3e−5 and shrinking) beyond,
    /// computed with a continued fraction.
    public static func erf(_ x: Double) -> Double {
        let a = abs(x)
        let value: Double
        if a < 3 {
            // erf x = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
            var term = a, sum = a
            var n = 0.0
            while true {
                n += 1
                term = -term * a * a / n
                let add = term / (2 * n + 1)
                sum += add
                if abs(add) < 1e-17 * abs(sum) || n > 200 { break }
            }
            value = sum * 1.128_379_167_095_512_573_896_158_903_121_545_171_688
        } else {
            // erfc x = e^(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) (Lentz-free, 60 levels)
            var f = a
            for k in stride(from: 60, through: 1, by: -1) { f = a + Double(k) / 2 / f }
            let erfc = exp(-a * a) / f * 0.564_189_583_547_756_286_948_079_451_560_772_585_844
            value = 1 - erfc
        }
        return x < 0 ? -value : value
    }

    /// ln x for x > 0: x = m·2^e exactly (m ∈ [√½, √2)), then
    /// ln m = 2·atanh(s) with s = (m − 1)/(m + 1), |s| ≤ 0.172, summed until
    /// the terms vanish (relative error below 1e−15).
    public static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == 0 ? -.infinity : (x.isNaN || x < 0 ? .nan : x) }
        var m = x.significand                 // exact: x = m · 2^exponent, m ∈ [1, 2)
        var e = Double(x.exponent)
        if m > 1.414_213_562_373_095_048_801_688_724_209_698 { m /= 2; e += 1 }   // exact halving
        let s = (m - 1) / (m + 1), s2 = s * s
        var term = s, sum = s, k = 1.0
        while abs(term) > 1e-18 {
            term *= s2
            k += 2
            sum += term / k
        }
        return 2 * sum + e * 0.693_147_180_559_945_309_417_232_121_458
    }

    /// GELU's tanh approximation (ONNX Gelu with approximate = "tanh"):
    /// x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³))).
    public static func geluTanh(_ x: Double) -> Double {
        0.5 * x * (1 + tanh(0.797_884_560_802_865_355_879_892_119_868_763_737 * (x + 0.044715 * x * x * x)))
    }

    /// GELU(x) = x/2 · (1 + erf(x/√2)) (the exact form ONNX's Gelu uses by default).
    public static func gelu(_ x: Double) -> Double {
        0.5 * x * (1 + erf(x / 2.0.squareRoot()))
    }

    /// ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|): the exponential never
    /// overflows and the logarithm's argument lies in (1, 2].
    public static func softplus(_ x: Double) -> Double {
        Swift.max(x, 0) + log(1 + exp(-Swift.abs(x)))
    }

    /// sin x: reduction by the nearest multiple of 2π to r ∈ [−π, π]
    /// (r = x − k·2π in two parts, 2π's double and its remainder, so r
    /// keeps its accuracy for |x| up to about 10^6), then the Maclaurin
    /// series to r^31 (error below 1e−14 at |r| = π).
    public static func sin(_ x: Double) -> Double {
        if !x.isFinite { return .nan }
        let twoPiHigh = 6.283_185_307_179_586, twoPiLow = 2.449_293_598_294_706_4e-16
        let k = (x / twoPiHigh).rounded(.toNearestOrEven)
        let r = (x - k * twoPiHigh) - k * twoPiLow
        var term = r, sum = r
        let square = r * r
        var n = 1.0
        while n < 31 {
            term = -term * square / ((n + 1) * (n + 2))
            sum += term
            n += 2
        }
        return sum
    }
}
