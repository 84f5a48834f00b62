import AIR

/// Where a table's polynomials sit in the three commitment rounds, and the
/// degree bounds they obey, for transparent and zero-knowledge proofs
/// (Spec/zk.md §2–3). Prover, verifier and security estimate read the
/// layout from here so they cannot disagree.
///
/// Zero knowledge changes four things per table of height n:
/// * every committed column w becomes ŵ = w + Z_H·r with r random of degree
///   < h, so degrees rise to n + h − 1 (`maskDegree` = h);
/// * the quotient of a table of degree limit d has degree < (d − 1)n + dh:
///   it is evaluated on d cosets of the table's domain H_N (`logDomain`)
///   and committed as d − 1 re-randomized chunks split at multiples of
///   X^{n+h}, each of degree < n + 2h (`degreeExcess` = 2h; d = 3 gives
///   three cosets and two chunks);
/// * the quotient round gains one random extension polynomial μ of degree
///   < n + 2h (three base columns) added to the FRI input;
/// * every committed row ends with `saltWidth` random elements (salted leaves);
/// * a table below 4E rows is committed on a domain of N > n points.
public struct CommitmentLayout: Sendable, Equatable {
    public let zeroKnowledge: Bool
    /// h = 6 + 2·queries: how many values of each masked polynomial a
    /// proof reveals — 3 base coordinates at each of z and z·ω, and per
    /// query x the value at x and, through the quotient chunks (which give
    /// Q(x), a function of the row at x and the next row at x·ω), at x·ω —
    /// so that all of them are uniform (Spec/zk.md §2); 0 when transparent.
    public let maskDegree: Int

    /// The largest E any valid options give (zero knowledge at the most queries).
    public static let maxDegreeExcess = 2 * (6 + 2 * ProofOptions.maxQueries)

    /// Random base elements at the end of every committed row (128 bits).
    public static let saltWidth = 2

    public init(options: ProofOptions) {
        zeroKnowledge = options.zeroKnowledge
        maskDegree = options.zeroKnowledge ? 6 + 2 * options.queries : 0
    }

    public var salt: Int { zeroKnowledge ? Self.saltWidth : 0 }
    /// Quotient chunk polynomials of a table (extension-valued), by its
    /// degree limit d (`Table.degreeLimit`): Q = Σ_k X^{kL}·q_k over d − 1
    /// chunks (2 for the default d = 3, whatever degree the table reaches;
    /// 1 for d = 2), and at least 2 with masking, where the chunks'
    /// telescoping masks need two (Spec/zk.md §2.2).
    public func quotientChunks(for table: Table) -> Int {
        zeroKnowledge ? max(2, table.degreeLimit - 1) : table.degreeLimit - 1
    }

    /// The base-field cells the prover commits for a table of height
    /// 2^logHeight: per row of its domain (`logDomain`), the main columns,
    /// the LogUp columns (3 each), the quotient chunks (3 each) and, with
    /// masking, the FRI mask's 3 columns; salts and preprocessed columns
    /// (committed once per program) excluded.
    public func committedCells(_ table: Table, logHeight: Int) -> Int {
        (1 << logDomain(logHeight: logHeight))
            * (table.mainWidth + 3 * table.auxiliaryWidth + 3 * quotientChunks(for: table) + maskColumns)
    }
    /// L of a table of height 2^logHeight: n, or n + h with masking.
    public func quotientChunkLength(logHeight: Int) -> Int { (1 << logHeight) + maskDegree }
    /// Cosets of H_N a table's quotient is evaluated on, by its constraint
    /// degree d: Q has degree < (d − 1)·n, or < (d − 1)·n + d·h ≤ d·N with
    /// masking (N ≥ 0.8·(n + 2h) and h ≤ n/8 where N = n, `logDomain`), so
    /// d − 1 cosets (at least 1), or d with masking — fewer than the degree
    /// limit allows for tables of lower degree (lookup tables, schedules).
    /// Prover-side only: the committed chunks are the same polynomials.
    public func quotientCosets(for table: Table) -> Int {
        max(1, zeroKnowledge ? table.constraintDegree : table.constraintDegree - 1)
    }
    /// log2 of the domain holding a table's cosets, over N: the smallest
    /// power of two of at least as many cosets as its degree limit asks for
    /// (4N with masking at the default limit 3, 8N for limit 7). The LDE
    /// (blowup × N points) must hold it: `checkBlowup`.
    public func quotientLogRatio(for table: Table) -> Int {
        let cosets = max(1, zeroKnowledge ? table.degreeLimit : table.degreeLimit - 1)
        return max(1, (cosets - 1).bitWidth - (cosets - 1).leadingZeroBitCount)
    }
    /// Whether the blowup 2^logBlowup holds every table's quotient domain.
    public func checkBlowup(_ logBlowup: Int, air: AIRDefinition) throws(STARKError) {
        for table in air.tables where quotientLogRatio(for: table) > logBlowup {
            throw .invalidOptions("table \(table.name) has constraints of degree up to \(table.degreeLimit): it needs a blowup of at least \(1 << quotientLogRatio(for: table))")
        }
    }
    /// E: every committed polynomial of a table of height n has degree
    /// < n + E (the FRI degree bound there): 0, or 2h with masking (the
    /// chunks; traces have degree < n + h, μ < n + 2h).
    public var degreeExcess: Int { 2 * maskDegree }
    /// Base columns of the FRI mask μ per table (quotient round).
    public var maskColumns: Int { zeroKnowledge ? 3 : 0 }

