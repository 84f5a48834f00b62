import AIR
import Field
import Hashing
import Parallel
import Polynomials
import STARK

/// One proof in two phases (Spec/proof-system.md §3–4): `commitMain` commits
/// the main trace and returns the transcript's binding; `finish` draws (or
/// is given) the LogUp challenges and completes the proof. A single proof
/// runs both back to back; segments of one run commit all main traces
/// before any segment finishes, with challenges shared by all.
struct ProverSession {
    let input: ProverInput
    let options: ProofOptions
    let threads: Int
    let logHeights: [Int]
    private var transcript: ProtocolTranscript
    private var report = ProverReport()
    private var clock = PhaseClock()
    private var mainCommits: [CommittedMatrix?]?
    private var mainRound: CommitmentRound?
    private var mainRoot: Digest?

    init(_ input: ProverInput, options: ProofOptions, threads: Int) throws(STARKError) {
        try options.validate()
        let air = input.air
        let tables = air.tables
        guard input.main.count == tables.count, input.preprocessed.count == tables.count else {
            throw .invalidInput("expected columns for \(tables.count) tables")
        }
        guard input.publicValues.count == air.publicValueCount else {
            throw .invalidInput("expected \(air.publicValueCount) public values, got \(input.publicValues.count)")
        }
        var logHeights = [Int]()
        for (t, table) in tables.enumerated() {
            let height: Int
            do { height = try DebugChecker.checkShape(table, main: input.main[t], preprocessed: input.preprocessed[t]) } catch {
                throw .invalidInput("\(error)")
            }
            let logHeight = height.trailingZeroBitCount
            let minimum = max(Proof.minLogHeight, options.logFinalPolynomialLength)
            guard logHeight >= minimum, logHeight <= Proof.maxLogHeight else {
                throw .invalidInput("table \(table.name): height 2^\(logHeight) outside 2^\(minimum)…2^\(Proof.maxLogHeight)")
            }
            logHeights.append(logHeight)
            report.traceRows += height
        }
        self.input = input
        self.options = options
        self.threads = threads
        self.logHeights = logHeights
        transcript = ProtocolTranscript(air: air, options: options, statement: input.statement,
                                        publicValues: input.publicValues, logHeights: logHeights)
    }

    /// Checks every constraint with the `DebugChecker` under `challenges`
    /// (random ones when nil, for a single proof whose sums must cancel on
    /// their own) and returns the LogUp sum, boundary messages included.
    @discardableResult
    mutating func checkWitness(challenges: [GoldilocksExt3]?) throws(STARKError) -> GoldilocksExt3 {
        let air = input.air
        let vector: [GoldilocksExt3]
        if let challenges { vector = challenges } else {
            var generator = SystemRandomNumberGenerator()
            vector = LogUpChallenges.vector(alpha: .random(using: &generator), beta: .random(using: &generator),
                                            maxMessageLength: air.maxMessageLength)
        }
        let total: GoldilocksExt3
        do {
            total = try DebugChecker.checkConstraints(air: air, main: input.main, preprocessed: input.preprocessed,
                                                      publicValues: input.publicValues, boundary: input.boundary,
                                                      challenges: vector)
        } catch { throw .invalidInput("witness does not satisfy the AIR: \(error)") }
        if challenges == nil, !total.isZero {
            throw .invalidInput("witness does not satisfy the AIR: Σ claimed sums + boundary = \(total) ≠ 0")
        }
        report.phases.append(("witness check", clock.lap()))
        return total
    }

    private func commitMainTrace() -> (commits: [CommittedMatrix?], round: CommitmentRound?) {
        let commits: [CommittedMatrix?] = input.air.tables.indices.map { t in
            input.air.tables[t].mainWidth == 0 ? nil
                : CommittedMatrix(evaluations: input.main[t], logBlowup: options.logBlowup, threads: threads)
        }
        return (commits, CommitmentRound(commits, threads: threads))
    }

