import AIR
import Field
import Hashing
import STARK

/// What the verifier knows without the proof: the AIR, the preprocessed
/// columns' commitment (from a verification key, or derived from the
/// program's columns — never from the proof), the public values, the
/// statement's own bus messages and the statement bytes.
public struct VerifierInput: Sendable {
    /// Where the preprocessed commitment comes from.
    public enum Preprocessed: Sendable {
        /// A key: the root and heights, at its blowup (verification costs
        /// the same for any size of preprocessed columns).
        case key(PreprocessedKey)
        /// The columns themselves: the verifier commits them at the
        /// proof's blowup (cost linear in their size).
        case columns([[[Goldilocks]]])
    }

    public var air: AIRDefinition
    public var preprocessed: Preprocessed
    public var publicValues: [Goldilocks]
    public var boundary: [BoundaryMessage]
    public var statement: [UInt8]

    public init(air: AIRDefinition, preprocessed: Preprocessed, publicValues: [Goldilocks],
                boundary: [BoundaryMessage], statement: [UInt8]) {
        self.air = air
        self.preprocessed = preprocessed
        self.publicValues = publicValues
        self.boundary = boundary
        self.statement = statement
    }

    public init(air: AIRDefinition, preprocessedKey: PreprocessedKey, publicValues: [Goldilocks],
                boundary: [BoundaryMessage], statement: [UInt8]) {
        self.init(air: air, preprocessed: .key(preprocessedKey), publicValues: publicValues, boundary: boundary,
                  statement: statement)
    }

    /// The preprocessed columns given as columns (per table; empty for none).
    public init(air: AIRDefinition, preprocessed: [[[Goldilocks]]], publicValues: [Goldilocks],
                boundary: [BoundaryMessage], statement: [UInt8]) {
        self.init(air: air, preprocessed: .columns(preprocessed), publicValues: publicValues, boundary: boundary,
                  statement: statement)
    }

    /// The preprocessed key for a proof at `logBlowup` and degree excess E:
    /// the given key, or the columns committed here.
    func preprocessedKey(logBlowup: Int, degreeExcess: Int) throws(STARKError) -> PreprocessedKey {
        switch preprocessed {
        case .key(let key): return key
        case .columns(let columns):
            guard columns.count == air.tables.count else { throw .invalidInput("verifier input does not match the AIR") }
            for (t, table) in air.tables.enumerated() {
                let c = columns[t]
                let n = c.first?.count ?? 0
                guard c.count == table.preprocessedWidth, c.allSatisfy({ $0.count == n }),
                      c.isEmpty || (n >= 1 << Proof.minLogHeight && n <= 1 << Proof.maxLogHeight && n & (n - 1) == 0) else {
                    throw .invalidInput("table \(table.name): preprocessed columns do not match the AIR")
                }
            }
            return PreprocessedTrace(columns: columns, logBlowup: logBlowup, degreeExcess: degreeExcess).key
        }
    }
}

/// The verifier's acceptance policy (Spec/security.md §1): proofs whose
/// parameters give fewer proven bits than the floor are rejected, not
/// accepted at lower security.
public struct VerifierPolicy: Sendable {
    /// Minimum proven security in bits (default 100).
    public var minimumProvenBits: Double
    /// Largest accepted table height (log2).
    public var maxLogHeight: Int

    public init(minimumProvenBits: Double = 100, maxLogHeight: Int = 26) {
        self.minimumProvenBits = minimumProvenBits
        self.maxLogHeight = maxLogHeight
    }

    public static let standard = VerifierPolicy()
    /// For tests of the machinery with `ProofOptions.testing` only.
    public static let insecureTesting = VerifierPolicy(minimumProvenBits: 0)
}
