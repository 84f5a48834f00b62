import AIR
import Field

/// One table of the VM's AIR (Spec/vm-air.md §1): its constraints and
/// interactions and, if it has any, its preprocessed columns (fixed by the
/// program, committed in the verification key). Its main columns are the
/// run's, filled by the prover module.
protocol VMTableComponent {
    /// The table's columns, constraints and interactions (`blinded`: with
    /// the zero-knowledge blinding column, `Table.blinded()`).
    static func definition(blinded: Bool) throws(AIRError) -> Table
    /// Its preprocessed columns in a segment of `air`'s program.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]]
}

extension VMTableComponent {
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] { [] }
}

/// The VM's tables, in proof order (Spec/vm-air.md §1). Every shape has
/// the first six; the others only when the program needs them.
public enum VMTable: String, CaseIterable, Sendable {
    case program, cpu, memory, range, byte, rangeFull, activation, microcode, tensor, copycode, copy, elementcode, element, dotcode, dot, dotoutput, weights, publicweights, commitment

    /// The type that defines the table.
    var component: any VMTableComponent.Type {
        switch self {
        case .program: ProgramTable.self
        case .cpu: CPUTable.self
        case .memory: MemoryTable.self
        case .range: RangeTable.self
        case .byte: ByteTable.self
        case .rangeFull: RangeFullTable.self
        case .activation: ActivationTable.self
        case .microcode: MicrocodeTable.self
        case .tensor: TensorTable.self
        case .copycode: CopyCodeTable.self
        case .copy: CopyTable.self
        case .elementcode: ElementCodeTable.self
        case .element: ElementTable.self
        case .dotcode: DotCodeTable.self
        case .dot: DotTable.self
        case .dotoutput: DotOutputTable.self
        case .weights: WeightsTable.self
        case .publicweights: PublicWeightsTable.self
        case .commitment: CommitmentTable.self
        }
    }

    /// The table's columns, constraints and interactions.
    func definition(blinded: Bool, shape: VMShape) throws(AIRError) -> Table {
        self == .memory ? try MemoryTable.definition(blinded: blinded, weightsLanes: shape.hasWeightsMatmuls)
            : try component.definition(blinded: blinded)
    }

    /// Whether the table has preprocessed columns (committed in the key).
    public var hasPreprocessedColumns: Bool { ![.cpu, .range, .rangeFull, .tensor, .copy, .element, .dot, .dotoutput].contains(self) }
}
