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
public enum Prover {
    /// - Parameter checkWitness: run the `DebugChecker` first and refuse an
    ///   unsatisfied witness with the failing table, constraint and row
    ///   (tests of a lying prover turn it off to reach the verifier).
    public static func prove(_ input: ProverInput, options: ProofOptions = .standard, checkWitness: Bool = true,
                             threads: Int = Parallel.defaultThreads) throws(STARKError) -> (proof: Proof, report: ProverReport) {
        var session = try ProverSession(input, options: options, threads: threads)
        if checkWitness { try session.checkWitness(challenges: nil) }
        session.commitMain()
        return try session.finish(shared: nil)
    }

    /// Proves the segments of one run (Spec/proof-system.md §4): every
    /// segment commits its main trace, the LogUp challenges are drawn from
    /// all segments' bindings, then each segment finishes its own proof. The
    /// LogUp sums cancel over all segments together, not per segment.
    ///
    /// Only one segment's extended trace is held at a time: phase 1 keeps
    /// each segment's root and drops its LDE, phase 2 recomputes it.
    public static func proveSegments(_ inputs: [ProverInput], options: ProofOptions = .standard, checkWitness: Bool = true,
                                     threads: Int = Parallel.defaultThreads,
                                     progress: (String) -> Void = { _ in }) throws(STARKError) -> (proofs: [Proof], reports: [ProverReport]) {
        guard !inputs.isEmpty else { throw .invalidInput("no segments") }
        if inputs.count == 1 {   // an ordinary proof, kept in memory between its phases
            let (proof, report) = try prove(inputs[0], options: options, checkWitness: checkWitness, threads: threads)
            return ([proof], [report])
        }
        var sessions = [ProverSession?]()
        var bindings = [Digest]()
        var inputs = inputs
        if options.zeroKnowledge {
            // Random blinding targets summing to zero: each segment's LogUp
            // total is blinded, the run's total is not (Spec/zk.md §2.5).
            let random = MaskRandomness()
            var sum = GoldilocksExt3.zero
            for i in 0..<(inputs.count - 1) {
                let e = random.elements(.blind, table: i, index: 0, count: 3)
                inputs[i].blindingTarget = GoldilocksExt3(e[0], e[1], e[2])
                sum = sum + inputs[i].blindingTarget
            }
            inputs[inputs.count - 1].blindingTarget = -sum
        }
        for (i, input) in inputs.enumerated() {
            progress("segment \(i + 1)/\(inputs.count): committing the main trace")
            var session = try ProverSession(input, options: options, threads: threads)
            bindings.append(session.commitMain())
            session.releaseMainCommitment()
            sessions.append(session)
        }
        let maxMessageLength = inputs.map(\.air.maxMessageLength).max()!
        guard let shared = ProtocolTranscript.sharedLogUpChallenges(bindings: bindings, maxMessageLength: maxMessageLength) else {
            throw .invalidInput("shared challenges need two or more segments")
        }
        if checkWitness {
            var total = GoldilocksExt3.zero
            for i in sessions.indices { total = total + (try sessions[i]!.checkWitness(challenges: shared.challenges)) }
            guard total.isZero else { throw .invalidInput("witness does not satisfy the AIR: LogUp sums over all segments = \(total) ≠ 0") }
        }
        var proofs = [Proof](), reports = [ProverReport]()
        for i in sessions.indices {
            progress("segment \(i + 1)/\(inputs.count): proving")
            let (proof, report) = try sessions[i]!.finish(shared: shared)
            proofs.append(proof)
            reports.append(report)
            sessions[i] = nil
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
