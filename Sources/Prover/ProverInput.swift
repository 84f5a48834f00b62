import AIR
import Field
import STARK

/// What the prover needs: the AIR, the witness (main columns of every table),
/// the preprocessed columns (committed once; a verifier holds their key), the public
/// values and the statement bytes bound into the transcript.
public struct ProverInput: Sendable {
    public var air: AIRDefinition
    /// Per table, its main columns (all of the table's height, a power of two).
    public var main: [[[Goldilocks]]]
    /// Per table, its preprocessed columns.
    public var preprocessed: [[[Goldilocks]]]
    /// Those columns committed (`PreprocessedTrace`), when the caller has
    /// them already (a proving key, or segments sharing one); computed from
    /// `preprocessed` at the proof's blowup otherwise.
    public var preprocessedTrace: PreprocessedTrace?
    public var publicValues: [Goldilocks]
    /// Messages the statement puts on the buses: absorbed into the
    /// transcript (the verifier adds them to the LogUp balance).
    public var boundary: [BoundaryMessage]
    /// Caller-defined statement (program digest, public inputs/outputs, …).
    public var statement: [UInt8]
    /// Zero knowledge: what this proof's LogUp blinds (b0, b1, b2) add up
    /// to, component-wise (Spec/zk.md §2.5). Zero for a single proof; the
    /// segments of one run get random targets that sum to zero, so each
    /// segment's total is blinded too. Ignored by transparent proofs.
    public var blindingTarget: GoldilocksExt3

    public init(air: AIRDefinition, main: [[[Goldilocks]]], preprocessed: [[[Goldilocks]]],
                preprocessedTrace: PreprocessedTrace? = nil,
                publicValues: [Goldilocks], boundary: [BoundaryMessage] = [], statement: [UInt8],
                blindingTarget: GoldilocksExt3 = .zero) {
        self.air = air
        self.main = main
        self.preprocessed = preprocessed
        self.preprocessedTrace = preprocessedTrace
        self.publicValues = publicValues
        self.boundary = boundary
        self.statement = statement
        self.blindingTarget = blindingTarget
    }
}

/// Wall-clock seconds per prover phase, in order.
public struct ProverReport: Sendable {
    public var phases: [(name: String, seconds: Double)] = []
    /// Total rows over all tables.
    public var traceRows = 0
}

extension ProverReport {
    /// Several reports (segments) as one: rows added, each phase's seconds
    /// added by name, in first-seen order.
    public static func combined(_ reports: [ProverReport]) -> ProverReport {
        var out = ProverReport()
        for report in reports {
            out.traceRows += report.traceRows
            for (name, seconds) in report.phases {
                if let i = out.phases.firstIndex(where: { $0.name == name }) { out.phases[i].seconds += seconds }
                else { out.phases.append((name, seconds)) }
            }
        }
        return out
    }
}
