import Field
import ISA
import Parallel
import STARK
import VMArithmetization

/// A program's proving key: its AIR and its preprocessed columns, extended
/// and committed (Spec/proof-system.md §3 step 0), for one blowup and
/// degree excess (which the queries set under zero knowledge). Made once and given to every `VMProver.prove` of
/// the program, it saves on each proof what `export-vk` pays: committing
/// the preprocessed columns (2.6 s of LeNet-5's proof). Unlike a
/// verification key it holds the columns themselves, so it grows with the
/// program. It holds the program itself, private and committed weight
/// values included: keep it where the program is kept.
public struct ProvingKey: Sendable {
    let vmAir: VMAir
    let logBlowup: Int
    let columns: (last: [[[Goldilocks]]], other: [[[Goldilocks]]])
    let traces: (last: PreprocessedTrace, other: PreprocessedTrace?)

    /// The program the key proves.
    public var program: Program { vmAir.program }
    /// The last segment's committed preprocessed columns: the root a
    /// verification key made with the same options holds.
    public var preprocessedKey: PreprocessedKey { traces.last.key }

    /// - Parameters:
    ///   - options: the proofs' options (their blowup and, through the
    ///     queries, their degree excess under zero knowledge).
    ///   - segmented: also commit the other segments' columns, for runs
    ///     longer than one segment.
    public init(program: Program, options: ProofOptions = .standard, segmented: Bool = false,
                threads: Int = Parallel.defaultThreads) throws {
        try options.validate()
        self.init(vmAir: try VMAir(program: program), options: options, segmented: segmented, threads: threads)
    }

    init(vmAir: VMAir, options: ProofOptions, segmented: Bool, threads: Int) {
        self.vmAir = vmAir
        self.logBlowup = options.logBlowup
        columns = (last: vmAir.preprocessedColumns(isLastSegment: true),
                   other: segmented ? vmAir.preprocessedColumns(isLastSegment: false) : [])
        traces = vmAir.preprocessedTraces(last: columns.last, other: segmented ? columns.other : nil, logBlowup: logBlowup,
                                          degreeExcess: CommitmentLayout(options: options).degreeExcess, threads: threads)
    }

    /// The key's AIR if it is `program`'s.
    func air(for program: Program) -> VMAir? {
        vmAir.program == program ? vmAir : nil
    }

    /// Whether the key serves a run of `program` under `options` in
    /// `segments` segments: the same blowup and, for every table with
    /// preprocessed columns, the same domain (options whose query counts
    /// differ a little share one key).
    func serves(_ program: Program, options: ProofOptions, segments: Int) -> Bool {
        let layout = CommitmentLayout(options: options)
        func sameDomains(_ key: PreprocessedKey) -> Bool {
            key.logDomains == key.logHeights.map { $0.map { layout.logDomain(logHeight: $0) } }
        }
        guard air(for: program) != nil, logBlowup == options.logBlowup, sameDomains(traces.last.key) else { return false }
        guard segments > 1 else { return true }
        return traces.other.map { sameDomains($0.key) } ?? false
    }
}
