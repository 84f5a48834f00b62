import Commitments
import Field
import Hashing

/// Rows of a committed matrix at some positions, with the Merkle multi-proof
/// that authenticates them. Positions are not stored: the verifier derives
/// them from the query indices (sorted, without repeats).
public struct MatrixOpening: Sendable, Equatable {
    public var rows: [[Goldilocks]]
    public var proof: MerkleMultiProof

    public init(rows: [[Goldilocks]], proof: MerkleMultiProof) {
        self.rows = rows
        self.proof = proof
    }
}

/// Values of every committed column of one table at the out-of-domain point
/// z (and, for preprocessed, main and auxiliary columns, at z·ω). Auxiliary
/// and quotient columns are extension-valued and committed as three base
/// columns each; each base column is opened separately (Spec/proof-system.md §3.5).
public struct TableOpenings: Sendable, Equatable {
    public var preprocessedAtZ: [GoldilocksExt3]
    public var preprocessedAtNext: [GoldilocksExt3]
    public var mainAtZ: [GoldilocksExt3]
    public var mainAtNext: [GoldilocksExt3]
    public var auxiliaryAtZ: [GoldilocksExt3]
    public var auxiliaryAtNext: [GoldilocksExt3]
    public var quotientAtZ: [GoldilocksExt3]

    public init(preprocessedAtZ: [GoldilocksExt3] = [], preprocessedAtNext: [GoldilocksExt3] = [],
                mainAtZ: [GoldilocksExt3], mainAtNext: [GoldilocksExt3], auxiliaryAtZ: [GoldilocksExt3],
                auxiliaryAtNext: [GoldilocksExt3], quotientAtZ: [GoldilocksExt3]) {
        self.preprocessedAtZ = preprocessedAtZ
        self.preprocessedAtNext = preprocessedAtNext
        self.mainAtZ = mainAtZ
        self.mainAtNext = mainAtNext
        self.auxiliaryAtZ = auxiliaryAtZ
        self.auxiliaryAtNext = auxiliaryAtNext
        self.quotientAtZ = quotientAtZ
    }
}

/// The query openings of a round whose root the verifier already holds
/// (the preprocessed round: its root is in the key): per table with columns
/// in the round, its rows at the sorted distinct positions of its level,
/// with one multi-proof.
public struct RoundOpening: Sendable, Equatable {
    public var rows: [[[Goldilocks]]]
    public var proof: MerkleMultiProof

    public init(rows: [[[Goldilocks]]], proof: MerkleMultiProof) {
        self.rows = rows
        self.proof = proof
    }
}

/// Everything the proof holds for one table besides its rows.
public struct TableProof: Sendable, Equatable {
    /// log2 of the table's height, 3…26.
    public var logHeight: Int
    /// The table's LogUp sum (exactly when it has auxiliary columns).
    public var claimedSum: GoldilocksExt3?
    public var openings: TableOpenings

    public init(logHeight: Int, claimedSum: GoldilocksExt3?, openings: TableOpenings) {
        self.logHeight = logHeight
        self.claimedSum = claimedSum
        self.openings = openings
    }
}

/// One commitment round (main, auxiliary or quotient): the root of the
/// mixed-height Merkle tree over the LDEs of every table with columns in
/// that round, and the query openings — per such table, in table order, its
/// rows at the sorted distinct positions of its level — with one multi-proof.
public struct PhaseCommitment: Sendable, Equatable {
    public var root: Digest
    public var rows: [[[Goldilocks]]]
    public var proof: MerkleMultiProof

    public init(root: Digest, rows: [[[Goldilocks]]], proof: MerkleMultiProof) {
        self.root = root
        self.rows = rows
        self.proof = proof
    }
}

/// One committed FRI layer: its root and the leaves the queries open.
public struct FRILayerProof: Sendable, Equatable {
    public var root: Digest
    public var queries: MatrixOpening

    public init(root: Digest, queries: MatrixOpening) {
        self.root = root
        self.queries = queries
    }
}

/// A STARK proof for one AIR instance (Spec/proof-format.md §STARK).
public struct Proof: Sendable, Equatable {
    public var options: ProofOptions
    public var tables: [TableProof]
    /// Present exactly when some table has preprocessed columns; its root is the key's.
    public var preprocessed: RoundOpening?
    /// Present exactly when some table has main-round columns.
    public var main: PhaseCommitment?
    /// Present exactly when some table has LogUp interactions.
    public var auxiliary: PhaseCommitment?
    public var quotient: PhaseCommitment
    public var friLayers: [FRILayerProof]
    /// Coefficients of the final FRI polynomial, lowest first.
    public var finalPolynomial: [GoldilocksExt3]
    public var proofOfWorkNonce: UInt64

    public init(options: ProofOptions, tables: [TableProof], preprocessed: RoundOpening? = nil, main: PhaseCommitment?,
                auxiliary: PhaseCommitment?, quotient: PhaseCommitment, friLayers: [FRILayerProof],
                finalPolynomial: [GoldilocksExt3], proofOfWorkNonce: UInt64) {
        self.options = options
        self.tables = tables
        self.preprocessed = preprocessed
        self.main = main
        self.auxiliary = auxiliary
        self.quotient = quotient
        self.friLayers = friLayers
        self.finalPolynomial = finalPolynomial
        self.proofOfWorkNonce = proofOfWorkNonce
    }

    /// The largest supported table height, 2^26 rows.
    public static let maxLogHeight = 26
    /// The smallest table height, 2^3 rows.
    public static let minLogHeight = 3
}
