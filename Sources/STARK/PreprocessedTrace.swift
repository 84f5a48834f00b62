import AIR
import Commitments
import Field
import Hashing
import Parallel
import Polynomials

/// What a verifier knows of an AIR instance's preprocessed columns: the root
/// of their commitment and every table's height and domain
/// (Spec/proof-system.md §1, §3.0). It is all a verification key needs of
/// them, so verifying costs the same for a program of ten instructions and
/// one of a million.
public struct PreprocessedKey: Sendable, Equatable, Hashable {
    /// The root of the mixed-height Merkle tree over the LDEs of every table
    /// with preprocessed columns; nil when no table has any.
    public var root: Digest?
    /// Per table, log2 of its height (3…26) if it has preprocessed columns,
    /// else nil: such tables' heights are fixed by the key, not by the prover.
    public var logHeights: [Int?]
    /// Per table with preprocessed columns, log2 of the domain they were
    /// extended over (`CommitmentLayout.logDomain`: the height, or more for
    /// a small table under zero knowledge), else nil. A proof's options
    /// must give each of these tables this domain; the options that do
    /// (query counts within a range) all share the key.
    public var logDomains: [Int?]
    /// log2 of the blowup the LDEs were committed at (1…4); a proof must use it.
    public var logBlowup: Int

    public init(root: Digest?, logHeights: [Int?], logDomains: [Int?], logBlowup: Int) {
        self.root = root
        self.logHeights = logHeights
        self.logDomains = logDomains
        self.logBlowup = logBlowup
    }

    /// The largest domain any options give a table of height 2^logHeight
    /// (the most queries: E = 2·(6 + 2·512)).
    public static func maxLogDomain(logHeight: Int) -> Int {
        CommitmentLayout.logDomain(logHeight: logHeight, degreeExcess: CommitmentLayout.maxDegreeExcess)
    }

    /// Canonical bytes: u8 log blowup, u8 has-root, the root, u32 table
    /// count, then per table u8 log height (0 for none) and, for a table
    /// with preprocessed columns, u8 log domain.
    public func encode(into w: inout ByteWriter) {
        w.write(UInt8(logBlowup))
        w.write(UInt8(root == nil ? 0 : 1))
        if let root { w.write(raw: root.bytes) }
        w.write(UInt32(logHeights.count))
        for (h, d) in zip(logHeights, logDomains) {
            w.write(UInt8(h ?? 0))
            if h != nil { w.write(UInt8(d ?? 0)) }
        }
    }

    public static func decode(from r: inout ByteReader) throws(FieldError) -> PreprocessedKey {
        let blowupOffset = r.offset
        let logBlowup = Int(try r.readUInt8())
        guard (1...4).contains(logBlowup) else { throw .nonCanonical(value: UInt64(logBlowup), offset: blowupOffset) }
        let flagOffset = r.offset
        let flag = try r.readUInt8()
        guard flag <= 1 else { throw .nonCanonical(value: UInt64(flag), offset: flagOffset) }
        let root = flag == 1 ? Digest(bytes: try r.readBytes(Digest.byteCount))! : nil
        let count = try r.readCount(maximum: 64, minimumItemSize: 1)
        var heights = [Int?](), domains = [Int?]()
        for _ in 0..<count {
            let offset = r.offset
            let h = Int(try r.readUInt8())
            guard h == 0 || (Proof.minLogHeight...Proof.maxLogHeight).contains(h) else {
                throw .nonCanonical(value: UInt64(h), offset: offset)
            }
            guard h != 0 else { heights.append(nil); domains.append(nil); continue }
            let domainOffset = r.offset
            let d = Int(try r.readUInt8())
            // Only domains some options give: from the height up to the most queries'.
            guard (h...maxLogDomain(logHeight: h)).contains(d) else { throw .nonCanonical(value: UInt64(d), offset: domainOffset) }
            heights.append(h)
            domains.append(d)
        }
        // A root exactly when some table has preprocessed columns.
        guard (root != nil) == heights.contains(where: { $0 != nil }) else { throw .nonCanonical(value: UInt64(flag), offset: flagOffset) }
        return PreprocessedKey(root: root, logHeights: heights, logDomains: domains, logBlowup: logBlowup)
    }

    /// The bytes absorbed into the transcript before any challenge.
    public var encoded: [UInt8] {
        var w = ByteWriter()
        encode(into: &w)
        return w.bytes
    }
}

/// The preprocessed columns of an AIR instance, extended and committed
/// (Spec/proof-system.md §3.0): deterministic — no mask and no salt, since
/// the columns are public — so the key generator, the prover and a verifier
/// given the program all derive the same root. The prover opens these rows
/// at the queries like any committed round.
public struct PreprocessedTrace: Sendable {
    public private(set) var key: PreprocessedKey
    /// E of the proofs it was committed for (sets the domains of replacements).
    public let degreeExcess: Int
    /// Per table, its LDE (bit-reversed coset order, one row per point) or nil.
    public let matrices: [RowMajorMatrix?]
    /// The mixed-height tree over the present matrices, in table order.
    public let tree: MixedMerkleTree?

