import AIR
import AlgebraicHashing
import Field
import Hashing
import ISA
import Parallel
import ProofFiles
import Prover
import STARK
import VM
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

    /// A run prepared for proving: its segment plan, each segment's prover
    /// input made on demand, and the options (queries raised if needed).
    struct Prepared {
        var plan: WitnessBuilder.Plan
        var vmAir: VMAir
        var options: ProofOptions
        var security: SecurityLevel
        var witnessSeconds: Double
        let key: ProvingKey
        let boundary: [BoundaryMessage]

        var count: Int { plan.count }

        /// Segment `i`'s prover input: its witness is built here, so only
        /// the segments being proven are in memory.
        func input(_ i: Int) throws -> ProverInput {
            let segment = try WitnessBuilder(vmAir: vmAir).segment(i, of: plan)
            let isLast = i == count - 1
            return ProverInput(air: vmAir.air, main: segment.main,
                               preprocessed: isLast ? key.columns.last : key.columns.other,
                               preprocessedTrace: isLast ? key.traces.last : key.traces.other,
                               publicValues: segment.boundary.publicValues(isLast: isLast,
                                                                           weightCommitment: plan.statement.weightCommitment),
                               boundary: isLast ? boundary : [],
                               statement: VMProofFile.segmentStatement(plan.statement, layout: plan.layout, index: i, count: count))
        }
    }

    static func prepare(program: Program, rawInputs: [[Int64]], options: ProofOptions, maxSteps: Int,
                        segmentRows: SegmentSize, minimumProvenBits: Double?, commitmentSeed: [UInt8]?,
                        key: ProvingKey? = nil, dump: (any ExecutionRecorder)? = nil) throws -> Prepared {
        // The weight commitment's salt: from the commitment's secret seed,
        // or fresh (a commitment of this proof only). A transparent proof
        // reveals the weights and so the salt: never with a persistent seed.
        if let commitmentSeed {
            try checkSeed(commitmentSeed)
            guard options.zeroKnowledge else {
                throw VMArithmetizationError.unsupported("a commitment's secret seed needs a zero-knowledge proof (a transparent one reveals the weights and the salt)")
            }
        }
        let salt = WeightSponge.salt(fromSeed: commitmentSeed ?? SecureRandom.seed())
        guard segmentRows.cpuRows >= 1, segmentRows.tensorRows >= 1 else {
            throw VMArithmetizationError.unsupported("segment size must be at least 1 row")
        }
        let start = ContinuousClock.now
        let execution = try WitnessBuilder.execute(program, rawInputs: rawInputs, maxSteps: maxSteps, dump: dump)
        let executionSeconds = seconds(ContinuousClock.now - start)
        var run = try prepare(execution, program: program, options: options, segmentRows: segmentRows,
                              minimumProvenBits: minimumProvenBits, weightSalt: salt, key: key)
        run.witnessSeconds += executionSeconds
        return run
    }

    static func prepare(_ execution: WitnessBuilder.Execution, program: Program, options: ProofOptions, segmentRows: SegmentSize,
                        minimumProvenBits: Double?, weightSalt: [Goldilocks], key given: ProvingKey?) throws -> Prepared {
        let vmAir = try given?.air(for: program) ?? VMAir(program: program)
        let start = ContinuousClock.now
        let plan = try WitnessBuilder(vmAir: vmAir).plan(of: execution, segmentRows: segmentRows, weightSalt: weightSalt)
        let elapsed = ContinuousClock.now - start
        let count = plan.count
        var options = options
        // The AIR the verifier analyses: blinded for zero knowledge.
        let blindedAir = try vmAir.air.blinded()
        func level() -> SecurityLevel {
            var cache = [[Int]: SecurityLevel]()
            return SecurityLevel.segmented(plan.logHeights.map { h in
                if let known = cache[h] { return known }
                let level = SecurityLevel(options: options, air: options.zeroKnowledge ? blindedAir : vmAir.air, logHeights: h)
                cache[h] = level
                return level
            })
        }
        if let minimumProvenBits {
            while level().provenBits < minimumProvenBits, options.queries < ProofOptions.maxQueries { options.queries += 1 }
        }
        // Committed once per run (or per key) and shared by its segments;
        // only once the queries, and so the degree excess and the small
        // tables' domains, are final.
        let key = given.flatMap { $0.serves(program, options: options, segments: count) ? $0 : nil }
            ?? ProvingKey(vmAir: vmAir, options: options, segmented: count > 1, threads: Parallel.defaultThreads)
        return Prepared(plan: plan, vmAir: vmAir, options: options, security: level(), witnessSeconds: seconds(elapsed),
                        key: key, boundary: VMAir.boundaryMessages(layout: plan.layout, statement: plan.statement))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The weight commitment of `program`'s committed weights under the
    /// salt of `seed` (Spec/zk.md §4): the commitment every proof made with
    /// this seed names. Nil if the program has no committed weights.
    public static func commitment(program: Program, seed: [UInt8]) throws -> WeightCommitment? {
        try checkSeed(seed)
        guard program.hasCommittedWeights else { return nil }
        guard program.hasAllWeights else { throw VMArithmetizationError.unsupported("the committed weights' values are not in this program") }
        // A verifier cannot see committed weights, so it cannot rule out sums
        // that wrap modulo p (Spec/isa.md §4a): weights that allow one are refused here.
        for (d, op) in program.descriptors.enumerated() {
            guard case .matmul(let mm) = op, let operands = DotProduct.weightsOperands(mm, tensors: program.tensors),
                  program.tensors[operands.b].visibility == .committed,
                  let j = DotProduct.wrappingColumn(mm, operands: operands, tensors: program.tensors, usingHiddenValues: true) else { continue }
            throw VMArithmetizationError.unsupported(
                "matmul descriptor \(d): committed weights '\(program.tensors[operands.b].name)' column \(j) has 2^31·Σ|w| + |bias| ≥ 2^62, "
                    + "so a sum could wrap modulo p (Spec/isa.md §4a)")
        }
        return CommitmentTable.commitment(program, salt: WeightSponge.salt(fromSeed: seed))
    }

    /// - Parameters:
    ///   - segmentRows: the most CPU rows and tensor rows per segment
    ///     (`SegmentSize.standard`: 2^17 and 2^20).
    ///   - minimumProvenBits: if set, queries are raised (never lowered)
    ///     until the run's combined level reaches it (Spec/security.md §6).
    ///   - key: the program's proving key, made once for many proofs (used
    ///     when it matches the run's options and segments; otherwise the
    ///     preprocessed columns are committed for this proof).
    ///   - dump: also receives the run as it executes (a `.zkt` writer,
    ///     which the caller finishes once the proof is made).
    public static func prove(program: Program, rawInputs: [[Int64]], options: ProofOptions = .standard,
                             maxSteps: Int = 1 << 26, segmentRows: SegmentSize = .standard,
                             minimumProvenBits: Double? = ProofOptions.targetProvenBits, checkWitness: Bool = checksWitnessByDefault,
                             commitmentSeed: [UInt8]? = nil, threads: Int = Parallel.defaultThreads, key: ProvingKey? = nil,
                             dump: (any ExecutionRecorder)? = nil, progress: (ProvingProgress) -> Void = { _ in }) throws -> Result {
        let run = try prepare(program: program, rawInputs: rawInputs, options: options, maxSteps: maxSteps,
                              segmentRows: segmentRows, minimumProvenBits: minimumProvenBits, commitmentSeed: commitmentSeed,
                              key: key, dump: dump)
        let (proofs, reports) = try Prover.proveSegments(count: run.count, input: run.input, options: run.options,
                                                         checkWitness: checkWitness, threads: threads, progress: progress)
        let segments = zip(run.plan.boundaries, proofs).map { VMProofFile.Segment(boundary: $0, proof: $1.encoded()) }
        return Result(file: VMProofFile(statement: run.plan.statement, segments: segments), reports: reports,
                      steps: run.plan.steps, witnessSeconds: run.witnessSeconds, options: run.options,
                      security: run.security)
    }

    /// Distributed proving, phase 1 (Spec/proof-system.md §4): runs the
    /// program, commits segment `index`'s main trace and returns its binding.
    /// Every machine runs the same program on the same input with the same
    /// options and segment size, so all agree on the split and the options.
    /// - Parameter seedFile: zero knowledge: this segment proof's new seed
    ///   file (`SegmentSeedFile.create`), kept for phase 2; nil when transparent.
    public static func commitSegment(_ index: Int, program: Program, rawInputs: [[Int64]], options: ProofOptions = .standard,
                                     maxSteps: Int = 1 << 26, segmentRows: SegmentSize = .standard,
                                     minimumProvenBits: Double? = ProofOptions.targetProvenBits, seedFile: SegmentSeedFile? = nil,
                                     commitmentSeed: [UInt8]? = nil, threads: Int = Parallel.defaultThreads) throws -> SegmentBinding {
        try requireSeedForDistributed(program, commitmentSeed)
        let seed = try maskSeed(seedFile, options: options)
        let run = try prepare(program: program, rawInputs: rawInputs, options: options, maxSteps: maxSteps,
                              segmentRows: segmentRows, minimumProvenBits: minimumProvenBits, commitmentSeed: commitmentSeed)
        guard (0..<run.count).contains(index) else {
            throw VMArithmetizationError.unsupported("segment \(index) of \(run.count)")
        }
        let binding = try Prover.segmentBinding(try run.input(index), options: run.options, seed: seed, threads: threads)
        return SegmentBinding(index: index, count: run.count, binding: binding)
    }

    /// Distributed proving, phase 2: proves segment `index` with the LogUp
    /// challenges of every segment's binding (in order, one per segment).
    /// With zero knowledge the proof is returned only after `seedFile` is
    /// pinned to these bindings and this proof: a second call with other
    /// bindings, which would open the same masked trace at new points,
    /// throws instead (Spec/zk.md §5).
    /// - Parameter seedFile: zero knowledge: phase 1's seed file
    ///   (`SegmentSeedFile.open`); nil when transparent.
    public static func proveSegment(_ index: Int, bindings: [SegmentBinding], program: Program, rawInputs: [[Int64]],
                                    options: ProofOptions = .standard, maxSteps: Int = 1 << 26,
                                    segmentRows: SegmentSize = .standard, minimumProvenBits: Double? = ProofOptions.targetProvenBits,
                                    seedFile: SegmentSeedFile? = nil, commitmentSeed: [UInt8]? = nil,
                                    threads: Int = Parallel.defaultThreads) throws -> VMSegmentProof {
        try requireSeedForDistributed(program, commitmentSeed)
        let seed = try maskSeed(seedFile, options: options)
        let run = try prepare(program: program, rawInputs: rawInputs, options: options, maxSteps: maxSteps,
                              segmentRows: segmentRows, minimumProvenBits: minimumProvenBits, commitmentSeed: commitmentSeed)
        let count = run.count
        guard (0..<count).contains(index) else { throw VMArithmetizationError.unsupported("segment \(index) of \(count)") }
        guard bindings.count == count, bindings.enumerated().allSatisfy({ $1.index == $0 && $1.count == count }) else {
            throw VMArithmetizationError.unsupported("expected the bindings of all \(count) segments, in order")
        }
        let proof = try Prover.proveSegment(try run.input(index), index: index, bindings: bindings.map(\.binding),
                                            options: run.options, seed: seed, threads: threads)
        let part = VMSegmentProof(statement: run.plan.statement, index: index, count: count,
                                  segment: .init(boundary: run.plan.boundaries[index], proof: proof.encoded()))
        if let seedFile, options.zeroKnowledge { try seedFile.pin(bindings: bindings, proof: part.encoded()) }
        return part
    }

    /// The masks' seed of a distributed segment proof: zero knowledge needs
    /// a seed file (so the library, not its caller, pins phase 2);
    /// transparent proofs have no masks and take none.
    static func maskSeed(_ seedFile: SegmentSeedFile?, options: ProofOptions) throws -> [UInt8]? {
        guard options.zeroKnowledge else {
            guard seedFile == nil else { throw VMArithmetizationError.secret("a transparent proof has no masks: give no seed file") }
            return nil
        }
        guard let seedFile else {
            throw VMArithmetizationError.secret("distributed zero-knowledge proving needs a seed file (the same in both phases)")
        }
        return seedFile.seed
    }

    /// A commitment's secret seed is 32 bytes (a 256-bit salt).
    static func checkSeed(_ seed: [UInt8]) throws {
        guard seed.count == 32 else {
            throw VMArithmetizationError.unsupported("a commitment's secret seed has 32 bytes, not \(seed.count)")
        }
    }

    /// Every machine of a distributed proof must name the same weight
    /// commitment, so committed weights need the commitment's seed there.
    static func requireSeedForDistributed(_ program: Program, _ seed: [UInt8]?) throws {
        if seed == nil, program.hasCommittedWeights {
            throw VMArithmetizationError.unsupported("distributed proving of committed weights needs the commitment's secret seed")
        }
    }
}
