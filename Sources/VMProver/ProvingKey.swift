import Field
import ISA
import Parallel
import STARK
import VMArithmetization

/// A program's proving key: its AIR and its preprocessed columns, extended
/// and committed (Spec/proof-system.md §3 step 0), for one blowup and
/// smallest table height. Made once and given to every `VMProver.prove` of
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
    ///     queries, their smallest table height under zero knowledge).
    ///   - segmented: also commit the other segments' columns, for runs
    ///     longer than one segment.
    public init(program: Program, options: ProofOptions = .standard, segmented: Bool = false,
                threads: Int = Parallel.defaultThreads) throws {
        try options.validate()
        let air = try VMAir(program: program, minLogHeight: CommitmentLayout(options: options).minLogHeight)
        self.init(vmAir: air, logBlowup: options.logBlowup, segmented: segmented, threads: threads)
    }

    init(vmAir: VMAir, logBlowup: Int, segmented: Bool, threads: Int) {
        self.vmAir = vmAir
        self.logBlowup = logBlowup
        columns = (last: vmAir.preprocessedColumns(isLastSegment: true),
                   other: segmented ? vmAir.preprocessedColumns(isLastSegment: false) : [])
        traces = vmAir.preprocessedTraces(last: columns.last, other: segmented ? columns.other : nil, logBlowup: logBlowup,
                                          threads: threads)
    }

    /// The key's AIR if it is `program`'s at this smallest height.
    func air(for program: Program, minLogHeight: Int) -> VMAir? {
        vmAir.minLogHeight == minLogHeight && vmAir.program == program ? vmAir : nil
    }

    /// Whether the key serves a run of `program` at this smallest height
    /// and blowup in `segments` segments.
    func serves(_ program: Program, minLogHeight: Int, logBlowup: Int, segments: Int) -> Bool {
        air(for: program, minLogHeight: minLogHeight) != nil && self.logBlowup == logBlowup && (segments == 1 || traces.other != nil)
    }
}
