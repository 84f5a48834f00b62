import AIR
import Field
import Parallel
import Polynomials
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
        try options.validate()
        let air = input.air
        let tables = air.tables
        var report = ProverReport()
        var clock = PhaseClock()
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
        if checkWitness {
            var generator = SystemRandomNumberGenerator()
            let challenges = LogUpChallenges.vector(alpha: .random(using: &generator), beta: .random(using: &generator),
                                                    maxMessageLength: air.maxMessageLength)
            do {
                try DebugChecker.check(air: air, main: input.main, preprocessed: input.preprocessed,
                                       publicValues: input.publicValues, boundary: input.boundary, challenges: challenges)
            } catch { throw .invalidInput("witness does not satisfy the AIR: \(error)") }
            report.phases.append(("witness check", clock.lap()))
        }
        var transcript = ProtocolTranscript(air: air, options: options, statement: input.statement,
                                            publicValues: input.publicValues, logHeights: logHeights)

        // 1. Main trace.
        let mainCommits: [CommittedMatrix?] = tables.indices.map { t in
            tables[t].mainWidth == 0 ? nil
                : CommittedMatrix(evaluations: input.main[t], logBlowup: options.logBlowup, threads: threads)
        }
        let mainRound = CommitmentRound(mainCommits, threads: threads)
        transcript.absorbMainRoots([mainRound?.root])
        report.phases.append(("main trace commit", clock.lap()))

        // 2. LogUp columns.
        let challenges = transcript.logUpChallenges(air: air)
        var auxCommits = [CommittedMatrix?]()
        var auxBase = [[[Goldilocks]]]()
        var claimedSums = [GoldilocksExt3?]()
        for (t, table) in tables.enumerated() {
            guard !table.interactions.isEmpty else { auxCommits.append(nil); auxBase.append([]); claimedSums.append(nil); continue }
            let built: (columns: [[GoldilocksExt3]], claimedSum: GoldilocksExt3)
            do {
                built = try LogUpTrace.build(table: table, main: input.main[t], preprocessed: input.preprocessed[t],
                                             challenges: challenges, publicValues: input.publicValues, threads: threads)
            } catch { throw .invalidInput("\(error)") }
            let base = built.columns.flatMap(ExtensionColumns.split)
            auxBase.append(base)
            auxCommits.append(CommittedMatrix(evaluations: base, logBlowup: options.logBlowup, threads: threads))
            claimedSums.append(built.claimedSum)
        }
        let auxRound = CommitmentRound(auxCommits, threads: threads)
        transcript.absorbAuxiliary(root: auxRound?.root, claimedSums: claimedSums)
        report.phases.append(("logup commit", clock.lap()))

        // 3. Quotients.
        let gamma = transcript.constraintChallenge()
        var commitments = [TableCommitments]()
        var quotientCoefficients = [[[Goldilocks]]]()
        for (t, table) in tables.enumerated() {
            let prepLDE = input.preprocessed[t].map { LowDegreeExtension.extend($0, logBlowup: options.logBlowup, threads: threads) }
            let coefficients = try QuotientBuilder.build(
                table: table, logHeight: logHeights[t], main: mainCommits[t], auxiliary: auxCommits[t],
                preprocessedLDE: prepLDE, challenges: challenges, publicValues: input.publicValues,
                claimedSum: claimedSums[t] ?? .zero, gamma: gamma, threads: threads)
            quotientCoefficients.append(coefficients)
            let quotient = CommittedMatrix(coefficients: coefficients, logBlowup: options.logBlowup, threads: threads)
            commitments.append(TableCommitments(logHeight: logHeights[t], main: mainCommits[t],
                                                auxiliary: auxCommits[t], quotient: quotient))
        }
        let quotientRound = CommitmentRound(commitments.map(\.quotient), threads: threads)!
        transcript.absorbQuotientRoots([quotientRound.root])
        report.phases.append(("quotient", clock.lap()))

        // 4. Out-of-domain openings.
        let z = transcript.outOfDomainPoint()
        var openings = [TableOpenings]()
        for t in tables.indices {
            let omega = Goldilocks.rootOfUnity(logOrder: logHeights[t])
            let weightsZ = try! DomainEvaluation.lagrangeWeights(at: z, logHeight: logHeights[t])
            let weightsNext = try! DomainEvaluation.lagrangeWeights(at: z * omega, logHeight: logHeights[t])
            func at(_ weights: [GoldilocksExt3], _ columns: [[Goldilocks]]) -> [GoldilocksExt3] {
                columns.map { c in c.withUnsafeBufferPointer { DomainEvaluation.dot(weights, $0.baseAddress!) } }
            }
            openings.append(TableOpenings(
                mainAtZ: at(weightsZ, input.main[t]), mainAtNext: at(weightsNext, input.main[t]),
                auxiliaryAtZ: at(weightsZ, auxBase[t]), auxiliaryAtNext: at(weightsNext, auxBase[t]),
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
