import Field

/// A named polynomial constraint: `expression` must vanish on every row of
/// the table (row selectors inside the expression restrict it).
public struct Constraint: Sendable, Hashable {
    public var label: String
    public var expression: Expression
}

/// One table of a multi-table AIR: its columns, constraints and LogUp
/// interactions, plus the auxiliary columns and constraints derived from the
/// interactions (Spec/proof-system.md §2–3).
///
/// Auxiliary layout: interactions are grouped into chunks whose constraint
/// degree stays ≤ `maxConstraintDegree`; column c < chunkCount holds
/// h_c = Σ_{i ∈ chunk c} m_i / d_i, and the last column the running sum
/// S with S(0) = Σ_c h_c(0), S(i+1) = S(i) + Σ_c h_c(i+1), S(n−1) = claimed sum.
public struct Table: Sendable {
    /// The maximum degree of any constraint by default, and of every LogUp
    /// chunk, counting trace cells and row selectors as degree 1. Without
    /// masking the quotient has degree < (d − 1)·n; with zero-knowledge
    /// masking (degree n + h columns) it has degree < d·n (Spec/zk.md §2;
    /// `CommitmentLayout` in STARK).
    public static let maxConstraintDegree = 3
    /// The highest degree limit a table may declare (`degreeLimit`): its
    /// quotient needs d cosets of its domain, so 7 needs blowup 8.
    public static let largestDegreeLimit = 7

    public let name: String
    /// Main columns, the blinding columns of a blinded table included.
    public let mainWidth: Int
    public let preprocessedWidth: Int
    /// The author's constraints followed by the LogUp constraints.
    public let constraints: [Constraint]
    public let interactions: [Interaction]
    /// Interaction indices per auxiliary chunk column.
    public let chunks: [[Int]]
    /// Whether the running sum carries the table's one interaction itself,
    /// without a chunk column: S(0)·d(0) = m(0) (plus the blind) and
    /// (S(i+1) − S(i))·d(i+1) = m(i+1). The table has one interaction of
    /// chunk degree ≤ 2 (a degree-1 denominator), readable on the next row,
    /// and its quotient has two chunks anyway (a blinded table's, or one
    /// whose own constraints reach degree 3): one extension column fewer.
    public let foldsSum: Bool
    /// Compiled `constraints`.
    public let program: ConstraintProgram
    /// Compiled interactions: multiplicity then message parts, interaction by interaction.
    public let interactionProgram: ConstraintProgram
    /// The most rows (log2) a proof may give the table, when its soundness
    /// depends on its height (a table of row indices proves values below
    /// its height); nil: the verifier policy's limit alone. The verifier
    /// checks it before anything else (`ProofShape`).
    public internal(set) var maxLogHeight: Int?
    /// The author's constraints alone (without the LogUp constraints).
    let authorConstraints: [Constraint]
    let publicValueCount: Int
    /// The blinding column of a blinded table (`blinded()`).
    public let blindingColumn: Int?
    /// The highest degree of any constraint (1 … `degreeLimit`).
    public let constraintDegree: Int
    /// The degree the table's own constraints may reach: the limit the
    /// table declares (3 … `largestDegreeLimit`), or else 3, lowered to 2
    /// when no constraint exceeds degree 2; LogUp chunks stay ≤ 3. Its
    /// quotient is committed as degreeLimit − 1 chunks.
    public let degreeLimit: Int
    /// The limit the table's author declared, nil for the default.
    let declaredDegreeLimit: Int?

    /// Auxiliary extension columns: chunk columns plus the running sum (0
    /// without interactions; the running sum alone when `foldsSum`).
    public var auxiliaryWidth: Int { interactions.isEmpty ? 0 : foldsSum ? 1 : chunks.count + 1 }
    /// The longest message sent by this table (at least 2 for a blinded
    /// table, whose blind reads β and β²).
    public var maxMessageLength: Int {
        max(blindingColumn == nil ? 0 : 2, interactions.map(\.message.count).max() ?? 0)
    }