    /// Phase 1: commits the main trace; returns the transcript's binding.
    mutating func commitMain() -> Digest {
        let (commits, round) = commitMainTrace()
        mainCommits = commits
        mainRound = round
        mainRoot = round?.root
        transcript.absorbMainRoots([mainRoot])
        report.phases.append(("main trace commit", clock.lap()))
        return transcript.segmentBinding()
    }

    /// Drops the main trace's LDE until `finish` recomputes it (segments:
    /// one segment's LDE in memory at a time).
    mutating func releaseMainCommitment() { mainCommits = nil; mainRound = nil }

    /// Phase 2: LogUp columns (with the shared challenges, or ones drawn
    /// from this transcript), quotients, openings, DEEP and FRI.
    mutating func finish(shared: SharedLogUpChallenges?) throws(STARKError) -> (proof: Proof, report: ProverReport) {
        let air = input.air
        let tables = air.tables
        clock = PhaseClock()   // other segments may have run since phase 1
        let main: [CommittedMatrix?]
        let mainRound: CommitmentRound?
        if let mainCommits { (main, mainRound) = (mainCommits, self.mainRound) } else {
            let (commits, round) = commitMainTrace()
            guard round?.root == mainRoot else { throw .invalidInput("the main trace changed between the two phases") }
            (main, mainRound) = (commits, round)
            report.phases.append(("main trace recommit", clock.lap()))
        }
        mainCommits = nil
        self.mainRound = nil

        // 2. LogUp columns.
        let challenges = transcript.logUpChallenges(air: air, shared: shared)
        var auxCommits = [CommittedMatrix?]()
        var auxBase = [[[Goldilocks]]]()
        var claimedSums = [GoldilocksExt3?]()
        for (t, table) in tables.enumerated() {
            guard !table.interactions.isEmpty else { auxBase.append([]); claimedSums.append(nil); continue }
            let built: (columns: [[GoldilocksExt3]], claimedSum: GoldilocksExt3)
            do {
                built = try LogUpTrace.build(table: table, main: input.main[t], preprocessed: input.preprocessed[t],
                                             challenges: challenges, publicValues: input.publicValues, threads: threads)
            } catch { throw .invalidInput("\(error)") }
            auxBase.append(built.columns.flatMap(ExtensionColumns.split))
            claimedSums.append(built.claimedSum)
        }
        report.phases.append(("logup columns", clock.lap()))
        for t in tables.indices {
            auxCommits.append(auxBase[t].isEmpty ? nil
                : CommittedMatrix(evaluations: auxBase[t], logBlowup: options.logBlowup, threads: threads))
        }
        let auxRound = CommitmentRound(auxCommits, threads: threads)
        transcript.absorbAuxiliary(root: auxRound?.root, claimedSums: claimedSums)
        report.phases.append(("logup commit", clock.lap()))

        // 3. Quotients.
        let gamma = transcript.constraintChallenge()
        var commitments = [TableCommitments]()
        var quotientCoefficients = [[[Goldilocks]]]()
        for (t, table) in tables.enumerated() {
            // Preprocessed columns are read only on the quotient domain, the
            // first q = chunks·n entries of the bit-reversed LDE: an LDE with
            // blowup q/n gives exactly those (polynomials.md §LDE: chunk c is
            // the coset s·ω_N^{reverse(c)}·H, the same for every larger N).
            let prepLDE = input.preprocessed[t].map {
                LowDegreeExtension.extend($0, logBlowup: Table.quotientLogRatio, threads: threads)
            }
            let coefficients = try QuotientBuilder.build(
                table: table, logHeight: logHeights[t], main: main[t], auxiliary: auxCommits[t],
                preprocessedLDE: prepLDE, challenges: challenges, publicValues: input.publicValues,
                claimedSum: claimedSums[t] ?? .zero, gamma: gamma, threads: threads)
            quotientCoefficients.append(coefficients)
            let quotient = CommittedMatrix(coefficients: coefficients, logBlowup: options.logBlowup, threads: threads)
            commitments.append(TableCommitments(logHeight: logHeights[t], main: main[t],
                                                auxiliary: auxCommits[t], quotient: quotient))
        }
        let quotientRound = CommitmentRound(commitments.map(\.quotient), threads: threads)!
        transcript.absorbQuotientRoots([quotientRound.root])
        report.phases.append(("quotient", clock.lap()))

        // 4. Out-of-domain openings.
        let z = transcript.outOfDomainPoint()
        var openings = [TableOpenings]()
        for t in tables.indices {
            let weights = try! DomainEvaluation.BarycentricWeights(at: z, logHeight: logHeights[t])   // z ∉ F_p ⊇ H
            let (mainZ, mainNext) = DomainEvaluation.dots(weights, columns: input.main[t], threads: threads)
            let (auxZ, auxNext) = DomainEvaluation.dots(weights, columns: auxBase[t], threads: threads)
            openings.append(TableOpenings(
                mainAtZ: mainZ, mainAtNext: mainNext, auxiliaryAtZ: auxZ, auxiliaryAtNext: auxNext,
                quotientAtZ: quotientCoefficients[t].map { Polynomial.evaluate($0, at: z) }))
        }
        transcript.absorbOpenings(openings)
        report.phases.append(("out-of-domain openings", clock.lap()))

        // 5. DEEP composition per LDE size, then FRI.
        let delta = transcript.deepChallenge()
        var firstPower = [Int]()
        var next = 0
        for c in commitments {
            firstPower.append(next)
            next += 2 * (c.main?.width ?? 0) + 2 * (c.auxiliary?.width ?? 0) + c.quotient.width
        }
        let levels = Set(logHeights.map { $0 + options.logBlowup })
        var reduced = [Int: [GoldilocksExt3]]()
        for level in levels {
            let group = tables.indices.filter { logHeights[$0] + options.logBlowup == level }
            reduced[level] = DeepComposition.compose(level: level, tables: group, commitments: commitments, openings: openings,
                                                     firstPower: firstPower, delta: delta, z: z, threads: threads)
        }
        report.phases.append(("deep composition", clock.lap()))
        let schedule = try FRISchedule(tableLevels: levels, options: options)
        var fri = FRIProver()
        try fri.commit(schedule: schedule, reduced: reduced, options: options, transcript: &transcript, threads: threads)
        report.phases.append(("fri commit", clock.lap()))

        // 6. Grinding and queries.
        let nonce: UInt64
        do { nonce = try transcript.grind(bits: options.grindingBits) } catch { throw .invalidOptions("\(error)") }
        let queries = transcript.queryPositions(count: options.queries, logDomainSize: schedule.topLogSize)
        report.phases.append(("grinding", clock.lap()))

        let tableProofs = tables.indices.map {
            TableProof(logHeight: logHeights[$0], claimedSum: claimedSums[$0], openings: openings[$0])
        }
        var layerProofs = [FRILayerProof]()
        for (k, layer) in fri.layers.enumerated() {
            let leaves = QueryPositions.leaves(layer: k, queries: queries, schedule: schedule)
            layerProofs.append(FRILayerProof(root: layer.tree.root, queries: MatrixOpening(
                rows: leaves.map { layer.matrix.row($0) }, proof: layer.tree.open(leaves))))
        }
        report.phases.append(("openings", clock.lap()))
        let top = schedule.topLogSize
        let proof = Proof(options: options, tables: tableProofs,
                          main: mainRound?.open(queries: queries, topLevel: top),
                          auxiliary: auxRound?.open(queries: queries, topLevel: top),
                          quotient: quotientRound.open(queries: queries, topLevel: top), friLayers: layerProofs,
                          finalPolynomial: fri.finalPolynomial, proofOfWorkNonce: nonce)
        return (proof, report)
    }
}
