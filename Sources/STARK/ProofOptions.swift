import Field

/// The parameters of one proof, all absorbed into the transcript and all
/// checked against the verifier's `VerifierPolicy` (Spec/proof-system.md §3).
public struct ProofOptions: Sendable, Hashable, CustomStringConvertible {
    /// log2 of the blowup factor ρ⁻¹: 1…4 (blowup 2…16). Must be ≥ 1 so the
    /// quotient domain (2n points) fits in the LDE domain.
    public var logBlowup: Int
    /// Number of FRI query positions, 1…512.
    public var queries: Int
    /// log2 of the FRI folding arity: 1…4 (arity 2…16).
    public var logFoldingArity: Int
    /// Proof-of-work bits before the query positions are drawn, 0…32.
    public var grindingBits: Int
    /// log2 of the base number of coefficients of the final FRI polynomial,
    /// 0…10 (zero-knowledge proofs send a few more: `FRISchedule.finalLength`).
    public var logFinalPolynomialLength: Int
    /// Zero knowledge (Spec/zk.md): masked trace and quotient polynomials,
    /// a masked FRI input, salted Merkle leaves and blinded LogUp sums.
    /// Needs log blowup ≥ 2 (the quotient domain of a degree-3 table has 4n
    /// points; a table of a higher degree limit needs more, `CommitmentLayout.checkBlowup`).
    public var zeroKnowledge: Bool

    public init(logBlowup: Int, queries: Int, logFoldingArity: Int, grindingBits: Int, logFinalPolynomialLength: Int,
                zeroKnowledge: Bool = false) {
        self.logBlowup = logBlowup
        self.queries = queries
        self.logFoldingArity = logFoldingArity
        self.grindingBits = grindingBits
        self.logFinalPolynomialLength = logFinalPolynomialLength
        self.zeroKnowledge = zeroKnowledge
    }

    /// The defaults: zero knowledge, blowup 8, arity 8, 16 grinding bits, a
    /// final polynomial of ≥ 128 coefficients (so rounding the masked degree
    /// bound n + E up through the folds costs < 1% of the rate), and the
    /// fewest queries that give ≥ 110 proven bits for the VM's AIR with
    /// every optional table, each at its own height (zero-knowledge tables
    /// below 8h rows on larger domains, `CommitmentLayout.logDomain`) — 10
    /// bits of margin over the verifier's floor
    /// (see `SecurityLevel` and Spec/security.md §5, Spec/zk.md §3).
    public static let standard = ProofOptions(logBlowup: 3, queries: 79, logFoldingArity: 3,
                                              grindingBits: 16, logFinalPolynomialLength: 7, zeroKnowledge: true)

    /// Transparent (no zero knowledge: for public statements and for
    /// measuring what zero knowledge costs): the same rule from 2^3 rows.
    public static let transparent = ProofOptions(logBlowup: 3, queries: 77, logFoldingArity: 3,
                                                 grindingBits: 16, logFinalPolynomialLength: 3)

    /// The proven bits a prover raises its queries to by default: the
    /// verifier's floor (100) plus a margin of 10, so one parameter slip
    /// does not cross the floor (Spec/security.md §5).
    public static let targetProvenBits: Double = 110

    /// Most queries a proof may ask for.
    public static let maxQueries = 512

    /// Fast, insecure options for tests of the machinery (a few bits of security).
    public static let testing = ProofOptions(logBlowup: 1, queries: 8, logFoldingArity: 2,
                                             grindingBits: 0, logFinalPolynomialLength: 1)

    public var blowup: Int { 1 << logBlowup }
    public var foldingArity: Int { 1 << logFoldingArity }

    /// A copy with zero knowledge switched on or off.
    public func with(zeroKnowledge: Bool) -> ProofOptions {
        var copy = self
        copy.zeroKnowledge = zeroKnowledge
        return copy
    }

    /// Throws unless every field is in its documented range.
    public func validate() throws(STARKError) {
        guard (1...4).contains(logBlowup) else { throw .invalidOptions("log blowup \(logBlowup) outside 1…4") }
        guard (1...Self.maxQueries).contains(queries) else { throw .invalidOptions("query count \(queries) outside 1…\(Self.maxQueries)") }
        guard (1...4).contains(logFoldingArity) else { throw .invalidOptions("log folding arity \(logFoldingArity) outside 1…4") }
        guard (0...32).contains(grindingBits) else { throw .invalidOptions("grinding bits \(grindingBits) outside 0…32") }
        guard (0...10).contains(logFinalPolynomialLength) else {
            throw .invalidOptions("log final polynomial length \(logFinalPolynomialLength) outside 0…10")
        }
        if zeroKnowledge && logBlowup < 2 {
            throw .invalidOptions("zero knowledge needs log blowup ≥ 2 (the masked quotient domain has 4n points)")
        }
    }

    public func encode(into writer: inout ByteWriter) {
        writer.write(UInt8(logBlowup))
        writer.write(UInt16(queries))
        writer.write(UInt8(logFoldingArity))
        writer.write(UInt8(grindingBits))
        writer.write(UInt8(logFinalPolynomialLength))
        writer.write(UInt8(zeroKnowledge ? 1 : 0))
    }

    public static func decode(from reader: inout ByteReader) throws(STARKError) -> ProofOptions {
        do {
            var options = ProofOptions(logBlowup: Int(try reader.readUInt8()), queries: Int(try reader.readUInt16()),
                                       logFoldingArity: Int(try reader.readUInt8()), grindingBits: Int(try reader.readUInt8()),
                                       logFinalPolynomialLength: Int(try reader.readUInt8()))
            let flag = try reader.readUInt8()
            guard flag <= 1 else { throw STARKError.malformed(offset: reader.offset - 1, detail: "zero-knowledge flag \(flag) is not 0 or 1") }
            options.zeroKnowledge = flag == 1
            try options.validate()
            return options
        } catch let error as STARKError {
            throw error
        } catch {
            throw .malformed(offset: reader.offset, detail: "\(error)")
        }
    }

    public var description: String {
        "blowup \(blowup), \(queries) queries, arity \(foldingArity), \(grindingBits) grinding bits, final length \(1 << logFinalPolynomialLength)"
            + (zeroKnowledge ? ", zero knowledge" : "")
    }
}
