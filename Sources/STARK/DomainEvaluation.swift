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

    /// Every column at z and at z·ω from the Lagrange weights at z alone:
    /// L_i(z·ω) = L_{i−1}(z) (indices mod n; ω^n = 1 in the formula of
    /// `lagrangeWeights`), so f(z·ω) = Σ_j L_j(z)·f_{(j+1) mod n}. Columns
    /// are split across the cores.
    public static func dots(_ wz: [GoldilocksExt3], columns: [[Goldilocks]],
                            threads: Int = Parallel.defaultThreads) -> ([GoldilocksExt3], [GoldilocksExt3]) {
        var atZ = [GoldilocksExt3](repeating: .zero, count: columns.count)
        var atNext = atZ
        atZ.withUnsafeMutableBufferPointer { zb in
            atNext.withUnsafeMutableBufferPointer { nb in
                let zp = SharedMutablePointer(zb.baseAddress!), np = SharedMutablePointer(nb.baseAddress!)
                wz.withUnsafeBufferPointer { w in
                    Parallel.forEach(columns.count, threads: threads) { c in
                        columns[c].withUnsafeBufferPointer { column in
                            precondition(column.count == w.count, "column height differs from the weights")
                            (zp.base[c], np.base[c]) = dotPair(w.baseAddress!, column.baseAddress!, count: w.count)
                        }
                    }
                }
            }
        }
        return (atZ, atNext)
    }

    /// (Σ_j w_j·f_j, Σ_j w_j·f_{(j+1) mod n}), accumulated unreduced.
    /// - Precondition: n is a power of two.
    @inlinable
    public static func dotPair(_ w: UnsafePointer<GoldilocksExt3>, _ f: UnsafePointer<Goldilocks>,
                               count n: Int) -> (GoldilocksExt3, GoldilocksExt3) {
        var a = WideExtensionSum(), b = WideExtensionSum()
        let mask = n - 1
        for j in 0..<n {
            let e = w[j]
            a.add(f[j].value, e.c0.value, e.c1.value, e.c2.value)
            b.add(f[(j + 1) & mask].value, e.c0.value, e.c1.value, e.c2.value)
        }
        return (a.reduced, b.reduced)
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
