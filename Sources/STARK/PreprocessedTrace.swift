import AIR
import Commitments
import Field
import Hashing
import Parallel
import Polynomials

/// What a verifier knows of an AIR instance's preprocessed columns: the root
/// of their commitment and every table's height (Spec/proof-system.md §1,
/// §3.0). It is all a verification key needs of them, so verifying costs the
/// same for a program of ten instructions and one of a million.
public struct PreprocessedKey: Sendable, Equatable, Hashable {
    /// The root of the mixed-height Merkle tree over the LDEs of every table
    /// with preprocessed columns; nil when no table has any.
    public var root: Digest?
    /// Per table, log2 of its height (3…26) if it has preprocessed columns,
    /// else nil: such tables' heights are fixed by the key, not by the prover.
    public var logHeights: [Int?]
    /// log2 of the blowup the LDEs were committed at (1…4); a proof must use it.
    public var logBlowup: Int
    /// E, the degree excess of the proofs the key is for (0 transparent,
    /// `CommitmentLayout.degreeExcess` with masking): with the heights it
    /// fixes each table's domain (`CommitmentLayout.logDomain`); a proof must match it.
    public var degreeExcess: Int

    public init(root: Digest?, logHeights: [Int?], logBlowup: Int, degreeExcess: Int = 0) {
        self.root = root
        self.logHeights = logHeights
        self.logBlowup = logBlowup
        self.degreeExcess = degreeExcess
    }

    /// Largest E a key may name (h = 6 + 2·512 queries, E = 2h).
    public static let maxDegreeExcess = 2 * (6 + 2 * ProofOptions.maxQueries)

    /// Canonical bytes: u8 log blowup, u16 degree excess, u8 has-root, the
    /// root, u32 table count, then per table u8 log height (0 for none).
    public func encode(into w: inout ByteWriter) {
        w.write(UInt8(logBlowup))
        w.write(UInt16(degreeExcess))
        w.write(UInt8(root == nil ? 0 : 1))
        if let root { w.write(raw: root.bytes) }
        w.write(UInt32(logHeights.count))
        for h in logHeights { w.write(UInt8(h ?? 0)) }
    }

    public static func decode(from r: inout ByteReader) throws(FieldError) -> PreprocessedKey {
        let blowupOffset = r.offset
        let logBlowup = Int(try r.readUInt8())
        guard (1...4).contains(logBlowup) else { throw .nonCanonical(value: UInt64(logBlowup), offset: blowupOffset) }
        let excessOffset = r.offset
        let degreeExcess = Int(try r.readUInt16())
        guard degreeExcess <= maxDegreeExcess else { throw .nonCanonical(value: UInt64(degreeExcess), offset: excessOffset) }
        let flagOffset = r.offset
        let flag = try r.readUInt8()
        guard flag <= 1 else { throw .nonCanonical(value: UInt64(flag), offset: flagOffset) }
        let root = flag == 1 ? Digest(bytes: try r.readBytes(Digest.byteCount))! : nil
        let count = try r.readCount(maximum: 64, minimumItemSize: 1)
        var heights = [Int?]()
        for _ in 0..<count {
            let offset = r.offset
            let h = Int(try r.readUInt8())
            guard h == 0 || (Proof.minLogHeight...Proof.maxLogHeight).contains(h) else {
                throw .nonCanonical(value: UInt64(h), offset: offset)
            }
            heights.append(h == 0 ? nil : h)
        }
        // A root exactly when some table has preprocessed columns.
        guard (root != nil) == heights.contains(where: { $0 != nil }) else { throw .nonCanonical(value: UInt64(flag), offset: flagOffset) }
        return PreprocessedKey(root: root, logHeights: heights, logBlowup: logBlowup, degreeExcess: degreeExcess)
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
    /// Per table, its LDE (bit-reversed coset order, one row per point) or nil.
    public let matrices: [RowMajorMatrix?]
    /// The mixed-height tree over the present matrices, in table order.
    public let tree: MixedMerkleTree?

    /// - Parameter columns: per table its preprocessed columns, each of one
    ///   power-of-two height (empty for tables without).
    /// - Parameter degreeExcess: E of the proofs it is for (0 transparent):
    ///   each table is extended over its domain (`CommitmentLayout.logDomain`).
    /// - Precondition: heights are powers of two in 2^3…2^26, 1 ≤ logBlowup ≤ 4.
    public init(columns: [[[Goldilocks]]], logBlowup: Int, degreeExcess: Int = 0, threads: Int = Parallel.defaultThreads) {
        precondition((1...4).contains(logBlowup), "log blowup 1…4")
        var matrices = [RowMajorMatrix?]()
        var heights = [Int?]()
        for table in columns {
            guard let n = table.first?.count else { matrices.append(nil); heights.append(nil); continue }
            precondition(n >= 1 << Proof.minLogHeight && n & (n - 1) == 0 && table.allSatisfy { $0.count == n },
                         "preprocessed columns of one power-of-two height")
            heights.append(n.trailingZeroBitCount)
            matrices.append(Self.extend(table, logBlowup: logBlowup, degreeExcess: degreeExcess, threads: threads))
        }
        self.init(matrices: matrices, heights: heights, logBlowup: logBlowup, degreeExcess: degreeExcess, threads: threads)
    }

    private init(matrices: [RowMajorMatrix?], heights: [Int?], logBlowup: Int, degreeExcess: Int, threads: Int) {
        let present = matrices.compactMap { $0 }
        let tree = present.isEmpty ? nil : MixedMerkleTree(matrices: present, threads: threads)
        self.matrices = matrices
        self.tree = tree
        key = PreprocessedKey(root: tree?.root, logHeights: heights, logBlowup: logBlowup, degreeExcess: degreeExcess)
    }

    /// This trace with the columns of some tables replaced (others' LDEs are
    /// reused; the tree is rebuilt).
    /// - Precondition: every replacement is non-empty, of one power-of-two height ≥ 8.
    public func replacing(_ tables: [Int: [[Goldilocks]]], threads: Int = Parallel.defaultThreads) -> PreprocessedTrace {
        var matrices = self.matrices
        var heights = key.logHeights
        for (t, columns) in tables {
            let n = columns[0].count
            precondition(n >= 1 << Proof.minLogHeight && n & (n - 1) == 0 && columns.allSatisfy { $0.count == n })
            matrices[t] = Self.extend(columns, logBlowup: key.logBlowup, degreeExcess: key.degreeExcess, threads: threads)
            heights[t] = n.trailingZeroBitCount
        }
        return PreprocessedTrace(matrices: matrices, heights: heights, logBlowup: key.logBlowup, degreeExcess: key.degreeExcess,
                                 threads: threads)
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
    static func extend(_ columns: [[Goldilocks]], logBlowup: Int, degreeExcess: Int, threads: Int) -> RowMajorMatrix {
        let logHeight = columns[0].count.trailingZeroBitCount
        return ColumnExtension.extend(columns.map { .evaluations($0, mask: []) },
                                      logDomain: CommitmentLayout.logDomain(logHeight: logHeight, degreeExcess: degreeExcess),
                                      logBlowup: logBlowup, threads: threads)
    }
}
