import AIR
import Commitments
import Field
import Hashing
import Polynomials
import STARK

/// The STARK verifier (Spec/proof-system.md §3–4). It replays the
/// transcript, checks the LogUp balance and the constraints at the
/// out-of-domain point, the Merkle openings, and the FRI folding down to the
/// final polynomial. Every failure is a thrown `STARKError`; nothing traps on
/// hostile input.
public enum Verifier {
    /// Returns the proof's security level if the proof is valid.
    @discardableResult
    public static func verify(_ proof: Proof, input: VerifierInput,
                              policy: VerifierPolicy = .standard) throws(STARKError) -> SecurityLevel {
        var session = try VerifierSession(proof, input: input, policy: policy)
        let total = try session.finish(shared: nil)
        guard total.isZero else { throw .rejected(check: "LogUp sums do not cancel") }
        return session.security
    }

    /// Verifies the segments of one run (Spec/proof-system.md §4), in
    /// order: every segment's proof with the LogUp challenges drawn from all
    /// segments' bindings, and the LogUp sums cancelling over all segments
    /// together. Chaining the segments' public values is the caller's part
    /// (their statements and public values are bound into every binding).
    /// Returns the combined level (`SecurityLevel.segmented`), which must
    /// also meet the policy's floor.
    @discardableResult
    public static func verifySegments(_ proofs: [Proof], inputs: [VerifierInput],
                                      policy: VerifierPolicy = .standard) throws(STARKError) -> SecurityLevel {
        guard !proofs.isEmpty, proofs.count == inputs.count else {
            throw .invalidInput("\(proofs.count) segment proofs for \(inputs.count) segment statements")
        }
        var sessions = [VerifierSession]()
        // Levels by (options, heights), so a bundle of many alike segments
        // (or a hostile one) computes each distinct level once.
        var levels = [String: SecurityLevel]()
        for (proof, input) in zip(proofs, inputs) {
            sessions.append(try VerifierSession(proof, input: input, policy: policy, levels: &levels))
        }
        let security = SecurityLevel.segmented(sessions.map(\.security))
        guard security.provenBits >= policy.minimumProvenBits else {
            throw .policyViolation(String(format: "%.1f proven bits over %d segments < required %.1f",
                                          security.provenBits, proofs.count, policy.minimumProvenBits))
        }
        let shared = ProtocolTranscript.sharedLogUpChallenges(bindings: sessions.map(\.binding),
                                                              maxMessageLength: inputs.map(\.air.maxMessageLength).max()!)
        var total = GoldilocksExt3.zero
        for i in sessions.indices { total = total + (try sessions[i].finish(shared: shared)) }
        guard total.isZero else { throw .rejected(check: "LogUp sums do not cancel over the segments") }
        return security
    }
}

/// One proof's verification in two phases, mirroring the prover's session:
/// the statement and main root (giving the binding), then everything after
/// the LogUp challenges. `finish` returns the proof's LogUp sum (boundary
/// messages included) for the caller to check.
struct VerifierSession {
    let proof: Proof
    let input: VerifierInput
    /// The preprocessed commitment the openings are checked against.
    let key: PreprocessedKey
    let security: SecurityLevel
    let logHeights: [Int]
    private(set) var binding: Digest
    private var transcript: ProtocolTranscript

    init(_ proof: Proof, input: VerifierInput, policy: VerifierPolicy) throws(STARKError) {
        var levels = [String: SecurityLevel]()
        try self.init(proof, input: input, policy: policy, levels: &levels)
    }

