import AIR

/// Where a table's polynomials sit in the three commitment rounds, and the
/// degree bounds they obey, for transparent and zero-knowledge proofs
/// (Spec/zk.md §2–3). Prover, verifier and security estimate read the
/// layout from here so they cannot disagree.
///
/// Zero knowledge changes four things per table of height n:
/// * every committed column w becomes ŵ = w + Z_H·r with r random of degree
///   < h, so degrees rise to n + h − 1 (`maskDegree` = h);
/// * the quotient has degree < 2n + 3h: it is evaluated on 3n points (three
///   cosets of H) and committed as two re-randomized chunks split at
///   X^{n+h}, each of degree < n + 2h (`degreeExcess` = 2h);
/// * the quotient round gains one random extension polynomial μ of degree
///   < n + 2h (three base columns) added to the FRI input;
/// * every committed row ends with `saltWidth` random elements (salted leaves).
public struct CommitmentLayout: Sendable, Equatable {
    public let zeroKnowledge: Bool
    /// h = 6 + 2·queries: how many values of each masked polynomial a
    /// proof reveals — 3 base coordinates at each of z and z·ω, and per
    /// query x the value at x and, through the quotient chunks (which give
    /// Q(x), a function of the row at x and the next row at x·ω), at x·ω —
    /// so that all of them are uniform (Spec/zk.md §2); 0 when transparent.
    public let maskDegree: Int

    /// Random base elements at the end of every committed row (128 bits).
    public static let saltWidth = 2

    public init(options: ProofOptions) {
        zeroKnowledge = options.zeroKnowledge
        maskDegree = options.zeroKnowledge ? 6 + 2 * options.queries : 0
    }

    public var salt: Int { zeroKnowledge ? Self.saltWidth : 0 }
    /// Quotient chunk polynomials per table (extension-valued): Q = q_0 + X^L·q_1.
    public var quotientChunks: Int { Table.maxConstraintDegree - 1 }
    /// L of a table of height 2^logHeight: n, or n + h with masking.
    public func quotientChunkLength(logHeight: Int) -> Int { (1 << logHeight) + maskDegree }
    /// Cosets of H on which the quotient is evaluated: as many as it has
    /// coefficients / n (2, or 3 with masking: degree < 2n + 3h ≤ 3n).
    public var quotientCosets: Int { zeroKnowledge ? Table.maxConstraintDegree : Table.maxConstraintDegree - 1 }
    /// Cosets a table's quotient needs, by its constraint degree d: Q has
    /// degree < (d − 1)·n, or < (d − 1)·n + d·h ≤ d·n with masking (n ≥ 8h),
    /// so d − 1 cosets (at least 1), or d with masking — fewer than
    /// `quotientCosets` for tables of degree 2 (lookup tables, microcode).
    /// Prover-side only: the committed chunks are the same polynomials.
    public func quotientCosets(for table: Table) -> Int {
        min(quotientCosets, max(1, zeroKnowledge ? table.constraintDegree : table.constraintDegree - 1))
    }
    /// log2 of the domain holding those cosets, over n: 2n points, or 4n with masking.
    public var quotientLogRatio: Int { zeroKnowledge ? 2 : 1 }
    /// E: every committed polynomial of a table of height n has degree
    /// < n + E (the FRI degree bound there): 0, or 2h with masking (the
    /// chunks; traces have degree < n + h, μ < n + 2h).
    public var degreeExcess: Int { 2 * maskDegree }
    /// Base columns of the FRI mask μ per table (quotient round).
    public var maskColumns: Int { zeroKnowledge ? 3 : 0 }

    /// The smallest table height 2^k: masking must leave the code rate
    /// near 1/blowup, so zero knowledge needs n ≥ 4E = 8h (rate ≤ 1.25/blowup).
    public var minLogHeight: Int {
        guard zeroKnowledge else { return Proof.minLogHeight }
        let bound = 4 * degreeExcess
        return max(Proof.minLogHeight, (bound - 1).bitWidth - (bound - 1).leadingZeroBitCount)
    }

    /// Degree bound of every committed polynomial of a table of height 2^logHeight: n + E.
    public func degreeBound(logHeight: Int) -> Int { (1 << logHeight) + degreeExcess }

    /// Row widths per round (0: the table has no columns in that round).
    public func mainRowWidth(_ table: Table) -> Int { table.mainWidth == 0 ? 0 : table.mainWidth + salt }
    public func auxiliaryRowWidth(_ table: Table) -> Int { table.auxiliaryWidth == 0 ? 0 : 3 * table.auxiliaryWidth + salt }
    public var quotientRowWidth: Int { 3 * quotientChunks + maskColumns + salt }

    /// Polynomials one table contributes to the DEEP/FRI combination.
    public func batchedPolynomials(_ table: Table) -> Int {
        2 * table.preprocessedWidth + 2 * table.mainWidth + 6 * table.auxiliaryWidth + 3 * quotientChunks + maskColumns
    }
}
