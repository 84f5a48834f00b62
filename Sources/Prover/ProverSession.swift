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
    /// Per table, log2 of the domain it is committed on (`CommitmentLayout.logDomain`).
    let logDomains: [Int]
    let layout: CommitmentLayout
    /// The committed preprocessed columns (deterministic, shared by every proof of the instance).
    let preprocessedTrace: PreprocessedTrace
    /// The masks, blinds and salts of a zero-knowledge proof (nil when transparent).
    let randomness: MaskRandomness?
    private var transcript: ProtocolTranscript
    private var report = ProverReport()
    private var clock = PhaseClock()
    private var traces: TraceCommitments?
    private var mainRoot: Digest?

    /// The main round: per table its matrix, and the tree.
    struct TraceCommitments {
        var main: [CommittedMatrix?]
        var mainRound: CommitmentRound?
    }

    /// - Parameter seed: the secret seed of the masks (zero knowledge; fresh
    ///   from the system CSPRNG when nil). Distributed proving passes the
    ///   same seed to both phases so the main commitment is reproduced.
    init(_ input: ProverInput, options: ProofOptions, threads: Int, seed: [UInt8]? = nil) throws(STARKError) {
        try options.validate()
        let layout = CommitmentLayout(options: options)
        try layout.checkBlowup(options.logBlowup, air: input.air)
        // The masks' key: the seed bound to this proof's statement (segment
        // index and count included), so a seed given twice — distributed
        // proving reuses it between the phases of one segment — never masks
        // two segments or two statements alike.
        let randomness = options.zeroKnowledge
            ? MaskRandomness(seed: MaskRandomness.key(seed: seed ?? SecureRandom.seed(), statement: input.statement)) : nil
        var input = input
        if let randomness {
            do { input.air = try input.air.blinded() } catch { throw .invalidInput("\(error)") }
            guard input.main.count == input.air.tables.count else {
                throw .invalidInput("expected columns for \(input.air.tables.count) tables")
            }
            Self.appendBlindingColumns(&input, randomness: randomness)
        }
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
            guard logHeight >= Proof.minLogHeight, logHeight <= Proof.maxLogHeight,
                  layout.logDomain(logHeight: logHeight) >= options.logFinalPolynomialLength else {
                throw .invalidInput("table \(table.name): height 2^\(logHeight) outside 2^\(Proof.minLogHeight)…2^\(Proof.maxLogHeight) "
                                    + "or its domain below the final polynomial's 2^\(options.logFinalPolynomialLength)")
            }
            logHeights.append(logHeight)
            report.traceRows += height
        }
        let prepTrace = input.preprocessedTrace
            ?? PreprocessedTrace(columns: input.preprocessed, logBlowup: options.logBlowup, degreeExcess: layout.degreeExcess,
                                 threads: threads)
        let withColumns = tables.indices.map { tables[$0].preprocessedWidth > 0 }
        guard prepTrace.key.logBlowup == options.logBlowup,
              prepTrace.key.logHeights == tables.indices.map({ withColumns[$0] ? logHeights[$0] : nil }),
              prepTrace.key.logDomains == tables.indices.map({ withColumns[$0] ? layout.logDomain(logHeight: logHeights[$0]) : nil }) else {
            throw .invalidInput("the preprocessed commitment is for another blowup, other table heights or other domains "
                                + "(other options: zero knowledge, queries)")
        }
        input.preprocessedTrace = nil
        self.input = input
        self.options = options
        self.threads = threads
        self.logHeights = logHeights
        self.logDomains = logHeights.map { layout.logDomain(logHeight: $0) }
        self.layout = layout
        self.randomness = randomness
        self.preprocessedTrace = prepTrace
        transcript = ProtocolTranscript(air: air, options: options, statement: input.statement,
                                        publicValues: input.publicValues, boundary: input.boundary, logHeights: logHeights,
                                        preprocessed: prepTrace.key)
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

    /// Zero knowledge: the blinding column of every blinded table, random,
    /// with its values at rows 0, 1, n − 1 (b_t) chosen so Σ_t b_t = the
    /// input's target, component-wise (Spec/zk.md §2.5).
    private static func appendBlindingColumns(_ input: inout ProverInput, randomness: MaskRandomness) {
        let blinded = input.air.tables.indices.filter { input.air.tables[$0].blindingColumn != nil }
        var remaining = [input.blindingTarget.c0, input.blindingTarget.c1, input.blindingTarget.c2]
        for (k, t) in blinded.enumerated() {
            let n = input.main[t].first?.count ?? input.preprocessed[t].first?.count ?? 0
            let blind = k == blinded.count - 1 ? remaining : randomness.elements(.blind, table: t, index: 0, count: 3)
            var column = randomness.elements(.blindColumn, table: t, index: 0, count: n)
            for (j, row) in [0, 1, n - 1].enumerated() where n > 2 {
                column[row] = blind[j]
                remaining[j] = remaining[j] - blind[j]
            }
            input.main[t].append(column)
        }
    }

    /// The mask r (h coefficients) of main-type column `column` of table
    /// `table` under `purpose` (empty when transparent).
    static func mask(_ randomness: MaskRandomness?, _ purpose: MaskRandomness.Purpose, table: Int, column: Int,
                     layout: CommitmentLayout) -> [Goldilocks] {
        randomness?.elements(purpose, table: table, index: column, count: layout.maskDegree) ?? []
    }

    /// Extends value columns of table `t` over its domain — with zero
    /// knowledge masked and salted from `randomness` — a function of the
    /// values, heights, options and seed only, so a recommit gives the same root.
    private func commit(_ columns: [[Goldilocks]], table t: Int, mask: MaskRandomness.Purpose,
                        salt: MaskRandomness.Purpose) -> CommittedMatrix {
        let sources = columns.indices.map { c in
            ColumnSource.evaluations(columns[c], mask: Self.mask(randomness, mask, table: t, column: c, layout: layout))
        }
        let salt = randomness.map { CommittedMatrix.Salt(randomness: $0, purpose: salt, table: t, width: layout.salt) }
        return CommittedMatrix(sources, salt: salt, logDomain: logDomains[t], logBlowup: options.logBlowup, threads: threads)
    }

    /// ŵ(z), ŵ(zω) from w(z), w(zω): adds Z_H(z)·r(z) and Z_H(zω)·r(zω), where Z_H(zω) = z^n − 1 = Z_H(z).
    private func masked(_ values: ([GoldilocksExt3], [GoldilocksExt3]), purpose: MaskRandomness.Purpose, table t: Int,
                        z: GoldilocksExt3) -> ([GoldilocksExt3], [GoldilocksExt3]) {
        guard randomness != nil else { return values }
        let vanishing = z.squared(times: logHeights[t]) - .one
        let zNext = z * Goldilocks.rootOfUnity(logOrder: logHeights[t])
        var (atZ, atNext) = values
        for c in atZ.indices {
            let r = Self.mask(randomness, purpose, table: t, column: c, layout: layout)
            atZ[c] = atZ[c] + vanishing * Polynomial.evaluate(r, at: z)
            atNext[c] = atNext[c] + vanishing * Polynomial.evaluate(r, at: zNext)
        }
        return (atZ, atNext)
    }

    /// Commits the main round (masks named by table column index).
    private func commitTraces() -> TraceCommitments {
        let main: [CommittedMatrix?] = input.main.indices.map { t in
            input.main[t].isEmpty ? nil : commit(input.main[t], table: t, mask: .mainMask, salt: .mainSalt)
        }
        return TraceCommitments(main: main, mainRound: CommitmentRound(main, threads: threads))
    }

    /// Phase 1: commits the main trace; returns the transcript's binding.
    mutating func commitMain() -> Digest {
        let commits = commitTraces()
        traces = commits
        mainRoot = commits.mainRound?.root
        transcript.absorbMainRoots([mainRoot])
        report.phases.append(("main trace commit", clock.lap()))
        return transcript.segmentBinding()
    }

    /// Phase 2: LogUp columns (with the shared challenges, or ones drawn
    /// from this transcript), quotients, openings, DEEP and FRI.
    mutating func finish(shared: SharedLogUpChallenges?) throws(STARKError) -> (proof: Proof, report: ProverReport) {
        let air = input.air
        let tables = air.tables
        clock = PhaseClock()   // other segments may have run since phase 1
        let trace: TraceCommitments
        if let traces { trace = traces } else {
            trace = commitTraces()
            guard trace.mainRound?.root == mainRoot else { throw .invalidInput("the main trace changed between the two phases") }
            report.phases.append(("main trace recommit", clock.lap()))
        }
        traces = nil
        let main = trace.main, mainRound = trace.mainRound

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
            auxCommits.append(auxBase[t].isEmpty ? nil : commit(auxBase[t], table: t, mask: .auxiliaryMask, salt: .auxiliarySalt))
        }
        let auxRound = CommitmentRound(auxCommits, threads: threads)
        transcript.absorbAuxiliary(root: auxRound?.root, claimedSums: claimedSums)
        report.phases.append(("logup commit", clock.lap()))

        // 3. Quotients.
        let gammas = transcript.constraintCoefficients(air: air)
        var firstConstraint = 0
        var commitments = [TableCommitments]()
        var quotientPolynomials = [[ColumnSource]]()
        for (t, table) in tables.enumerated() {
            let coefficients = try QuotientBuilder.build(
                table: table, layout: layout, logHeight: logHeights[t], logDomain: logDomains[t], main: main[t],
                auxiliary: auxCommits[t],
                preprocessed: preprocessedTrace.matrices[t], challenges: challenges, publicValues: input.publicValues,
                claimedSum: claimedSums[t] ?? .zero,
                coefficients: Array(gammas[firstConstraint..<firstConstraint + table.constraints.count]), threads: threads)
            firstConstraint += table.constraints.count
            let sources = quotientSources(coefficients, table: t)
            quotientPolynomials.append(sources)
            let salt = randomness.map { CommittedMatrix.Salt(randomness: $0, purpose: .quotientSalt, table: t, width: layout.salt) }
            let quotient = CommittedMatrix(sources, salt: salt, logDomain: logDomains[t], logBlowup: options.logBlowup,
                                           threads: threads)
            commitments.append(TableCommitments(logHeight: logHeights[t], mainWidth: table.mainWidth,
                                                preprocessed: preprocessedTrace.matrices[t], main: main[t], auxiliary: auxCommits[t],
                                                quotient: quotient, quotientChunkColumns: coefficients.count))
        }
        let quotientRound = CommitmentRound(commitments.map(\.quotient), threads: threads)!
        transcript.absorbQuotientRoots([quotientRound.root])
        report.phases.append(("quotient", clock.lap()))

        // 4. Out-of-domain openings.
        let z = transcript.outOfDomainPoint()
        var openings = [TableOpenings]()
        for t in tables.indices {
            let weights = try! DomainEvaluation.BarycentricWeights(at: z, logHeight: logHeights[t])   // z ∉ F_p ⊇ H
            let (prepZ, prepNext) = DomainEvaluation.dots(weights, columns: input.preprocessed[t], threads: threads)
            let (mainZ, mainNext) = masked(DomainEvaluation.dots(weights, columns: input.main[t], threads: threads),
                                           purpose: .mainMask, table: t, z: z)
            let (auxZ, auxNext) = masked(DomainEvaluation.dots(weights, columns: auxBase[t], threads: threads),
                                         purpose: .auxiliaryMask, table: t, z: z)
            // Chunks are low + X^N·high on the table's domain of N points.
            let zN = z.squared(times: logDomains[t])
            let chunks = quotientPolynomials[t].prefix(commitments[t].quotientChunkColumns).map { source -> GoldilocksExt3 in
                guard case .coefficients(let low, let high) = source else { fatalError("quotient chunks are coefficients") }
                return Polynomial.evaluate(low, at: z) + zN * Polynomial.evaluate(high, at: z)
            }
            openings.append(TableOpenings(
                preprocessedAtZ: prepZ, preprocessedAtNext: prepNext, mainAtZ: mainZ, mainAtNext: mainNext, auxiliaryAtZ: auxZ, auxiliaryAtNext: auxNext,
                quotientAtZ: Array(chunks)))
        }
        transcript.absorbOpenings(openings)
        report.phases.append(("out-of-domain openings", clock.lap()))

        // 5. DEEP composition per LDE size (tables of one size but other
        // heights have other next-row points zω, so they are composed apart
        // and summed), then FRI.
        var firstTerm = [Int]()
        var next = 0
        for c in commitments {
            firstTerm.append(next)
            next += c.termCount
        }
        let deltas = transcript.deepCoefficients(count: next)
        let levels = Set(logDomains.map { $0 + options.logBlowup })
        var reduced = [Int: [GoldilocksExt3]]()
        for level in levels {
            let atLevel = tables.indices.filter { logDomains[$0] + options.logBlowup == level }
            for logHeight in Set(atLevel.map { logHeights[$0] }).sorted() {
                let group = atLevel.filter { logHeights[$0] == logHeight }
                let part = DeepComposition.compose(level: level, tables: group, commitments: commitments, openings: openings,
                                                   firstTerm: firstTerm, coefficients: deltas, z: z, threads: threads)
                if var sum = reduced[level] {
                    for i in sum.indices { sum[i] = sum[i] + part[i] }
                    reduced[level] = sum
                } else {
                    reduced[level] = part
                }
            }
        }
        report.phases.append(("deep composition", clock.lap()))
        let schedule = try FRISchedule(logHeights: logHeights, options: options)
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
                          preprocessed: preprocessedTrace.open(queries: queries, topLevel: top),
                          main: mainRound?.open(queries: queries, topLevel: top),
                          auxiliary: auxRound?.open(queries: queries, topLevel: top),
                          quotient: quotientRound.open(queries: queries, topLevel: top), friLayers: layerProofs,
                          finalPolynomial: fri.finalPolynomial, proofOfWorkNonce: nonce)
        return (proof, report)
    }

    /// The quotient chunks to commit: as computed when transparent; with
    /// zero knowledge re-randomized chunks plus the FRI mask μ (Spec/zk.md
    /// §2.2–2.3). Per base component, with s_k random of degree < h and
    /// L = n + h, telescoping masks over the c chunks: q_0' = q_0 + X^L·s_0,
    /// q_k' = q_k − s_{k−1} + X^L·s_k, the last q_{c−1}' = q_{c−1} − s_{c−2}, so
    /// Σ_k z^{kL}·q_k'(z) = Q(z) while each chunk alone is masked; all have
    /// degree < n + 2h. Then μ: three random polynomials of degree < n + 2h.
    /// Chunks and μ are split at N, the table's domain (low: N coefficients,
    /// high: the rest, fewer than N, as degree < n + E ≤ 1.25·N).
    private func quotientSources(_ coefficients: [[Goldilocks]], table t: Int) -> [ColumnSource] {
        let n = 1 << logDomains[t]
        func split(_ p: [Goldilocks]) -> ColumnSource {
            p.count <= n ? .coefficients(low: p + [Goldilocks](repeating: .zero, count: n - p.count), high: [])
                : .coefficients(low: Array(p[0..<n]), high: Array(p[n...]))
        }
        guard let randomness else { return coefficients.map(split) }
        let h = layout.maskDegree
        let chunks = coefficients.count / 3
        precondition(chunks >= 2 && coefficients.count == 3 * chunks && coefficients[3 * (chunks - 1)].count >= h)
        var masked = coefficients
        for k in 0..<chunks - 1 {
            for c in 0..<3 {
                // q_k has exactly L = n + h coefficients; s_k moves to X^L·s_k there and −s_k into q_{k+1}.
                let s = randomness.elements(.quotientMask, table: t, index: 3 * k + c, count: h)
                masked[3 * k + c] += s
                for i in 0..<h { masked[3 * (k + 1) + c][i] = masked[3 * (k + 1) + c][i] - s[i] }
            }
        }
        var sources = masked.map(split)
        // μ: uniform of degree < n_t + E (n_t the table's height), the bound FRI tests.
        let traceRows = 1 << logHeights[t]
        for j in 0..<layout.maskColumns {
            let mu = randomness.elements(.friMask, table: t, index: 2 * j, count: traceRows)
                + randomness.elements(.friMask, table: t, index: 2 * j + 1, count: layout.degreeExcess)
            sources.append(split(mu))
        }
        return sources
    }
}
