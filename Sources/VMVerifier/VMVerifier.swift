import AlgebraicHashing
import Hashing
import ISA
import ProofFiles
import STARK
import Verifier
import VMArithmetization

/// Verifies a `.zkp` file against a verification key (Spec/vm-air.md §8,
/// Spec/proof-format.md §Verification key): the statement must name the
/// key's program and fit its public tensors; the segments must chain from
/// (pc 0, timestamp 0), each starting where the previous ended; and every
/// segment's STARK proof must verify against the AIR of the key's shape,
/// its boundary as public values and the key's preprocessed roots — with
/// LogUp challenges shared by all segments and the bus sums (the
/// statement's public inputs and outputs included) cancelling over the run.
/// The cost depends on the proof and the statement, not on the program.
/// Every failure is a `VMVerifierError`.
public enum VMVerifier {
    /// - Parameter key: the program's key; its commitment, if any, is the
    ///   published weight commitment the statement must name.
    public static func verify(_ file: VMProofFile, key: VerificationKey,
                              policy: VerifierPolicy = .standard) throws(VMVerifierError) -> SecurityLevel {
        do { return try checked(file, key: key, policy: policy) } catch { throw .wrapping(error) }
    }

    private static func checked(_ file: VMProofFile, key: VerificationKey, policy: VerifierPolicy) throws -> SecurityLevel {
        let statement = file.statement
        guard statement.programDigest == key.programDigest else {
            throw VMVerifierError.statement("the proof is for another program (digest mismatch)")
        }
        guard (statement.weightCommitment != nil) == key.shape.hasCommittedWeights else {
            throw VMVerifierError.statement(key.shape.hasCommittedWeights
                ? "the program has committed weights but the statement names no commitment"
                : "the statement names a weight commitment but the program has no committed weights")
        }
        if let published = key.commitment, statement.weightCommitment != published.commitment {
            throw STARKError.rejected(check: "the proof is for other weights than the published commitment")
        }
        try statement.validate(layout: key.layout)
        let boundaries = file.segments.map(\.boundary)
        try SegmentBoundary.checkChain(boundaries)
        let count = file.segments.count
        var proofs = [Proof]()
        for segment in file.segments { proofs.append(try Proof.decode(segment.proof)) }
        guard let options = proofs.first?.options, proofs.allSatisfy({ $0.options == options }) else {
            throw STARKError.rejected(check: "segments must share one set of options")
        }
        try options.validate()
        // Each segment's tables must also lie on the key's domains (checked
        // with the proof's shape: options within a range of queries share a key).
        guard options.logBlowup == key.lastSegment.logBlowup else {
            throw VMVerifierError.key(
                "the key is for proofs of blowup 2^\(key.lastSegment.logBlowup); this proof has blowup 2^\(options.logBlowup) "
                + "(export the key with the proof's options: --no-zk, --log-blowup, --queries)")
        }
        let air = try key.shape.air(blinded: options.zeroKnowledge)
        let boundary = VMAir.boundaryMessages(layout: key.layout, statement: statement)
        var inputs = [VerifierInput]()
        for (i, segment) in file.segments.enumerated() {
            let isLast = i == count - 1
            inputs.append(VerifierInput(
                air: air, preprocessedKey: isLast ? key.lastSegment : key.otherSegments,
                publicValues: segment.boundary.publicValues(isLast: isLast, weightCommitment: statement.weightCommitment),
                boundary: isLast ? boundary : [], statement: VMProofFile.segmentStatement(statement, layout: key.layout, index: i, count: count)))
        }
        return try Verifier.verifySegments(proofs, inputs: inputs, policy: policy)
    }

    /// Verifies against a program: derives its key for the proof's options
    /// (committing its preprocessed columns, linear in the program's size)
    /// and verifies against that.
    /// - Parameter commitment: the published weight commitment the proof's
    ///   statement must name; required exactly when the program has
    ///   committed weights (a proof of other weights names another one).
    public static func verify(_ file: VMProofFile, program: Program, commitment: WeightCommitment? = nil,
                              policy: VerifierPolicy = .standard) throws(VMVerifierError) -> SecurityLevel {
        do { return try checked(file, program: program, commitment: commitment, policy: policy) } catch { throw .wrapping(error) }
    }

    private static func checked(_ file: VMProofFile, program: Program, commitment: WeightCommitment?,
                                policy: VerifierPolicy) throws -> SecurityLevel {
        let hasCommitted = program.hasCommittedWeights
        guard hasCommitted == (commitment != nil) else {
            throw VMVerifierError.key(hasCommitted ? "the program has committed weights: give their published commitment"
                                                                  : "the program has no committed weights, but a commitment was given")
        }
        try file.statement.validate(against: program)
        guard let first = file.segments.first else { throw STARKError.rejected(check: "a proof file without segments") }
        let proof = try Proof.decode(first.proof)
        let options = proof.options
        try options.validate()
        // The policy first: deriving the key costs an LDE of the program's
        // columns at the proof's blowup, which a hostile file must not buy
        // below the floor.
        let vmAir = try VMAir(program: program)
        let air = options.zeroKnowledge ? try VMShape(program: program).air(blinded: true) : vmAir.air
        guard proof.tables.count == air.tables.count else {
            throw STARKError.rejected(check: "proof has \(proof.tables.count) tables, the AIR \(air.tables.count)")
        }
        guard proof.tables.allSatisfy({ (Proof.minLogHeight...policy.maxLogHeight).contains($0.logHeight) }) else {
            throw STARKError.rejected(check: "a table height outside 2^\(Proof.minLogHeight)…2^\(policy.maxLogHeight)")
        }
        let level = SecurityLevel(options: options, air: air, logHeights: proof.tables.map(\.logHeight))
        guard level.provenBits >= policy.minimumProvenBits else {
            throw STARKError.policyViolation(String(format: "%.1f proven bits < required %.1f", level.provenBits, policy.minimumProvenBits))
        }
        let key = try VerificationKey(vmAir: vmAir,
                                      commitment: commitment.map { ModelCommitment(programDigest: program.digest, commitment: $0) },
                                      logBlowup: options.logBlowup, degreeExcess: CommitmentLayout(options: options).degreeExcess,
                                      segmented: file.segments.count > 1)
        return try checked(file, key: key, policy: policy)
    }
}
