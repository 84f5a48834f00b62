import AIR
import Foundation

/// Security of a parameter set, in bits (Spec/security.md).
///
/// Proven bounds follow the round-by-round analysis of Winterfell's
/// estimator (air/src/proof/security.rs), itself from Haböck's FRI summary
/// (ePrint 2022/1216, batched-FRI and DEEP-ALI theorems) and ePrint
/// 2024/1553 (Theorems 2 and 3): the unique-decoding regime and the
/// Johnson-bound list-decoding regime, the latter optimised over the
/// proximity parameter m. A LogUp term (Haböck, ePrint 2022/1530, adapted
/// to a univariate running sum; see Spec/security.md §4) and the hash's
/// collision resistance cap the result. Conjectured bits (ethSTARK
/// Conjecture 1) are reported second and never used for the policy.
public struct SecurityLevel: Sendable, CustomStringConvertible {
    /// Inputs of the formulas.
    public struct Parameters: Sendable {
        /// log2 |F| of the challenge field (192 for the cubic extension).
        public var fieldBits: Double = 192
        /// Collision resistance of the Merkle hash (128 for SHA-256).
        public var collisionBits: Double = 128
        /// n: rows of the largest table.
        public var traceLength: Double
        public var blowup: Double
        public var queries: Double
        public var grindingBits: Double
        /// Folding factor per FRI round (2 for binary folds).
        public var foldingFactor: Double
        /// FRI rounds; the unique-decoding folding term exists only if ≥ 1.
        public var foldingRounds: Int
        /// Batching factor of the constraint combination: 1 for linear
        /// batching, C − 1 for powers of one challenge.
        public var constraintBatching: Double
        /// Batching factor of the DEEP/FRI combination: 1 (linear) or N − 1 (powers).
        public var polynomialBatching: Double
        /// Total LogUp fractions T (0 without LogUp) and the widest message w.
        public var lookupFractions: Double = 0
        public var lookupWidth: Double = 0
        /// The highest constraint degree of the AIR (0: unknown). The DEEP
        /// terms charge max(b + 1, it): Winterfell's b + 1 stands for a
        /// constraint degree the blowup bounds, which a degree-7 table at a
        /// small tested rate need not respect.
        public var constraintDegree: Double = 0

        public init(traceLength: Double, blowup: Double, queries: Double, grindingBits: Double, foldingFactor: Double,
                    foldingRounds: Int, constraintBatching: Double, polynomialBatching: Double) {
            self.traceLength = traceLength
            self.blowup = blowup
            self.queries = queries
            self.grindingBits = grindingBits
            self.foldingFactor = foldingFactor
            self.foldingRounds = foldingRounds
            self.constraintBatching = constraintBatching
            self.polynomialBatching = polynomialBatching
        }
    }

    public let parameters: Parameters
    /// max(unique decoding, list decoding): both are proven bounds.
    public let provenBits: Double
    public let uniqueDecodingBits: Double
    public let listDecodingBits: Double
    public let conjecturedBits: Double
    /// The proximity parameter m that maximises the list-decoding bound.
    public let proximityParameter: Int
    /// log2 of the product of the list sizes L = m/(ρ − 2m/D) of every
    /// distinct table height's code (+∞ where the bound is void): how many
    /// decodings a prover may choose among after the LogUp challenges
    /// (used by `segmented`).
    public let logListSizes: Double

    public init(_ p: Parameters) {
        parameters = p
        let udr = Self.uniqueDecoding(p)
        var best = 0.0, bestM = 3
        for m in 3..<max(4, Self.upperM(p.traceLength)) {
            let bits = Self.listDecoding(p, m: Double(m))
            if bits >= best { best = bits; bestM = m }
        }
        uniqueDecodingBits = udr
        listDecodingBits = min(best, p.collisionBits)
        proximityParameter = bestM
        logListSizes = Self.logListSize(p, m: bestM)
        provenBits = max(uniqueDecodingBits, listDecodingBits)
        var query = log2(p.blowup).rounded(.down) * p.queries
        if query >= 80 { query += p.grindingBits }
        conjecturedBits = min(min(p.fieldBits, query) - 1, p.collisionBits)
    }

