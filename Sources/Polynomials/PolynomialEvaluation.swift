import Field

/// Evaluation and interpolation helpers (Spec/polynomials.md §Evaluation).
public enum Polynomial {
    /// Σ c_i x^i by Horner's rule; `coefficients` in increasing degree.
    @inlinable
    public static func evaluate<F: FieldElement>(_ coefficients: [F], at x: F) -> F {
        var acc = F.zero
        for c in coefficients.reversed() { acc = acc * x + c }
        return acc
    }

    /// A base-field polynomial at an extension point (the out-of-domain check).
    @inlinable
    public static func evaluate(_ coefficients: [Goldilocks], at z: GoldilocksExt3) -> GoldilocksExt3 {
        var acc = GoldilocksExt3.zero
        for c in coefficients.reversed() { acc = acc * z + c }
        return acc
    }

    /// f(z) from the values y_i = f(s·ω^i) on a coset s·H, |H| = n, by the
    /// barycentric formula
    ///   f(z) = ((z/s)^n − 1)/n · Σ_i y_i·ω^i / (z/s − ω^i).
    /// If z lies in s·H the matching y_i is returned.
    /// - Throws: `PolynomialError.notPowerOfTwo` for a bad size;
    ///   `FieldError` only if s = 0.
    public static func evaluate(cosetEvaluations values: [Goldilocks], shift: Goldilocks,
                                at z: GoldilocksExt3) throws -> GoldilocksExt3 {
        let n = values.count
        guard n > 0, n & (n - 1) == 0 else { throw PolynomialError.notPowerOfTwo(n) }
        let x = z * (try shift.inverse())
        let omega = Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount)
        let points = omega.powers(count: n)
        var denominators = points.map { x - $0 }
        if let hit = denominators.firstIndex(where: { $0.isZero }) { return GoldilocksExt3(values[hit]) }
        try batchInvert(&denominators)
        var sum = GoldilocksExt3.zero
        for i in 0..<n { sum = sum + denominators[i] * (values[i] * points[i]) }
        let vanishing = x.power(UInt64(n)) - GoldilocksExt3.one
        return vanishing * sum * NTT.inverseOfPowerOfTwo(n.trailingZeroBitCount)
    }

    /// Coefficients of the polynomial of degree < n with f(s·ω^i) = values[i]
    /// (natural order): an inverse NTT followed by c_i ← c_i · s^{−i}.
    public static func interpolate(cosetEvaluations values: [Goldilocks], shift: Goldilocks = .one) throws -> [Goldilocks] {
        let n = values.count
        guard n > 0, n & (n - 1) == 0 else { throw PolynomialError.notPowerOfTwo(n) }
        var coefficients = values
        NTT.inverse(&coefficients)
        if shift != .one {
            let inv = try shift.inverse()
            var power = Goldilocks.one
            for i in 0..<n { coefficients[i] = coefficients[i] * power; power = power * inv }
        }
        return coefficients
    }

    /// Lagrange interpolation through arbitrary distinct points, O(n²):
    /// the unique polynomial of degree < n with f(points[i]) = values[i].
    /// - Throws: `PolynomialError.duplicatePoint` or `.lengthMismatch`.
    public static func interpolate<F: FieldElement>(points: [F], values: [F]) throws -> [F] {
        guard points.count == values.count else {
            throw PolynomialError.lengthMismatch(points: points.count, values: values.count)
        }
        let n = points.count
        // M(x) = Π (x − x_j), coefficients low → high.
        var master = [F](repeating: .zero, count: n + 1)
        master[0] = .one
        for (k, xj) in points.enumerated() {
            for d in stride(from: k + 1, through: 1, by: -1) { master[d] = master[d - 1] - xj * master[d] }
            master[0] = -xj * master[0]
        }
        var result = [F](repeating: .zero, count: n)
        for i in 0..<n {
            // q(x) = M(x)/(x − x_i) by synthetic division; weight = q(x_i).
            var quotient = [F](repeating: .zero, count: n)
            var carry = F.zero
            for d in stride(from: n, through: 1, by: -1) {
                carry = master[d] + carry * points[i]
                quotient[d - 1] = carry
            }
            let weight = evaluate(quotient, at: points[i])
            guard !weight.isZero else {
                let j = (0..<n).first { $0 != i && points[$0] == points[i] } ?? i
                throw PolynomialError.duplicatePoint(first: min(i, j), second: max(i, j))
            }
            let scale = values[i] * (try weight.inverse())
            for d in 0..<n { result[d] = result[d] + quotient[d] * scale }
        }
        return result
    }
}
