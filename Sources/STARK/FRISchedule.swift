import Field
import Polynomials

/// The FRI folding plan for one proof (Spec/proof-system.md §5).
///
/// F_l denotes the function at binary level l (2^l points, bit-reversed
/// order, domain s^{2^{l0−l}}·⟨ω_{2^l}⟩). Layers are committed at levels
/// l_0 = l0 > l_1 > … > l_{K−1}, and the last level l_K = lf is sent as a
/// polynomial of `finalLength` coefficients. Between layers, a step of a_k =
/// l_k − l_{k+1} ≤ arity binary folds
///   F_{l−1}(x²) = (F_l(x) + F_l(−x))/2 + ζ·(F_l(x) − F_l(−x))/(2x)
/// runs with one fresh ζ per fold. Every table LDE size is a layer level, so
/// the DEEP composition R_l of the tables at level l enters exactly where a
/// layer starts:
///   F_{l0} = R_{l0},   F_{l_k} = fold(F_{l_{k−1}}) + η_k·R_{l_k}
/// (the η term only if some table has LDE size 2^{l_k}). A leaf of layer k
/// holds 2^{a_k} consecutive values, so each query opens one leaf per layer
/// and each table at one position.
public struct FRISchedule: Sendable, Equatable {
    /// log2 of the largest LDE domain.
    public let topLogSize: Int
    /// log2 of the final layer's domain.
    public let finalLogSize: Int
    /// Binary folds of each step (one step per committed layer).
    public let stepArities: [Int]
    /// Level of each committed layer, then the final level.
    public let layerLogSizes: [Int]
    /// Coefficients of the final polynomial: the degree bound D left at the
    /// final level. F_l has degree < D_l with D = n + E where a table of
    /// height n enters (E = `CommitmentLayout.degreeExcess`, 0 when
    /// transparent; the largest such n + E among the tables at that level,
    /// whose domain may exceed n, `CommitmentLayout.logDomain`), ⌈D/2⌉ after
    /// each binary fold; transparent proofs send exactly 2^logFinalPolynomialLength.
    public let finalLength: Int

    /// The schedule of a proof whose tables have these heights: each enters
    /// at its domain's LDE level with degree bound n + E.
    public init(logHeights: [Int], options: ProofOptions) throws(STARKError) {
        let bounds = CommitmentLayout(options: options).domainBounds(logHeights: logHeights)
        try self.init(tableBounds: Dictionary(uniqueKeysWithValues: bounds.map { ($0.key + options.logBlowup, $0.value) }),
                      options: options)
    }

    /// - Parameter tableBounds: per LDE level where tables enter, the largest
    ///   degree bound among them; each level must lie in
    ///   finalLogSize…topLogSize (checked).
    public init(tableBounds: [Int: Int], options: ProofOptions) throws(STARKError) {
        let tableLevels = Set(tableBounds.keys)
        let final = options.logFinalPolynomialLength + options.logBlowup
        guard let top = tableLevels.max(), let bottom = tableLevels.min(), bottom >= final, top <= Goldilocks.twoAdicity else {
            throw .invalidInput("table LDE sizes outside 2^\(final)…2^\(Goldilocks.twoAdicity)")
        }
        var sizes = [top]
        var arities = [Int]()
        var l = top
        while l > final {
            // Fold by up to `arity`, stopping at the next table level below.
            let nextTable = tableLevels.filter { $0 < l }.max() ?? final
            let a = min(options.logFoldingArity, l - max(nextTable, final))
            arities.append(a)
            l -= a
            sizes.append(l)
        }
        self.topLogSize = top
        self.finalLogSize = final
        self.stepArities = arities
        self.layerLogSizes = sizes
        var bound = 0
        for level in stride(from: top, through: final, by: -1) {
            if level < top { bound = (bound + 1) / 2 }
            if let entering = tableBounds[level] { bound = max(bound, entering) }
        }
        guard bound <= 1 << final else {
            throw .invalidInput("final polynomial of \(bound) coefficients exceeds its domain of 2^\(final)")
        }
        self.finalLength = bound
    }

    /// Number of committed layers (one per step).
    public var committedLayerCount: Int { stepArities.count }

    /// The position at `level` of the query at top-level position `query`.
    public func position(level: Int, query: Int) -> Int { query >> (topLogSize - level) }

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
        shift * Goldilocks.rootOfUnity(logOrder: level).power(UInt64(BitReversal.reverse(i, bits: level - 1)))
    }
}