    /// The parameters of a proof of `air` whose tables have the given
    /// heights. Every table height's code enters FRI (smaller ones by
    /// injection), so each distinct height is analysed with its own n (the
    /// Johnson-bound list size depends on the domain), the weakest one is
    /// kept, and log2(number of distinct heights) bits are subtracted for
    /// the union over them.
    /// Codes are those of the tables' domains (`CommitmentLayout.logDomain`:
    /// the heights themselves unless masking commits a small table on a
    /// larger domain).
    public init(options: ProofOptions, air: AIRDefinition, logHeights: [Int]) {
        let layout = CommitmentLayout(options: options)
        let bounds = layout.domainBounds(logHeights: logHeights)
        let distinct = bounds.keys.sorted()
        let maxLogHeight = distinct.last ?? 0
        // The degree FRI actually tests at level l is finalLength·2^{l − lf}
        // (each fold of an odd bound D only shows degree < D + 1), the same
        // rate finalLength/2^lf at every level: exactly 1/blowup for
        // transparent proofs, a little more with masking, where committed
        // polynomials have degree < n + E (Spec/zk.md §3).
        let schedule = try? FRISchedule(logHeights: logHeights, options: options)
        let testedRate = schedule.map { Double($0.finalLength) / Double(1 << $0.finalLogSize) } ?? 0
        // T: every table's rows times its interactions (the largest height
        // for every table when only that is known).
        let perTable = logHeights.count == air.tables.count
        let fractions = air.tables.indices.reduce(0.0) { sum, t in
            sum + Double(1 << (perTable ? logHeights[t] : maxLogHeight)) * Double(air.tables[t].interactions.count)
        }
        var params = [Parameters]()
        for h in distinct.isEmpty ? [0] : distinct {
            let rate = max(testedRate, Double(bounds[h] ?? layout.degreeBound(logHeight: h)) / Double(options.blowup << h))
            // The code: the 2^h·B-point domain at this rate, so its
            // dimension (the "trace length" of the formulas) is rate·B·2^h.
            var p = Parameters(traceLength: rate * Double(options.blowup << h), blowup: 1 / rate, queries: Double(options.queries),
                               grindingBits: Double(options.grindingBits), foldingFactor: 2,
                               foldingRounds: maxLogHeight - options.logFinalPolynomialLength,
                               constraintBatching: 1, polynomialBatching: 1)
            p.lookupFractions = fractions
            p.lookupWidth = Double(air.maxMessageLength)
            p.constraintDegree = Double(air.tables.map(\.constraintDegree).max() ?? 0)
            params.append(p)
        }
        let penalty = distinct.count > 1 ? log2(Double(distinct.count)).rounded(.up) : 0
        let unique = params.map { Self.uniqueDecoding($0) }.min()!
        let joint = Self.jointListDecoding(params)
        let list = max(0, min(joint.bits, params[0].collisionBits) - penalty)
        let conjectured = params.map { SecurityLevel($0).conjecturedBits }.min()!
        self.init(parameters: params[0], logListSizes: joint.logListSizes,
                  proven: max(0, max(unique - penalty, list)), unique: max(0, unique - penalty), list: list,
                  conjectured: conjectured, m: joint.m)
    }

    /// The list-decoding level of a proof over several heights: the largest
    /// X such that every height h has a proximity parameter m_h whose list
    /// bounds (§3 without LogUp) reach X and the LogUp term charged for the
    /// prover's choice among Π_h L_h(m_h) codewords, F − log2(T·(w + 1)) −
    /// Σ_h log2 L_h(m_h), reaches X too (Spec/security.md §4). The smallest
    /// such m_h minimises L_h, so it is the one to take.
    static func jointListDecoding(_ params: [Parameters]) -> (bits: Double, logListSizes: Double, m: Int) {
        // Per height, the bits of every m (LogUp aside).
        let tables = params.map { p in
            (3..<max(4, upperM(p.traceLength))).map { listDecoding(p, m: Double($0), lookup: false) }
        }
        let logUp = lookupTerm(params[0])
        var x = 128.0
        while x >= 1 {
            var sum = 0.0, largest = 3, feasible = true
            for (p, bits) in zip(params, tables) {
                guard let k = bits.firstIndex(where: { $0 >= x }) else { feasible = false; break }
                sum += logListSize(p, m: k + 3)
                largest = max(largest, k + 3)
            }
            if feasible && logUp - sum >= x { return (x, sum, largest) }
            x -= 1
        }
        return (0, 0, 3)
    }

    /// The level of a run proven in S segments (Spec/security.md §6). A
    /// cheating prover must break one segment's proof (union bound:
    /// ⌈log2 S⌉ bits off the weakest segment) or the LogUp argument they
    /// share. In the list-decoding regime each segment's committed main
    /// word may decode to any of L codewords, chosen after α, β, so the
    /// shared LogUp error is multiplied by Π L_i (with many segments a
    /// subset-sum over those choices can cancel a false balance,
    /// Spec/security.md §6). Unique decoding has L = 1. Proven = the better of the two
    /// regimes; conjectured loses the union bound only.
    public static func segmented(_ levels: [SecurityLevel]) -> SecurityLevel {
        precondition(!levels.isEmpty)
        guard levels.count > 1 else { return levels[0] }
        let penalty = log2(Double(levels.count)).rounded(.up)
        let unique = max(0, levels.map(\.uniqueDecodingBits).min()! - penalty)
        let fractions = levels.map(\.parameters.lookupFractions).reduce(0, +)
        let width = levels.map(\.parameters.lookupWidth).max()!
        var logUp = Double.infinity
        if fractions > 0 {
            let field = levels[0].parameters.fieldBits
            let listBits = levels.map(\.logListSizes).reduce(0, +)
            logUp = field - log2(fractions * (width + 1)) - listBits
        }
        let list = max(0, min(levels.map(\.listDecodingBits).min()! - penalty, logUp.rounded(.down)))
        let w = levels.min { $0.provenBits < $1.provenBits }!
        return SecurityLevel(parameters: w.parameters, logListSizes: levels.map(\.logListSizes).reduce(0, +),
                             proven: max(unique, list), unique: unique, list: list,
                             conjectured: max(0, levels.map(\.conjecturedBits).min()! - penalty), m: w.proximityParameter)
    }

