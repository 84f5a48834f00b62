import Field

/// One LogUp interaction of a table row: the row contributes
/// `multiplicity / (α − fingerprint(bus, message))` to the global sum, which
/// must be zero over all tables (Haböck, "Multivariate lookups based on
/// logarithmic derivatives", ePrint 2022/1530; Spec/proof-system.md §2).
///
/// A sender uses a positive multiplicity, a receiver a negative one. Lookups
/// into a table are sends of multiplicity 1 (or a selector) matched by the
/// table's receive with a multiplicity column; permutations are sends and
/// receives of multiplicity 1.
public struct Interaction: Sendable, Hashable {
    /// Bus identifier, 0 ≤ bus < 2^16: part of the fingerprint, so buses are independent.
    public var bus: Int
    /// Base-field multiplicity expression (degree ≤ 1 keeps constraints at degree ≤ 3).
    public var multiplicity: Expression
    /// The message: base-field expressions (degree ≤ 1 each).
    public var message: [Expression]
    /// Human-readable name for diagnostics.
    public var label: String

    public init(bus: Int, multiplicity: Expression, message: [Expression], label: String) {
        self.bus = bus
        self.multiplicity = multiplicity
        self.message = message
        self.label = label
    }

    /// α − (bus + Σ_i β^{i+1}·message_i), with α = challenge 0 and β^k = challenge k.
    public var denominator: Expression {
        var fingerprint: Expression = .constant(Goldilocks(bus))
        for (i, part) in message.enumerated() {
            fingerprint = fingerprint + .variable(.challenge(i + 1)) * part
        }
        return .variable(.challenge(0)) - fingerprint
    }

    /// Degree of the constraint `h·Π d − Σ m_i·Π_{j≠i} d_j` for a chunk of interactions.
    static func chunkDegree(_ chunk: [Interaction]) -> Int {
        let d = chunk.map { $0.denominator.degree }
        let total = d.reduce(0, +)
        var degree = 1 + total
        for (i, interaction) in chunk.enumerated() {
            degree = max(degree, interaction.multiplicity.degree + total - d[i])
        }
        return degree
    }
}

/// The challenge vector every table's constraints read: α, then β^1 … β^w.
public enum LogUpChallenges {
    /// [α, β, β², …, β^maxMessageLength].
    public static func vector(alpha: GoldilocksExt3, beta: GoldilocksExt3, maxMessageLength: Int) -> [GoldilocksExt3] {
        var out = [alpha]
        var power = GoldilocksExt3.one
        for _ in 0..<maxMessageLength {
            power = power * beta
            out.append(power)
        }
        return out
    }
}
