import AIR
import Field
import Hashing
import Transcript

/// The Fiat–Shamir schedule shared by prover and verifier, so both absorb the
/// same values in the same order (Spec/proof-system.md §3, Spec/transcript.md §8).
/// Every value the verifier uses is absorbed before any challenge that
/// depends on it.
public struct ProtocolTranscript {
    public private(set) var transcript: Transcript

    public static let domain = "zkvm-stark-v2"

    /// Starts the transcript with the statement: the AIR's full shape (every
    /// compiled constraint), the options, the caller's statement bytes
    /// (program digest, public inputs/outputs, segment data), the public
    /// values, the statement's bus messages, every table's height, and the
    /// preprocessed key (the root every preprocessed opening is checked
    /// against).
    public init(air: AIRDefinition, options: ProofOptions, statement: [UInt8],
                publicValues: [Goldilocks], boundary: [BoundaryMessage], logHeights: [Int], preprocessed: PreprocessedKey) {
        transcript = Transcript(domain: Self.domain)
        transcript.absorb("air", bytes: air.shapeDescription)
        var w = ByteWriter()
        options.encode(into: &w)
        transcript.absorb("options", bytes: w.bytes)
        transcript.absorb("statement", bytes: statement)
        transcript.absorb("public values", publicValues)
        transcript.absorb("boundary messages", integer: UInt64(boundary.count))
        for m in boundary {
            transcript.absorb("boundary message", [Goldilocks(m.bus), m.multiplicity] + m.message)
        }
        transcript.absorb("log heights", logHeights.map { Goldilocks($0) })
        transcript.absorb("preprocessed", bytes: preprocessed.encoded)
    }

    public mutating func absorbMainRoots(_ roots: [Digest?]) {
        for root in roots { if let root { transcript.absorb("main root", root) } }
    }

    /// Segments (Spec/proof-system.md §4): a digest binding everything this
    /// transcript has absorbed (statement, public values, heights, main
    /// roots). All segments' bindings, in order, seed the shared challenges.
    public mutating func segmentBinding() -> Digest { transcript.challengeDigest() }

    /// The LogUp challenges shared by all segments of one run: α and β drawn
    /// from a transcript that absorbs the segment count and every segment's
    /// binding in order, so no segment's challenges exist before every
    /// segment's main trace is committed. A run of one segment is an
    /// ordinary proof drawing its own challenges: nil.
    public static func sharedLogUpChallenges(bindings: [Digest], maxMessageLength: Int) -> SharedLogUpChallenges? {
        guard bindings.count > 1 else { return nil }
        var t = Transcript(domain: "zkvm-stark-segments-v1")
        t.absorb("segments", integer: UInt64(bindings.count))
        for b in bindings { t.absorb("segment binding", b) }
        let seed = t.challengeDigest()
        let alpha = t.challengeExtension()
        let beta = t.challengeExtension()
        return SharedLogUpChallenges(seed: seed, challenges: LogUpChallenges.vector(
            alpha: alpha, beta: beta, maxMessageLength: maxMessageLength))
    }

    /// The LogUp challenge vector of this proof: drawn from this transcript
    /// for a single proof; for a segment, the shared one, after absorbing its
    /// seed (so every later challenge depends on all segments).
    public mutating func logUpChallenges(air: AIRDefinition, shared: SharedLogUpChallenges?) -> [GoldilocksExt3] {
        guard let shared else { return logUpChallenges(air: air) }
        transcript.absorb("shared logup seed", shared.seed)
        return air.usesLogUp ? shared.challenges : []
    }

    /// α and β, expanded to the challenge vector [α, β, …, β^w].
    public mutating func logUpChallenges(air: AIRDefinition) -> [GoldilocksExt3] {
        guard air.usesLogUp else { return [] }
        let alpha = transcript.challengeExtension()
        let beta = transcript.challengeExtension()
        return LogUpChallenges.vector(alpha: alpha, beta: beta, maxMessageLength: air.maxMessageLength)
    }

    public mutating func absorbAuxiliary(root: Digest?, claimedSums: [GoldilocksExt3?]) {
        if let root { transcript.absorb("aux root", root) }
        for sum in claimedSums { if let sum { transcript.absorb("claimed sum", sum) } }
    }

