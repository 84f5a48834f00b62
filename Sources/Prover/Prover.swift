import AIR
import Field
import Parallel
import Polynomials
import Hashing
import STARK

/// The STARK prover: commits the trace, the LogUp columns and the quotient,
/// opens everything at an out-of-domain point, and proves the DEEP
/// composition low-degree with FRI (Spec/proof-system.md). Any program's
/// witness goes through the same code: no per-circuit keys.
/// Where a run's proof is (`Prover.proveSegments`): phase 1 commits every
/// segment's main trace, then phase 2 finishes every segment's proof, so
/// the run takes 2·segments steps in this order.
public struct ProvingProgress: Sendable, Equatable, CustomStringConvertible {
    public enum Phase: String, Sendable { case commit, prove }
    public var phase: Phase
    /// 0-based, below `segments`.
    public var segment: Int
    public var segments: Int

    /// Steps finished before this one, in 0 ..< total.
    public var completed: Int { phase == .commit ? segment : segments + segment }
    public var total: Int { 2 * segments }
    public var description: String {
        "segment \(segment + 1)/\(segments): " + (phase == .commit ? "committing the main trace" : "proving")
    }
}

public enum Prover {
    /// - Parameter checkWitness: run the `DebugChecker` first and refuse an
    ///   unsatisfied witness with the failing table, constraint and row
    ///   (tests of a lying prover turn it off to reach the verifier).
    /// - Parameter progress: told when the main trace is committed and when the rest of the proof starts.
    public static func prove(_ input: ProverInput, options: ProofOptions = .standard, checkWitness: Bool = true,
                             threads: Int = Parallel.defaultThreads,
                             progress: (ProvingProgress) -> Void = { _ in }) throws(STARKError) -> (proof: Proof, report: ProverReport) {
        progress(ProvingProgress(phase: .commit, segment: 0, segments: 1))
        var session = try ProverSession(input, options: options, threads: threads)
        if checkWitness { try session.checkWitness(challenges: nil) }
        _ = session.commitMain()   // one segment: nothing else to bind
        progress(ProvingProgress(phase: .prove, segment: 0, segments: 1))
        return try session.finish(shared: nil)
    }

    /// Proves the segments of one run (Spec/proof-system.md §4): every
    /// segment commits its main trace, the LogUp challenges are drawn from
    /// all segments' bindings, then each segment finishes its own proof. The
    /// LogUp sums cancel over all segments together, not per segment.
    public static func proveSegments(_ inputs: [ProverInput], options: ProofOptions = .standard, checkWitness: Bool = true,
                                     threads: Int = Parallel.defaultThreads,
                                     progress: (ProvingProgress) -> Void = { _ in }) throws(STARKError) -> (proofs: [Proof], reports: [ProverReport]) {
        try proveSegments(count: inputs.count, input: { inputs[$0] }, options: options, checkWitness: checkWitness,
                          threads: threads, progress: progress)
    }

