import AIR
import Commitments
import Field
import Polynomials
import STARK

/// The STARK verifier (Spec/proof-system.md §4–5). It replays the
/// transcript, checks the LogUp balance and the constraints at the
/// out-of-domain point, the Merkle openings, and the FRI folding down to the
/// final polynomial. Every failure is a thrown `STARKError`; nothing traps on
/// hostile input.
public enum Verifier {
    /// Returns the proof's security level if the proof is valid.
    @discardableResult
    public static func verify(_ proof: Proof, input: VerifierInput,
                              policy: VerifierPolicy = .standard) throws(STARKError) -> SecurityLevel {
        let air = input.air
        let options = proof.options
        try options.validate()
        try ProofShape.check(proof, input: input, policy: policy)
        let logHeights = proof.tables.map(\.logHeight)
        let security = SecurityLevel(options: options, air: air, logHeights: logHeights)
        guard security.provenBits >= policy.minimumProvenBits else {
            throw .policyViolation(String(format: "%.1f proven bits < required %.1f", security.provenBits, policy.minimumProvenBits))
        }

        // Replay the transcript.
        var transcript = ProtocolTranscript(air: air, options: options, statement: input.statement,
                                            publicValues: input.publicValues, logHeights: logHeights)
        transcript.absorbMainRoots([proof.main?.root])
        let challenges = transcript.logUpChallenges(air: air)
        transcript.absorbAuxiliary(root: proof.auxiliary?.root, claimedSums: proof.tables.map(\.claimedSum))
        let gamma = transcript.constraintChallenge()
        transcript.absorbQuotientRoots([proof.quotient.root])
        let z = transcript.outOfDomainPoint()
        transcript.absorbOpenings(proof.tables.map(\.openings))
        let delta = transcript.deepChallenge()
        let levels = Set(logHeights.map { $0 + options.logBlowup })
        let schedule = try FRISchedule(tableLevels: levels, options: options)
        guard proof.friLayers.count == schedule.committedLayerCount else {
            throw .rejected(check: "FRI layer count \(proof.friLayers.count) ≠ \(schedule.committedLayerCount)")
        }
        guard proof.finalPolynomial.count == 1 << options.logFinalPolynomialLength else {
            throw .rejected(check: "final polynomial length \(proof.finalPolynomial.count) ≠ \(1 << options.logFinalPolynomialLength)")
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

        // LogUp: the tables' sums and the statement's messages cancel.
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
        guard total.isZero else { throw .rejected(check: "LogUp sums do not cancel") }

        // Constraints at z.
        let cache = OutOfDomainCheck.WeightCache()
        for (t, table) in air.tables.enumerated() {
            try OutOfDomainCheck.check(table: table, tableProof: proof.tables[t], preprocessed: input.preprocessed[t],
                                       z: z, gamma: gamma, challenges: challenges, publicValues: input.publicValues,
                                       cache: cache)
        }

        // Openings and FRI.
        try FRIVerifier.verify(proof: proof, air: air, schedule: schedule, queries: queries, foldChallenges: foldChallenges,
                               z: z, delta: delta)
        return security
    }
}
