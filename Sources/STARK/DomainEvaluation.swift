import Field
import Parallel

/// Values on the trace domain H = ⟨ω_n⟩ needed at single points: the row
/// selectors and the vanishing polynomial (Spec/proof-system.md §3), and
/// barycentric evaluation of a column given by its values on H.
public enum DomainEvaluation {
    /// Z_H(x) = x^n − 1, isFirstRow = Z_H/(n(x − 1)), isLastRow = Z_H/(n(x − ω⁻¹)),
    /// isTransition = x − ω⁻¹, at a point x outside H.
    public struct Selectors: Sendable {
        public var vanishing: GoldilocksExt3
        public var isFirstRow: GoldilocksExt3
        public var isLastRow: GoldilocksExt3
        public var isTransition: GoldilocksExt3
    }

    /// - Throws: `FieldError.divisionByZero` if x ∈ H.
    public static func selectors(at x: GoldilocksExt3, logHeight: Int) throws(FieldError) -> Selectors {
        let n = 1 << logHeight
        let omegaInverse = try Goldilocks.rootOfUnity(logOrder: logHeight).inverse()
        let vanishing = x.squared(times: logHeight) - .one
        let scale = Goldilocks(n)
        let first = vanishing * (try ((x - .one) * scale).inverse())
        let last = vanishing * (try ((x - omegaInverse) * scale).inverse())
        return Selectors(vanishing: vanishing, isFirstRow: first, isLastRow: last, isTransition: x - omegaInverse)
    }

    /// Lagrange weights L_i(x) = (x^n − 1)/n · ω^i/(x − ω^i) for i < n, so a
    /// column with values f_i on H has f(x) = Σ_i L_i(x)·f_i.
    /// - Throws: `FieldError.divisionByZero` if x ∈ H.
    public static func lagrangeWeights(at x: GoldilocksExt3, logHeight: Int) throws(FieldError) -> [GoldilocksExt3] {
        let n = 1 << logHeight
        let omega = Goldilocks.rootOfUnity(logOrder: logHeight)
        var powers = [Goldilocks](repeating: .one, count: n)
        for i in 1..<max(1, n) { powers[i] = powers[i - 1] * omega }
        var weights = powers.map { x - $0 }
        try batchInvert(&weights)
        let factor = (x.squared(times: logHeight) - .one) * NTTScale.inverse(n)
        for i in 0..<n { weights[i] = weights[i] * (factor * powers[i]) }
        return weights
    }

    /// Barycentric weights at one point x ∉ H in base-field form. With the
    /// Frobenius conjugates x' = x^p, x'' = x^{p²} of x ∈ F_p³,
    ///
    ///     1/(x − a) = (P − a·S + a²)/N(a),  P = x'·x'', S = x' + x'',
    ///     N(a) = (x − a)(x' − a)(x'' − a) = R − Q·a + T·a² − a³ ∈ F_p
    ///
    /// (T, Q, R the trace, second symmetric sum and norm of x), so with
    /// a = ω^i and L_i(x) = (x^n − 1)/n · ω^i/(x − ω^i):
    ///
    ///     Σ_i L_i(x)·f_i = (x^n − 1)/n · (P·S_1 − S·S_2 + S_3),
    ///     S_k = Σ_i f_i·ω^{k·i}/N(ω^i),
    ///
    /// three base-field sums per column; only the N(ω^i) need inverting
    /// (in F_p, one batch). `v` holds (ω^i, ω^{2i}, ω^{3i})/N(ω^i) per i.
    public struct BarycentricWeights: Sendable {
        public let logHeight: Int
        let scale: GoldilocksExt3, p: GoldilocksExt3, s: GoldilocksExt3
        let v: [Goldilocks]

