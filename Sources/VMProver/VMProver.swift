import Field
import ISA
import Parallel
import Prover
import STARK
import VMArithmetization

/// Proves a program's execution: run, build the witness, split it into
/// segments, prove them with shared LogUp challenges (Spec/vm-air.md §8).
public enum VMProver {
    public struct Result {
        public var file: VMProofFile
        /// One report per segment.
        public var reports: [ProverReport]
        public var steps: Int
        public var witnessSeconds: Double
        /// The options used (queries may have been raised to keep the floor over many segments).
        public var options: ProofOptions
        /// The proof's proven security level over all segments.
        public var security: SecurityLevel
    }

    /// Debug builds check every witness with the `DebugChecker` before
    /// proving (naming the failing table, constraint and row); release
    /// builds skip it for speed unless asked.
    #if DEBUG
    public static let checksWitnessByDefault = true
    #else
    public static let checksWitnessByDefault = false
    #endif

    /// - Parameters:
    ///   - segmentRows: the most CPU rows and tensor rows per segment.
    ///   - minimumProvenBits: if set, queries are raised (never lowered)
    ///     until the run's combined level reaches it — a run of many
    ///     segments loses ⌈log2 #segments⌉ bits to the union bound.
    public static func prove(program: Program, rawInputs: [[Int64]], options: ProofOptions = .standard,
                             maxSteps: Int = 1 << 26, segmentRows: Int = WitnessBuilder.defaultSegmentRows,
                             minimumProvenBits: Double? = 100, checkWitness: Bool = checksWitnessByDefault,
                             threads: Int = Parallel.defaultThreads,
                             progress: (String) -> Void = { _ in }) throws -> Result {
        guard segmentRows >= 1 else { throw VMArithmetizationError.unsupported("segment size must be at least 1 row") }
        let vmAir = try VMAir(program: program)
        let start = ContinuousClock.now
        let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: rawInputs, maxSteps: maxSteps, segmentRows: segmentRows)
        let elapsed = ContinuousClock.now - start
        let count = witness.segments.count
        let lastColumns = vmAir.preprocessedColumns(statement: witness.statement, isLastSegment: true)
        let otherColumns = count > 1 ? vmAir.preprocessedColumns(statement: witness.statement, isLastSegment: false) : []
        let inputs = witness.segments.enumerated().map { i, segment in
            let isLast = i == count - 1
            return ProverInput(air: vmAir.air, main: segment.main, preprocessed: isLast ? lastColumns : otherColumns,
                               publicValues: segment.boundary.publicValues(isLast: isLast),
                               statement: VMProofFile.segmentStatement(witness.statement, index: i, count: count))
        }
        var options = options
        func level() -> SecurityLevel {
            SecurityLevel.segmented(inputs.map { input in
                SecurityLevel(options: options, air: vmAir.air,
                              logHeights: input.main.map { ($0.first?.count ?? 8).trailingZeroBitCount })
            })
        }
        if let minimumProvenBits {
            while level().provenBits < minimumProvenBits, options.queries < ProofOptions.maxQueries { options.queries += 1 }
        }
        let (proofs, reports) = try Prover.proveSegments(inputs, options: options, checkWitness: checkWitness,
                                                         threads: threads, progress: progress)
        let segments = zip(witness.segments, proofs).map { VMProofFile.Segment(boundary: $0.boundary, proof: $1.encoded()) }
        return Result(file: VMProofFile(statement: witness.statement, segments: segments), reports: reports,
                      steps: witness.steps,
                      witnessSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                      options: options, security: level())
    }
}
