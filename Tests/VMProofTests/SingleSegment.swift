import AIR
import ProofFiles
import STARK
import Field
import VMArithmetization
import VMProver

/// The soundness tests work on runs that fit one segment; these name that
/// segment's parts.
extension WitnessBuilder.Witness {
    var main: [[[Goldilocks]]] {
        precondition(segments.count == 1, "a single-segment run")
        return segments[0].main
    }

    /// The only segment's public values (it is also the last).
    var publicValues: [Goldilocks] { segments[0].boundary.publicValues(isLast: true, weightCommitment: statement.weightCommitment) }

    /// The statement's public-I/O messages (for `statement`, or the run's own).
    func boundary(_ statement: VMStatement? = nil) -> [BoundaryMessage] {
        VMAir.boundaryMessages(layout: layout, statement: statement ?? self.statement)
    }

    /// The statement bytes the only segment's proof binds.
    func segmentStatement(_ statement: VMStatement? = nil) -> [UInt8] {
        VMProofFile.segmentStatement(statement ?? self.statement, layout: layout, index: 0, count: 1)
    }

    /// A one-segment file with `proof`.
    func file(_ proof: [UInt8], statement: VMStatement? = nil) -> VMProofFile {
        VMProofFile(statement: statement ?? self.statement, segments: [.init(boundary: segments[0].boundary, proof: proof)])
    }
}

extension VMAir {
    /// The preprocessed columns of a single-segment run (the program's alone;
    /// the statement enters through `boundaryMessages`).
    func preprocessedColumns(statement _: VMStatement) -> [[[Goldilocks]]] {
        preprocessedColumns(isLastSegment: true)
    }

    /// The statement's public-I/O messages, which balance the memory table's sends.
    func boundaryMessages(statement: VMStatement) -> [BoundaryMessage] {
        VMAir.boundaryMessages(layout: PublicLayout(program: program), statement: statement)
    }

    /// The preprocessed key of a single-segment proof under `options`.
    func preprocessedKey(options: ProofOptions) -> PreprocessedKey {
        preprocessedTraces(logBlowup: options.logBlowup, degreeExcess: CommitmentLayout(options: options).degreeExcess,
                           segmented: false, threads: 2).last.key
    }
}