    /// log2 of the domain H_N a table of height 2^logHeight is committed on
    /// (its LDE has N·blowup points): N = n when transparent; with masking
    /// the smallest power of two N ≥ n with n + E ≤ 1.25·N, so the code
    /// rate (n + E)/(N·blowup) stays ≤ 1.25/blowup at every height. N = n
    /// for n ≥ 4E (2^11 at the defaults); a table of 8 rows has N = 2^9
    /// (Spec/zk.md §2, §3). Constraints hold on H = ⟨ω_n⟩.
    public func logDomain(logHeight: Int) -> Int {
        Self.logDomain(logHeight: logHeight, degreeExcess: degreeExcess)
    }

    /// `logDomain` for a given E.
    /// - Precondition: 0 ≤ logHeight ≤ 40 and 0 ≤ degreeExcess ≤ 2^20
    ///   (callers check untrusted heights against the policy first).
    public static func logDomain(logHeight: Int, degreeExcess: Int) -> Int {
        precondition((0...40).contains(logHeight) && (0...(1 << 20)).contains(degreeExcess), "height or degree excess out of range")
        var k = logHeight
        while 4 * ((1 << logHeight) + degreeExcess) > 5 << k { k += 1 }
        return k
    }

    /// Per domain (log2 N) of the given table heights, the largest degree
    /// bound n + E of a table on it: what FRI tests where that domain's
    /// tables enter, and the code rate the security estimate charges.
    public func domainBounds(logHeights: [Int]) -> [Int: Int] {
        var bounds = [Int: Int]()
        for h in logHeights {
            let domain = logDomain(logHeight: h)
            bounds[domain] = max(bounds[domain] ?? 0, degreeBound(logHeight: h))
        }
        return bounds
    }

    /// Degree bound of every committed polynomial of a table of height
    /// 2^logHeight, which FRI tests: n + E (≤ 1.25·N on its domain).
    public func degreeBound(logHeight: Int) -> Int { (1 << logHeight) + degreeExcess }

    /// Row widths per round (0: the table has no columns in that round).
    public func mainRowWidth(_ table: Table) -> Int { table.mainWidth == 0 ? 0 : table.mainWidth + salt }
    public func auxiliaryRowWidth(_ table: Table) -> Int { table.auxiliaryWidth == 0 ? 0 : 3 * table.auxiliaryWidth + salt }
    public func quotientRowWidth(_ table: Table) -> Int { 3 * quotientChunks(for: table) + maskColumns + salt }

    /// Polynomials one table contributes to the DEEP/FRI combination.
    public func batchedPolynomials(_ table: Table) -> Int {
        2 * table.preprocessedWidth + 2 * table.mainWidth + 6 * table.auxiliaryWidth + 3 * quotientChunks(for: table) + maskColumns
    }
}
