import AlgebraicHashing
import Hashing
import ISA
import STARK
import Verifier
import VMArithmetization

/// Verifies a `.zkp` file against a program (Spec/vm-air.md §8): the
/// statement must name this program and fit its public tensors; the
/// segments must chain from (pc 0, timestamp 0), each starting where the
/// previous ended; and every segment's STARK proof must verify against the
/// AIR, its boundary as public values, and the preprocessed columns the
/// verifier computes itself — with LogUp challenges shared by all segments
/// and the bus sums cancelling over the whole run.
public enum VMVerifier {
    /// - Parameter commitment: the published weight commitment the proof's
    ///   statement must name; required exactly when the program has
    ///   committed weights (a proof of other weights names another one).
    public static func verify(_ file: VMProofFile, program: Program, commitment: WeightCommitment? = nil,
                              policy: VerifierPolicy = .standard) throws -> SecurityLevel {
        let hasCommitted = program.hasCommittedWeights
        guard hasCommitted == (commitment != nil) else {
            throw VMArithmetizationError.invalidKey(hasCommitted ? "the program has committed weights: give their published commitment"
                                                                  : "the program has no committed weights, but a commitment was given")
        }
        try file.statement.validate(against: program)
        if let commitment, file.statement.weightCommitment != commitment {
            throw STARKError.rejected(check: "the proof is for other weights than the published commitment")
        }
        let boundaries = file.segments.map(\.boundary)
        try SegmentBoundary.checkChain(boundaries)
        let count = file.segments.count
        var proofs = [Proof](), inputs = [VerifierInput]()
        for segment in file.segments { proofs.append(try Proof.decode(segment.proof)) }
        // Table heights (and so the preprocessed columns) depend on the
        // options: zero knowledge has a larger smallest height.
        guard let options = proofs.first?.options, proofs.allSatisfy({ $0.options == options }) else {
            throw STARKError.rejected(check: "segments must share one set of options")
        }
        try options.validate()
        let vmAir = try VMAir(program: program, minLogHeight: CommitmentLayout(options: options).minLogHeight)
        // Two variants of the preprocessed columns, built once and shared
        // (copy-on-write): hostile files with many segments cost no more.
        let lastColumns = vmAir.preprocessedColumns(statement: file.statement, isLastSegment: true)
        let otherColumns = count > 1 ? vmAir.preprocessedColumns(statement: file.statement, isLastSegment: false) : []
        for (i, segment) in file.segments.enumerated() {
            let isLast = i == count - 1
            inputs.append(VerifierInput(
                air: vmAir.air, preprocessed: isLast ? lastColumns : otherColumns,
                publicValues: segment.boundary.publicValues(isLast: isLast, weightCommitment: file.statement.weightCommitment),
                boundary: [], statement: VMProofFile.segmentStatement(file.statement, index: i, count: count)))
        }
        return try Verifier.verifySegments(proofs, inputs: inputs, policy: policy)
    }
}
