import AIR
import Field
import Hashing

/// What the verifier knows without the proof: the AIR, the preprocessed
/// columns (derived from the program, never from the proof), the public
/// values, the statement's own bus messages and the statement bytes.
public struct VerifierInput: Sendable {
    public var air: AIRDefinition
    public var preprocessed: [[[Goldilocks]]]
    public var publicValues: [Goldilocks]
    public var boundary: [BoundaryMessage]
    public var statement: [UInt8]
    public init(air: AIRDefinition, preprocessed: [[[Goldilocks]]], publicValues: [Goldilocks],
                boundary: [BoundaryMessage], statement: [UInt8]) {
        self.air = air
        self.preprocessed = preprocessed
        self.publicValues = publicValues
        self.boundary = boundary
        self.statement = statement
    }
}

/// The verifier's acceptance policy (SECURITY-PLAN C.10): proofs whose
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