    /// A single-height AIR with tables of 2^maxLogHeight rows.
    public init(options: ProofOptions, air: AIRDefinition, maxLogHeight: Int) {
        self.init(options: options, air: air, logHeights: [maxLogHeight])
    }

    /// log2 of the Johnson-regime list size m/(ρ − 2m/D) (ePrint 2024/1553 as in Winterfell); +∞ if void.
    static func logListSize(_ p: Parameters, m: Int) -> Double {
        let rho = 1 / p.blowup, denominator = rho - 2 * Double(m) / (p.traceLength * p.blowup)
        return denominator > 0 ? log2(Double(m) / denominator) : .infinity
    }

    private init(parameters: Parameters, logListSizes: Double, proven: Double, unique: Double, list: Double,
                 conjectured: Double, m: Int) {
        self.logListSizes = logListSizes
        self.parameters = parameters
        provenBits = proven
        uniqueDecodingBits = unique
        listDecodingBits = list
        conjecturedBits = conjectured
        proximityParameter = m
    }

    /// Theorem 3 of ePrint 2024/1553 as in Winterfell: ALI, DEEP, FRI
    /// batching, FRI folding and query terms.
    static func uniqueDecoding(_ p: Parameters) -> Double {
        let n = p.traceLength, b = p.blowup, d = n * b, f = p.fieldBits
        let rhoPlus = (n + 2) / d
        let alpha = (1 + rhoPlus) / 2
        var terms = [
            f - log2(p.constraintBatching),
            f - log2(max(b + 1, p.constraintDegree) * (n + 1) + (n - 1)),
            f - log2(d * p.polynomialBatching),
            p.grindingBits - p.queries * log2(alpha),
            lookupTerm(p),
        ]
        if p.foldingRounds >= 1 { terms.append(f - log2((p.foldingFactor - 1) * (d + 1))) }
        return min(rustFloor(terms), p.collisionBits)
    }

    /// Theorem 2 of ePrint 2024/1553 as in Winterfell, for one m ≥ 3;
    /// `lookup` adds the LogUp term charged for this height's list.
    static func listDecoding(_ p: Parameters, m: Double, lookup: Bool = true) -> Double {
        let n = p.traceLength, b = p.blowup, d = n * b, f = p.fieldBits
        let rho = 1 / b
        let alpha = (1 + 1 / (2 * m)) * rho.squareRoot()
        let listSize = m / (rho - 2 * m / d)
        let terms = [
            f - log2(listSize) - log2(p.constraintBatching),
            f - log2(listSize * listSize * (max(b + 1, p.constraintDegree) * (n + 1) + (n - 1))),
            f - log2(pow(m + 0.5, 7) / (3 * pow(rho, 1.5)) * d * d * p.polynomialBatching),
            p.grindingBits - p.queries * log2(alpha),
            // The prover may pick any of the L codewords near its committed
            // main word after α, β (Spec/security.md §4).
            lookup ? lookupTerm(p) - log2(listSize) : .infinity,
        ]
        return rustFloor(terms)
    }

    /// LogUp: Schwartz–Zippel on the cleared-denominator identity in (α, β):
    /// degree ≤ T·(w + 1) for T fractions of width-w messages.
    static func lookupTerm(_ p: Parameters) -> Double {
        guard p.lookupFractions > 0 else { return .infinity }
        return p.fieldBits - log2(p.lookupFractions * (p.lookupWidth + 1))
    }

    /// m_max = min(⌈1/(2(√((n+2)/n) − 1))⌉, 1000).
    static func upperM(_ n: Double) -> Int {
        let bound = (1 / (2 * (((n + 2) / n).squareRoot() - 1))).rounded(.up)
        return Int(min(bound, 1000))
    }

    /// ⌊min(terms)⌋ ignoring NaN terms, with negative results clamped to 0
    /// (the behaviour of Winterfell's f64 → u64 conversion).
    static func rustFloor(_ terms: [Double]) -> Double {
        let finite = terms.filter { !$0.isNaN }
        guard let smallest = finite.min() else { return 0 }
        if smallest == -.infinity || smallest < 0 { return 0 }
        return smallest.rounded(.down)
    }

    public var description: String {
        String(format: "%.0f proven bits (unique decoding %.0f, list decoding %.0f with m = %d); %.0f conjectured",
               provenBits, uniqueDecodingBits, listDecodingBits, proximityParameter, conjecturedBits)
    }
}