    /// This table with one more main column b whose values at rows 0, 1
    /// and n − 1 blind its LogUp sum by b(0) + b(1)·β + b(n−1)·β²
    /// (Spec/zk.md §2.5); a table without interactions has no sum to blind
    /// and is returned unchanged.
    public func blinded() throws(AIRError) -> Table {
        guard !interactions.isEmpty, blindingColumn == nil else { return self }
        var table = try Table(name: name, mainWidth: mainWidth + 1, preprocessedWidth: preprocessedWidth,
                              constraints: authorConstraints, interactions: interactions,
                              publicValueCount: publicValueCount, blindingColumn: mainWidth, degreeLimit: declaredDegreeLimit)
        table.maxLogHeight = maxLogHeight
        return table
    }

    init(name: String, mainWidth: Int, preprocessedWidth: Int, constraints userConstraints: [Constraint],
         interactions: [Interaction], publicValueCount: Int, blindingColumn: Int? = nil,
         degreeLimit declared: Int? = nil) throws(AIRError) {
        if let declared, !(Self.maxConstraintDegree...Self.largestDegreeLimit).contains(declared) {
            throw .degreeTooHigh(table: name, constraint: "the table's degree limit", degree: declared, limit: Self.largestDegreeLimit)
        }
        let degreeLimit = declared ?? Self.maxConstraintDegree
        self.declaredDegreeLimit = declared
        self.name = name
        self.mainWidth = mainWidth
        self.authorConstraints = userConstraints
        self.publicValueCount = publicValueCount
        self.blindingColumn = blindingColumn
        self.preprocessedWidth = preprocessedWidth
        self.interactions = interactions

        // Greedy chunking under the degree limit.
        var chunks = [[Int]]()
        var current = [Int]()
        for (i, interaction) in interactions.enumerated() {
            guard interaction.bus >= 0, interaction.bus < 1 << 16 else {
                throw .invalidReference(table: name, constraint: interaction.label, detail: "bus \(interaction.bus) outside 0..<65536")
            }
            if Interaction.chunkDegree([interaction]) > Self.maxConstraintDegree {
                throw .degreeTooHigh(table: name, constraint: interaction.label,
                                     degree: Interaction.chunkDegree([interaction]), limit: Self.maxConstraintDegree)
            }
            let trial = (current + [i]).map { interactions[$0] }
            if Interaction.chunkDegree(trial) <= Self.maxConstraintDegree {
                current.append(i)
            } else {
                chunks.append(current)
                current = [i]
            }
        }
        if !current.isEmpty { chunks.append(current) }
        self.chunks = chunks
        let authorDegree = userConstraints.map(\.expression.degree).max() ?? 0
        let single = chunks.count == 1 && chunks[0].count == 1 ? interactions[chunks[0][0]] : nil
        let foldsSum = single.map {
            Interaction.chunkDegree([$0]) <= 2 && (blindingColumn != nil || authorDegree >= Self.maxConstraintDegree)
                && $0.denominator.onNextRow != nil && $0.multiplicity.onNextRow != nil
        } ?? false
        self.foldsSum = foldsSum

        var all = userConstraints
        if !interactions.isEmpty {
            let sumColumn = chunks.count
            func aux(_ c: Int, next: Bool = false) -> Expression { .variable(.auxiliary(c, next: next)) }
            for (c, chunk) in chunks.enumerated() where !foldsSum {
                let parts = chunk.map { interactions[$0] }
                let denominators = parts.map(\.denominator)
                var product: Expression = 1
                for d in denominators { product = product * d }
                var numerator: Expression = 0
                for (i, part) in parts.enumerated() {
                    var term = part.multiplicity
                    for (j, d) in denominators.enumerated() where j != i { term = term * d }
                    numerator = numerator + term
                }
                all.append(Constraint(label: "logup chunk \(c) (\(parts.map(\.label).joined(separator: ", ")))",
                                      expression: aux(c) * product - numerator))
            }
            let rowSum = Expression.sum((0..<chunks.count).map { aux($0) })
            let nextRowSum = Expression.sum((0..<chunks.count).map { aux($0, next: true) })
            // A blinded table's claimed sum is offset by its blind
            // b(0) + b(1)·β + b(n−1)·β² (Spec/zk.md §2.5): the sum starts at
            // b(0) + b(1)·β and ends b(n−1)·β² short of the claimed sum; the
            // column is random and the prover makes the blinds of a proof
            // sum to zero.
            let sum = foldsSum ? 0 : sumColumn
            var blind: Expression = 0
            var end = aux(sum) - .variable(.claimedSum)
            if let b = blindingColumn {
                blind = .variable(.main(b, next: false)) + .variable(.main(b, next: true)) * .variable(.challenge(1))
                end = end + .variable(.main(b, next: false)) * .variable(.challenge(2))
            }
            if let single, foldsSum {
                // The sum's first value and each step are the one fraction m/d.
                let (d, m) = (single.denominator, single.multiplicity)
                all.append(Constraint(label: "logup running sum starts", expression: .isFirstRow * ((aux(sum) - blind) * d - m)))
                all.append(Constraint(label: "logup running sum steps",
                                      expression: .isTransition * ((aux(sum, next: true) - aux(sum)) * d.onNextRow! - m.onNextRow!)))
            } else {
                all.append(Constraint(label: "logup running sum starts", expression: .isFirstRow * (aux(sum) - rowSum - blind)))
                all.append(Constraint(label: "logup running sum steps",
                                      expression: .isTransition * (aux(sum, next: true) - aux(sum) - nextRowSum)))
            }
            all.append(Constraint(label: "logup running sum ends", expression: .isLastRow * end))
        }
        self.constraints = all

        // Validate references and degrees.
        var highest = 1
        let auxWidth = interactions.isEmpty ? 0 : chunks.count + 1
        let challengeCount = 1 + max(blindingColumn == nil ? 0 : 2, interactions.map(\.message.count).max() ?? 0)
        for constraint in all {
            let degree = constraint.expression.degree
            highest = max(highest, degree)
            if degree > degreeLimit {
                throw .degreeTooHigh(table: name, constraint: constraint.label, degree: degree, limit: degreeLimit)
            }
            try Self.validate(constraint.expression, table: name, label: constraint.label, mainWidth: mainWidth,
                              preprocessedWidth: preprocessedWidth, auxiliaryWidth: auxWidth,
                              challengeCount: challengeCount, publicValueCount: publicValueCount)
        }
        for interaction in interactions {
            for e in [interaction.multiplicity] + interaction.message {
                if e.isExtension {
                    throw .invalidReference(table: name, constraint: interaction.label, detail: "interaction expressions must be base-field")
                }
                try Self.validate(e, table: name, label: interaction.label, mainWidth: mainWidth,
                                  preprocessedWidth: preprocessedWidth, auxiliaryWidth: 0,
                                  challengeCount: 0, publicValueCount: publicValueCount)
            }
        }
        constraintDegree = highest
        self.degreeLimit = declared ?? max(2, min(highest, Self.maxConstraintDegree))
        program = ConstraintProgram(all.map(\.expression))
        interactionProgram = ConstraintProgram(interactions.flatMap { [$0.multiplicity] + $0.message })
    }

