import Field
import Polynomials

/// The FRI folding plan for one proof (Spec/proof-system.md §4).
///
/// F_l denotes the function at binary level l (2^l points, bit-reversed
/// order, domain s^{2^{l0−l}}·⟨ω_{2^l}⟩). F_{l0} is the DEEP composition of
/// the tables whose LDE has 2^{l0} points; each binary fold halves the level,
///   F_{l−1}(x²) = (F_l(x) + F_l(−x))/2 + ζ_l·(F_l(x) − F_l(−x))/(2x),
/// and then adds η_l·R_{l−1} for the tables whose LDE has 2^{l−1} points.
/// Folds are grouped into steps of `arity` binary folds; the output of each
/// step but the last is committed (leaves of 2^{a_k} consecutive values), the
/// last step's output F_{lf} is sent as a polynomial of `finalLength`
/// coefficients.
public struct FRISchedule: Sendable, Equatable {
    /// log2 of the largest LDE domain.
    public let topLogSize: Int
    /// log2 of the final layer's domain.
    public let finalLogSize: Int
    /// Binary folds per step.
    public let stepArities: [Int]
    /// log2 sizes at the start of each step, then the final size.
    public let layerLogSizes: [Int]

    public init(topLogSize: Int, options: ProofOptions) throws(STARKError) {
        let final = options.logFinalPolynomialLength + options.logBlowup
        guard topLogSize >= final, topLogSize <= Goldilocks.twoAdicity else {
            throw .invalidInput("largest LDE 2^\(topLogSize) is outside 2^\(final)…2^\(Goldilocks.twoAdicity)")
        }
        var sizes = [topLogSize]
        var arities = [Int]()
        var l = topLogSize
        while l > final {
            let a = min(options.logFoldingArity, l - final)
            arities.append(a)
            l -= a
            sizes.append(l)
        }
        self.topLogSize = topLogSize
        self.finalLogSize = final
        self.stepArities = arities
        self.layerLogSizes = sizes
    }

    /// Number of committed layers (every step's output but the last).
    public var committedLayerCount: Int { max(0, stepArities.count - 1) }

    /// The positions at binary level `level` whose values the verifier
    /// handles for the query at top-level position `query`: the step's
    /// coset block narrowed by the folds already done.
    public func block(level: Int, query: Int) -> Range<Int> {
        precondition(level >= finalLogSize && level <= topLogSize)
        if stepArities.isEmpty { return query ..< query + 1 }
        if level == topLogSize {
            let a = stepArities[0]
            let start = (query >> a) << a
            return start ..< start + (1 << a)
        }
        // Step k covers output levels l_k − 1 … l_{k+1}.
        var k = 0
        while !(layerLogSizes[k] > level && level >= layerLogSizes[k + 1]) { k += 1 }
        let a = stepArities[k]
        let j = layerLogSizes[k] - level
        let start = (((query >> (topLogSize - layerLogSizes[k])) >> a) << a) >> j
        return start ..< start + (1 << (a - j))
    }

    /// The coset shift of binary level `level`: s^{2^{l0 − level}}.
    public static func shift(level: Int, topLogSize: Int) -> Goldilocks {
        var s = LowDegreeExtension.defaultShift
        for _ in 0..<(topLogSize - level) { s = s.squared() }
        return s
    }
}

/// The binary FRI fold shared by prover and verifier.
public enum FRIFolding {
    /// (a + b)/2 + ζ·(a − b)/(2x) where a = F(x), b = F(−x); `inverseTwoX` = (2x)⁻¹.
    @inlinable @inline(__always)
    public static func fold(_ a: GoldilocksExt3, _ b: GoldilocksExt3, challenge: GoldilocksExt3,
                            inverseTwoX: Goldilocks) -> GoldilocksExt3 {
        (a + b) * halfInverse + challenge * ((a - b) * inverseTwoX)
    }

    /// 1/2 in the base field.
    public static let halfInverse = Goldilocks(canonicalUnchecked: 0x7FFF_FFFF_8000_0001)

    /// x for the pair at positions (2i, 2i+1) of level `level`:
    /// shift·ω_{2^level}^{reverse_{level−1}(i)}.
    public static func pairPoint(level: Int, pair i: Int, shift: Goldilocks) -> Goldilocks {
        let exponent = BitReversal.reverse(i, bits: level - 1)
        return shift * Goldilocks.rootOfUnity(logOrder: level).power(UInt64(exponent))
    }
}