        /// - Throws: `FieldError.divisionByZero` if x ∈ H.
        public init(at x: GoldilocksExt3, logHeight: Int) throws(FieldError) {
            self.logHeight = logHeight
            let n = 1 << logHeight
            let x1 = x.power(Goldilocks.modulus), x2 = x1.power(Goldilocks.modulus)
            p = x1 * x2
            s = x1 + x2
            let t = (x + s).c0, q = (x * s + p).c0, r = (x * p).c0   // elements of F_p
            scale = (x.squared(times: logHeight) - .one) * NTTScale.inverse(n)
            let omega = Goldilocks.rootOfUnity(logOrder: logHeight)
            var norms = [Goldilocks](repeating: .zero, count: n)
            var a = Goldilocks.one
            for i in 0..<n {
                norms[i] = r - a * (q - a * (t - a))   // R − Q·a + T·a² − a³
                a = a * omega
            }
            try batchInvert(&norms)
            var weights = [Goldilocks](repeating: .zero, count: 3 * n)
            a = .one
            for i in 0..<n {
                let w1 = norms[i] * a, w2 = w1 * a
                weights[3 * i] = w1; weights[3 * i + 1] = w2; weights[3 * i + 2] = w2 * a
                a = a * omega
            }
            v = weights
        }

        /// Σ_i L_i(x)·f_i from the three sums S_1, S_2, S_3.
        func combine(_ sums: GoldilocksExt3) -> GoldilocksExt3 {
            scale * (p * GoldilocksExt3(sums.c0) - s * GoldilocksExt3(sums.c1) + GoldilocksExt3(sums.c2))
        }
    }

    /// Every column at x and at x·ω: L_i(x·ω) = L_{i−1}(x) (indices mod n),
    /// so f(x·ω) = Σ_j L_j(x)·f_{(j+1) mod n} with the same weights.
    public static func dots(_ w: BarycentricWeights, columns: [[Goldilocks]],
                            threads: Int = Parallel.defaultThreads) -> ([GoldilocksExt3], [GoldilocksExt3]) {
        let n = 1 << w.logHeight, mask = n - 1
        var atZ = [GoldilocksExt3](repeating: .zero, count: columns.count)
        var atNext = atZ
        atZ.withUnsafeMutableBufferPointer { zb in
            atNext.withUnsafeMutableBufferPointer { nb in
                let zp = SharedMutablePointer(zb.baseAddress!), np = SharedMutablePointer(nb.baseAddress!)
                w.v.withUnsafeBufferPointer { vb in
                    let v = vb.baseAddress!
                    Parallel.forEach(columns.count, threads: threads) { c in
                        columns[c].withUnsafeBufferPointer { column in
                            precondition(column.count == n, "column height differs from the weights")
                            let f = column.baseAddress!
                            // The sums are (S_1, S_2, S_3) accumulated like extension coefficients.
                            var a = WideExtensionSum(), b = WideExtensionSum()
                            for j in 0..<n {
                                let v1 = v[3 * j].value, v2 = v[3 * j + 1].value, v3 = v[3 * j + 2].value
                                a.add(f[j].value, v1, v2, v3)
                                b.add(f[(j + 1) & mask].value, v1, v2, v3)
                            }
                            zp.base[c] = w.combine(a.reduced)
                            np.base[c] = w.combine(b.reduced)
                        }
                    }
                }
            }
        }
        return (atZ, atNext)
    }
}

/// 1/n for powers of two n.
enum NTTScale {
    static func inverse(_ n: Int) -> Goldilocks {
        // n < p, so the inverse exists.
        try! Goldilocks(n).inverse()
    }
}

/// Extension columns are committed as three base columns (the coefficients
/// of 1, X, X²); opened values recombine as c0 + c1·X + c2·X².
public enum ExtensionColumns {
    public static let x = GoldilocksExt3(.zero, .one, .zero)
    public static let xSquared = GoldilocksExt3(.zero, .zero, .one)

    public static func combine(_ c0: GoldilocksExt3, _ c1: GoldilocksExt3, _ c2: GoldilocksExt3) -> GoldilocksExt3 {
        c0 + c1 * x + c2 * xSquared
    }

    /// Splits extension values into their three coefficient columns.
    public static func split(_ column: [GoldilocksExt3]) -> [[Goldilocks]] {
        [column.map(\.c0), column.map(\.c1), column.map(\.c2)]
    }
}