    /// - Parameter columns: per table its preprocessed columns, each of one
    ///   power-of-two height (empty for tables without).
    /// - Parameter degreeExcess: E of the proofs it is for (0 transparent):
    ///   each table is extended over its domain (`CommitmentLayout.logDomain`).
    /// - Precondition: heights are powers of two in 2^3…2^26, 1 ≤ logBlowup ≤ 4,
    ///   0 ≤ degreeExcess ≤ 2·(6 + 2·512).
    public init(columns: [[[Goldilocks]]], logBlowup: Int, degreeExcess: Int, threads: Int = Parallel.defaultThreads) {
        precondition((1...4).contains(logBlowup), "log blowup 1…4")
        precondition((0...CommitmentLayout.maxDegreeExcess).contains(degreeExcess), "degree excess of some options")
        var matrices = [RowMajorMatrix?]()
        var heights = [Int?](), domains = [Int?]()
        for table in columns {
            guard let n = table.first?.count else { matrices.append(nil); heights.append(nil); domains.append(nil); continue }
            precondition(n >= 1 << Proof.minLogHeight && n <= 1 << Proof.maxLogHeight && n & (n - 1) == 0
                         && table.allSatisfy { $0.count == n }, "preprocessed columns of one power-of-two height")
            let logDomain = CommitmentLayout.logDomain(logHeight: n.trailingZeroBitCount, degreeExcess: degreeExcess)
            heights.append(n.trailingZeroBitCount)
            domains.append(logDomain)
            matrices.append(Self.extend(table, logDomain: logDomain, logBlowup: logBlowup, threads: threads))
        }
        self.init(matrices: matrices, heights: heights, domains: domains, logBlowup: logBlowup,
                  degreeExcess: degreeExcess, threads: threads)
    }

    private init(matrices: [RowMajorMatrix?], heights: [Int?], domains: [Int?], logBlowup: Int, degreeExcess: Int, threads: Int) {
        let present = matrices.compactMap { $0 }
        let tree = present.isEmpty ? nil : MixedMerkleTree(matrices: present, threads: threads)
        self.matrices = matrices
        self.tree = tree
        self.degreeExcess = degreeExcess
        key = PreprocessedKey(root: tree?.root, logHeights: heights, logDomains: domains, logBlowup: logBlowup)
    }

    /// This trace with the columns of some tables replaced (others' LDEs are
    /// reused; the tree is rebuilt).
    /// - Precondition: every replacement is non-empty, of one power-of-two height ≥ 8.
    public func replacing(_ tables: [Int: [[Goldilocks]]], threads: Int = Parallel.defaultThreads) -> PreprocessedTrace {
        var matrices = self.matrices
        var heights = key.logHeights, domains = key.logDomains
        for (t, columns) in tables {
            let n = columns[0].count
            precondition(n >= 1 << Proof.minLogHeight && n & (n - 1) == 0 && columns.allSatisfy { $0.count == n })
            let logDomain = CommitmentLayout.logDomain(logHeight: n.trailingZeroBitCount, degreeExcess: degreeExcess)
            matrices[t] = Self.extend(columns, logDomain: logDomain, logBlowup: key.logBlowup, threads: threads)
            heights[t] = n.trailingZeroBitCount
            domains[t] = logDomain
        }
        return PreprocessedTrace(matrices: matrices, heights: heights, domains: domains, logBlowup: key.logBlowup,
                                 degreeExcess: degreeExcess, threads: threads)
    }

    /// This trace under another key: what a prover lying about its
    /// preprocessed columns would commit while claiming `key` (for tests of
    /// the verifier's binding only).
    func claiming(_ key: PreprocessedKey) -> PreprocessedTrace {
        var copy = self
        copy.key = key
        return copy
    }

    /// Rows at top-level LDE positions `queries` of a domain of 2^topLevel,
    /// for every table with preprocessed columns (nil when none has).
    public func open(queries: [Int], topLevel: Int) -> RoundOpening? {
        guard let tree else { return nil }
        let (rows, proof) = tree.open(queries.map { $0 >> (topLevel - tree.topLogHeight) })
        return RoundOpening(rows: rows, proof: proof)
    }

    /// Row-major LDE of one table's columns over its domain.
    static func extend(_ columns: [[Goldilocks]], logDomain: Int, logBlowup: Int, threads: Int) -> RowMajorMatrix {
        ColumnExtension.extend(columns.map { .evaluations($0, mask: []) }, logDomain: logDomain, logBlowup: logBlowup, threads: threads)
    }
}
