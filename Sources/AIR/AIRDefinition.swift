import Field

/// A message the statement itself puts on a bus: the verifier adds
/// `multiplicity / (α − fp(bus, message))` to the tables' claimed sums, so
/// public values (inputs, outputs, boundary states) enter the same argument
/// as the tables (Spec/proof-system.md §2).
public struct BoundaryMessage: Sendable, Hashable {
    public var bus: Int
    public var multiplicity: Goldilocks
    public var message: [Goldilocks]

    public init(bus: Int, multiplicity: Goldilocks, message: [Goldilocks]) {
        self.bus = bus
        self.multiplicity = multiplicity
        self.message = message
    }

    /// multiplicity / (α − (bus + Σ β^{i+1} message_i)), from the challenge vector.
    public func contribution(challenges: [GoldilocksExt3]) throws(FieldError) -> GoldilocksExt3 {
        var fingerprint = GoldilocksExt3(Goldilocks(bus))
        for (i, part) in message.enumerated() { fingerprint = fingerprint + challenges[i + 1] * part }
        return try (challenges[0] - fingerprint).inverse() * multiplicity
    }
}

/// A multi-table AIR: the tables (in a fixed order that the proof follows),
/// the number of public values, and a name that is absorbed into the
/// transcript so a proof for one AIR never verifies against another.
public struct AIRDefinition: Sendable {
    public let name: String
    public let tables: [Table]
    public let publicValueCount: Int

    public init(name: String, tables: [Table], publicValueCount: Int) throws(AIRError) {
        guard !tables.isEmpty else { throw .invalidShape(table: name, detail: "an AIR needs at least one table") }
        self.name = name
        self.tables = tables
        self.publicValueCount = publicValueCount
    }

    /// The AIR of zero-knowledge proofs: every table with interactions
    /// gains a blinding column (`Table.blinded`) and the name a
    /// "/zk" suffix, so transparent and zero-knowledge proofs never share
    /// a transcript.
    public func blinded() throws(AIRError) -> AIRDefinition {
        guard !isBlinded else { return self }
        return try AIRDefinition(name: name + Self.blindedSuffix, tables: tables.map { t throws(AIRError) in try t.blinded() },
                                 publicValueCount: publicValueCount)
    }

    static let blindedSuffix = "/zk"

    /// Whether this is a blinded AIR (`blinded()` of it is itself): its name
    /// carries the suffix and every table with interactions its blinding column.
    public var isBlinded: Bool {
        name.hasSuffix(Self.blindedSuffix) && tables.allSatisfy { $0.interactions.isEmpty || $0.blindingColumn != nil }
    }

    /// The longest LogUp message of any table: the challenge vector holds β^1 … β^this.
    public var maxMessageLength: Int { max(1, tables.map(\.maxMessageLength).max() ?? 0) }

    /// Whether any table has interactions (so LogUp challenges are drawn).
    public var usesLogUp: Bool { tables.contains { !$0.interactions.isEmpty } }

    /// A canonical description absorbed into the transcript: the name, then per
    /// table its name, widths, counts, compiled constraint and interaction
    /// programs and buses — so changing any constraint changes every challenge.
    public var shapeDescription: [UInt8] {
        var writer = ByteWriter()
        func string(_ s: String) { let u = Array(s.utf8); writer.write(UInt32(u.count)); writer.write(raw: u) }
        string(name)
        writer.write(UInt32(tables.count))
        writer.write(UInt32(publicValueCount))
        for t in tables {
            string(t.name)
            writer.write(UInt32(t.mainWidth))
            writer.write(UInt32(t.preprocessedWidth))
            writer.write(UInt32(t.auxiliaryWidth))
            writer.write(UInt32(t.constraints.count))
            writer.write(UInt32(t.interactions.count))
            writer.write(UInt32(t.degreeLimit))
            for program in [t.program, t.interactionProgram] {
                writer.write(UInt32(program.nodes.count))
                for node in program.nodes { node.encode(into: &writer) }
                writer.write(UInt32(program.roots.count))
                for root in program.roots { writer.write(UInt32(root)) }
            }
            for interaction in t.interactions { writer.write(UInt16(interaction.bus)) }
        }
        return writer.bytes
    }
}