    /// - Parameter levels: security levels already computed, keyed by AIR, options and heights.
    init(_ proof: Proof, input: VerifierInput, policy: VerifierPolicy, levels: inout [String: SecurityLevel]) throws(STARKError) {
        let options = proof.options
        try options.validate()
        var input = input
        if options.zeroKnowledge {   // the blinded AIR (Spec/zk.md §2.5)
            do { input.air = try input.air.blinded() } catch { throw .invalidInput("\(error)") }
        }
        let air = input.air
        let key = try input.preprocessedKey(logBlowup: options.logBlowup,
                                            degreeExcess: CommitmentLayout(options: options).degreeExcess)
        try ProofShape.check(proof, input: input, key: key, policy: policy)
        logHeights = proof.tables.map(\.logHeight)
        // Everything SecurityLevel reads from the AIR, the options and the heights.
        let shape = air.tables.map {
            "\($0.constraints.count),\($0.preprocessedWidth),\($0.mainWidth),\($0.auxiliaryWidth),\($0.interactions.count)"
        }
        let levelKey = "\(shape)|\(air.maxMessageLength)|\(options)|\(logHeights)"
        if let known = levels[levelKey] { security = known } else {
            security = SecurityLevel(options: options, air: air, logHeights: logHeights)
            levels[levelKey] = security
        }
        guard security.provenBits >= policy.minimumProvenBits else {
            throw .policyViolation(String(format: "%.1f proven bits < required %.1f", security.provenBits, policy.minimumProvenBits))
        }
        self.proof = proof
        self.input = input
        self.key = key
        transcript = ProtocolTranscript(air: air, options: options, statement: input.statement,
                                        publicValues: input.publicValues, boundary: input.boundary, logHeights: logHeights,
                                        preprocessed: key)
        transcript.absorbMainRoots([proof.main?.root])
        binding = transcript.segmentBinding()
    }

    mutating func finish(shared: SharedLogUpChallenges?) throws(STARKError) -> GoldilocksExt3 {
        let air = input.air
        let options = proof.options
        let challenges = transcript.logUpChallenges(air: air, shared: shared)
        transcript.absorbAuxiliary(root: proof.auxiliary?.root, claimedSums: proof.tables.map(\.claimedSum))
        let gammas = transcript.constraintCoefficients(air: air)
        transcript.absorbQuotientRoots([proof.quotient.root])
        let z = transcript.outOfDomainPoint()
        transcript.absorbOpenings(proof.tables.map(\.openings))
        let layoutForDeep = CommitmentLayout(options: options)
        let deltas = transcript.deepCoefficients(count: air.tables.map(layoutForDeep.batchedPolynomials).reduce(0, +))
        let schedule = try FRISchedule(logHeights: logHeights, options: options)
        guard proof.friLayers.count == schedule.committedLayerCount else {
            throw .rejected(check: "FRI layer count \(proof.friLayers.count) ≠ \(schedule.committedLayerCount)")
        }
        guard proof.finalPolynomial.count == schedule.finalLength else {
            throw .rejected(check: "final polynomial length \(proof.finalPolynomial.count) ≠ \(schedule.finalLength)")
        }
        var foldChallenges = [(folds: [GoldilocksExt3], inject: GoldilocksExt3)]()
        for (k, arity) in schedule.stepArities.enumerated() {
            transcript.absorbLayerRoot(proof.friLayers[k].root)
            foldChallenges.append(transcript.foldChallenges(arity: arity))
        }
        transcript.absorbFinalPolynomial(proof.finalPolynomial)
        do { try transcript.verifyProofOfWork(nonce: proof.proofOfWorkNonce, bits: options.grindingBits) } catch {
            throw .rejected(check: "proof of work: \(error)")
        }
        let queries = transcript.queryPositions(count: options.queries, logDomainSize: schedule.topLogSize)

        // LogUp: this proof's table sums plus the statement's messages.
        var total = GoldilocksExt3.zero
        for sum in proof.tables.compactMap(\.claimedSum) { total = total + sum }
        if !input.boundary.isEmpty && !air.usesLogUp {
            throw .invalidInput("boundary messages given for an AIR without buses")
        }
        for message in input.boundary {
            guard message.bus >= 0, message.bus < 1 << 16, message.message.count <= air.maxMessageLength,
                  let c = try? message.contribution(challenges: challenges) else {
                throw .rejected(check: "boundary message on bus \(message.bus) is invalid")
            }
            total = total + c
        }

        // Constraints at z.
        let layout = CommitmentLayout(options: options)
        var firstConstraint = 0
        for (t, table) in air.tables.enumerated() {
            try OutOfDomainCheck.check(table: table, layout: layout, tableProof: proof.tables[t], z: z,
                                       coefficients: gammas[firstConstraint..<firstConstraint + table.constraints.count],
                                       challenges: challenges, publicValues: input.publicValues)
            firstConstraint += table.constraints.count
        }

        // Openings and FRI.
        try FRIVerifier.verify(proof: proof, air: air, preprocessedRoot: key.root, schedule: schedule, queries: queries, foldChallenges: foldChallenges,
                               z: z, coefficients: deltas)
        return total
    }
}