    /// The constraint-combination coefficients γ_j, one per constraint of
    /// every table in order (linear batching, Spec/security.md §1).
    public mutating func constraintCoefficients(air: AIRDefinition) -> [GoldilocksExt3] {
        transcript.challengeExtensions(count: air.tables.map(\.constraints.count).reduce(0, +))
    }

    public mutating func absorbQuotientRoots(_ roots: [Digest]) {
        for root in roots { transcript.absorb("quotient root", root) }
    }

    /// The out-of-domain point z, redrawn until it lies outside the base
    /// field — hence outside every trace and LDE domain, so no selector or
    /// DEEP denominator vanishes.
    public mutating func outOfDomainPoint() -> GoldilocksExt3 {
        while true {
            let z = transcript.challengeExtension()
            if z.baseValue == nil { return z }
            transcript.absorb("retry", integer: 1)
        }
    }

    public mutating func absorbOpenings(_ openings: [TableOpenings]) {
        for o in openings {
            transcript.absorb("preprocessed at z", o.preprocessedAtZ)
            transcript.absorb("preprocessed at zw", o.preprocessedAtNext)
            transcript.absorb("main at z", o.mainAtZ)
            transcript.absorb("main at zw", o.mainAtNext)
            transcript.absorb("aux at z", o.auxiliaryAtZ)
            transcript.absorb("aux at zw", o.auxiliaryAtNext)
            transcript.absorb("quotient at z", o.quotientAtZ)
        }
    }

    /// The DEEP batching coefficients δ_k, one per batched polynomial
    /// term in DEEP order (linear batching, Spec/security.md §1).
    public mutating func deepCoefficients(count: Int) -> [GoldilocksExt3] { transcript.challengeExtensions(count: count) }

    /// After layer k's root: the fold challenges ζ of its step's binary folds,
    /// then η for the next layer's injection (drawn whether used or not).
    public mutating func foldChallenges(arity: Int) -> (folds: [GoldilocksExt3], inject: GoldilocksExt3) {
        let folds = (0..<arity).map { _ in transcript.challengeExtension() }
        return (folds, transcript.challengeExtension())
    }

    public mutating func absorbLayerRoot(_ root: Digest) { transcript.absorb("fri layer", root) }

    public mutating func absorbFinalPolynomial(_ coefficients: [GoldilocksExt3]) {
        transcript.absorb("final polynomial", coefficients)
    }

    public mutating func grind(bits: Int) throws(TranscriptError) -> UInt64 { try transcript.grind(bits: bits) }

    public mutating func verifyProofOfWork(nonce: UInt64, bits: Int) throws(TranscriptError) {
        try transcript.verifyProofOfWork(nonce: nonce, bits: bits)
    }

    public mutating func queryPositions(count: Int, logDomainSize: Int) -> [Int] {
        transcript.challengeIndices(count: count, bound: 1 << logDomainSize)
    }
}

/// LogUp challenges common to every segment of a run (Spec/proof-system.md §4).
public struct SharedLogUpChallenges: Sendable {
    /// Binds all segments' transcripts; every segment absorbs it.
    public var seed: Digest
    /// [α, β, …, β^w].
    public var challenges: [GoldilocksExt3]
}

extension ProtocolTranscript {
    /// The out-of-domain point z of a single (unsegmented) proof, from public
    /// data only: the transcript replayed through the statement, the
    /// main root, the LogUp challenges, the auxiliary round, γ
    /// and the quotient round — what any verifier knows of z. For tests and
    /// audits of what a proof reveals (Spec/zk.md §1); `air` is the AIR the
    /// proof was made for (blinded for zero-knowledge proofs).
    public static func outOfDomainPoint(of proof: Proof, air: AIRDefinition, statement: [UInt8],
                                        publicValues: [Goldilocks], boundary: [BoundaryMessage] = [],
                                        preprocessed: PreprocessedKey) -> GoldilocksExt3 {
        var t = ProtocolTranscript(air: air, options: proof.options, statement: statement, publicValues: publicValues,
                                   boundary: boundary, logHeights: proof.tables.map(\.logHeight), preprocessed: preprocessed)
        t.absorbMainRoots([proof.main?.root])
        _ = t.segmentBinding()
        _ = t.logUpChallenges(air: air, shared: nil)
        t.absorbAuxiliary(root: proof.auxiliary?.root, claimedSums: proof.tables.map(\.claimedSum))
        _ = t.constraintCoefficients(air: air)
        t.absorbQuotientRoots([proof.quotient.root])
        return t.outOfDomainPoint()
    }
}