    /// `proveSegments` with each segment's input made on demand: phase 1
    /// keeps only each segment's binding, phase 2 makes the input again and
    /// recommits it, so one segment's witness and extended trace are in
    /// memory at a time. Each segment's masks come from a fresh secret seed
    /// kept for the two phases, so phase 2 reproduces phase 1's commitment.
    public static func proveSegments(count: Int, input: (Int) throws -> ProverInput, options: ProofOptions = .standard,
                                     checkWitness: Bool = true, threads: Int = Parallel.defaultThreads,
                                     progress: (ProvingProgress) -> Void = { _ in }) throws(STARKError) -> (proofs: [Proof], reports: [ProverReport]) {
        guard count >= 1 else { throw .invalidInput("no segments") }
        func make(_ i: Int) throws(STARKError) -> ProverInput {
            do { return try input(i) } catch let error as STARKError { throw error } catch { throw .invalidInput("segment \(i): \(error)") }
        }
        if count == 1 {   // an ordinary proof, kept in memory between its phases
            let (proof, report) = try prove(try make(0), options: options, checkWitness: checkWitness, threads: threads,
                                            progress: progress)
            return ([proof], [report])
        }
        // Random blinding targets summing to zero: each segment's LogUp
        // total is blinded, the run's total is not (Spec/zk.md §2.5).
        var targets = [GoldilocksExt3](repeating: .zero, count: count)
        var seeds = [[UInt8]?](repeating: nil, count: count)
        if options.zeroKnowledge {
            let random = MaskRandomness()
            var sum = GoldilocksExt3.zero
            for i in 0..<(count - 1) {
                let e = random.elements(.blind, table: i, index: 0, count: 3)
                targets[i] = GoldilocksExt3(e[0], e[1], e[2])
                sum = sum + targets[i]
            }
            targets[count - 1] = -sum
            seeds = (0..<count).map { _ in SecureRandom.seed() }
        }
        func session(_ i: Int) throws(STARKError) -> ProverSession {
            var segment = try make(i)
            segment.blindingTarget = targets[i]
            return try ProverSession(segment, options: options, threads: threads, seed: seeds[i])
        }
        var bindings = [Digest]()
        var maxMessageLength = 0
        for i in 0..<count {
            progress(ProvingProgress(phase: .commit, segment: i, segments: count))
            var phase1 = try session(i)
            bindings.append(phase1.commitMain())
            maxMessageLength = max(maxMessageLength, phase1.input.air.maxMessageLength)
        }
        guard let shared = ProtocolTranscript.sharedLogUpChallenges(bindings: bindings, maxMessageLength: maxMessageLength) else {
            throw .invalidInput("shared challenges need two or more segments")
        }
        var proofs = [Proof](), reports = [ProverReport]()
        var total = GoldilocksExt3.zero
        for i in 0..<count {
            progress(ProvingProgress(phase: .prove, segment: i, segments: count))
            var phase2 = try session(i)
            if checkWitness { total = total + (try phase2.checkWitness(challenges: shared.challenges)) }
            guard phase2.commitMain() == bindings[i] else { throw .invalidInput("segment \(i): the witness changed between the two phases") }
            let (proof, report) = try phase2.finish(shared: shared)
            proofs.append(proof)
            reports.append(report)
        }
        if checkWitness, !total.isZero {
            throw .invalidInput("witness does not satisfy the AIR: LogUp sums over all segments = \(total) ≠ 0")
        }
        return (proofs, reports)
    }

    /// Distributed proving, phase 1: one segment's binding (its statement,
    /// public values, heights and main root, hashed by its transcript).
    /// - Parameter seed: zero knowledge: a secret 32-byte seed for the masks,
    ///   which phase 2 must be given again (required when `options.zeroKnowledge`).
    ///   Each segment's LogUp total is not blinded in distributed proving
    ///   (its blinds sum to zero within the segment). Package-only: callers
    ///   outside go through `VMProver`, whose seed files pin phase 2.
    package static func segmentBinding(_ input: ProverInput, options: ProofOptions = .standard, seed: [UInt8]? = nil,
                                      threads: Int = Parallel.defaultThreads) throws(STARKError) -> Digest {
        try checkSeed(seed, options: options)
        var session = try ProverSession(input, options: options, threads: threads, seed: seed)
        return session.commitMain()
    }

    static func checkSeed(_ seed: [UInt8]?, options: ProofOptions) throws(STARKError) {
        guard options.zeroKnowledge else { return }
        guard let seed, seed.count == 32 else {
            throw .invalidInput("zero knowledge here needs a secret 32-byte seed, the same for every use (both phases of distributed proving; every proof of a commitment)")
        }
    }

    /// Distributed proving, phase 2: segment `index` of a run whose segments
    /// have `bindings` (in order). Phase 1 is recomputed and must give
    /// `bindings[index]`; the LogUp challenges come from all bindings.
    /// (The cross-segment balance can only be checked by the verifier.)
    /// Package-only, like `segmentBinding`: a seed given twice with other
    /// bindings would open one masked trace twice.
    package static func proveSegment(_ input: ProverInput, index: Int, bindings: [Digest], options: ProofOptions = .standard,
                                    seed: [UInt8]? = nil, threads: Int = Parallel.defaultThreads) throws(STARKError) -> Proof {
        guard bindings.indices.contains(index) else { throw .invalidInput("segment \(index) of \(bindings.count)") }
        try checkSeed(seed, options: options)
        var session = try ProverSession(input, options: options, threads: threads, seed: seed)
        guard session.commitMain() == bindings[index] else {
            throw .invalidInput("segment \(index): this witness does not give the binding listed for it")
        }
        let shared = ProtocolTranscript.sharedLogUpChallenges(bindings: bindings, maxMessageLength: input.air.maxMessageLength)
        return try session.finish(shared: shared).proof
    }
}

/// Measures consecutive phases.
struct PhaseClock {
    private var last = ContinuousClock.now
    mutating func lap() -> Double {
        let now = ContinuousClock.now
        defer { last = now }
        let d = now - last
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