    private static func validate(_ e: Expression, table: String, label: String, mainWidth: Int, preprocessedWidth: Int,
                                 auxiliaryWidth: Int, challengeCount: Int, publicValueCount: Int) throws(AIRError) {
        switch e {
        case .constant: return
        case .variable(let v):
            let ok: Bool
            switch v {
            case .main(let c, _): ok = c >= 0 && c < mainWidth
            case .preprocessed(let c, _): ok = c >= 0 && c < preprocessedWidth
            case .auxiliary(let c, _): ok = c >= 0 && c < auxiliaryWidth
            case .challenge(let k): ok = k >= 0 && k < challengeCount
            case .publicValue(let k): ok = k >= 0 && k < publicValueCount
            case .claimedSum: ok = auxiliaryWidth > 0
            case .isFirstRow, .isLastRow, .isTransition: ok = true
            }
            if !ok { throw .invalidReference(table: table, constraint: label, detail: "\(v) does not exist") }
        case .sum(let a, let b), .difference(let a, let b), .product(let a, let b):
            try validate(a, table: table, label: label, mainWidth: mainWidth, preprocessedWidth: preprocessedWidth,
                         auxiliaryWidth: auxiliaryWidth, challengeCount: challengeCount, publicValueCount: publicValueCount)
            try validate(b, table: table, label: label, mainWidth: mainWidth, preprocessedWidth: preprocessedWidth,
                         auxiliaryWidth: auxiliaryWidth, challengeCount: challengeCount, publicValueCount: publicValueCount)
        case .negation(let a):
            try validate(a, table: table, label: label, mainWidth: mainWidth, preprocessedWidth: preprocessedWidth,
                         auxiliaryWidth: auxiliaryWidth, challengeCount: challengeCount, publicValueCount: publicValueCount)
        }
    }
}
