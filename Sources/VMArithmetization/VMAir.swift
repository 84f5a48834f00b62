import AIR
import AlgebraicHashing
import Field
import ISA
import STARK
import Synchronization

/// Which optional tables a program's AIR has: all the AIR depends on, so a
/// verification key names it instead of carrying the program.
public struct VMShape: Sendable, Equatable, Hashable {
    /// The activation table (the program has lookup tables).
    public var hasLookupTables: Bool
    /// The microcode and tensor tables (the program has tensor instructions).
    public var hasTensorInstructions: Bool
    /// The commitment table (the program has committed weights).
    public var hasCommittedWeights: Bool
    /// The dotcode, dot, dotoutput and weights tables (the program has
    /// weights matmuls, `DotCode`); the microcode and tensor tables are then
    /// there only for its other tensor instructions.
    public var hasWeightsMatmuls: Bool
    /// The copycode and copy tables (the program has copies of at least one element, `CopyCode`).
    public var hasCopies: Bool
    /// The elementcode and element tables (the program has maps or zips of
    /// at least one element, `ElementCode`).
    public var hasElements: Bool
    /// The publicweights table (weights matmuls read public weights the
    /// weights tables hold, `HeldWeights`).
    public var hasPublicWeights: Bool

    public init(hasLookupTables: Bool, hasTensorInstructions: Bool, hasCommittedWeights: Bool, hasWeightsMatmuls: Bool = false,
                hasCopies: Bool = false, hasElements: Bool = false, hasPublicWeights: Bool = false) {
        self.hasLookupTables = hasLookupTables
        self.hasTensorInstructions = hasTensorInstructions
        self.hasCommittedWeights = hasCommittedWeights
        self.hasWeightsMatmuls = hasWeightsMatmuls
        self.hasCopies = hasCopies
        self.hasElements = hasElements
        self.hasPublicWeights = hasPublicWeights
    }

    public init(program: Program) { self.init(program: program, dotCode: DotCode(program)) }

    /// The shape of `program`, whose weights-matmul schedules are `dotCode`.
    public init(program: Program, dotCode: DotCode) {
        enum Runner { case microSteps, dot, copy, element }
        let runners = program.descriptors.map { op -> Runner in
            switch op {
            case .matmul(let mm): DotProduct.weightsOperands(mm, tensors: program.tensors) != nil ? .dot : .microSteps
            case .copy(let c): CopyCode.proves(c) ? .copy : .microSteps
            default: ElementCode.proves(op) ? .element : .microSteps
            }
        }
        self.init(hasLookupTables: !program.tables.isEmpty, hasTensorInstructions: runners.contains(.microSteps),
                  hasCommittedWeights: program.hasCommittedWeights, hasWeightsMatmuls: runners.contains(.dot),
                  hasCopies: runners.contains(.copy), hasElements: runners.contains(.element),
                  hasPublicWeights: dotCode.weightsRows.contains(where: \.isPublic))
    }

    /// Bit 0 lookup tables, bit 1 tensor instructions (micro-steps), bit 2
    /// committed weights, bit 3 weights matmuls, bit 4 copies, bit 5 maps
    /// and zips, bit 6 held public weights.
    package var bits: UInt8 {
        (hasLookupTables ? 1 : 0) | (hasTensorInstructions ? 2 : 0) | (hasCommittedWeights ? 4 : 0) | (hasWeightsMatmuls ? 8 : 0)
            | (hasCopies ? 16 : 0) | (hasElements ? 32 : 0) | (hasPublicWeights ? 64 : 0)
    }

    package init?(bits: UInt8) {
        guard bits < 128 else { return nil }
        self.init(hasLookupTables: bits & 1 != 0, hasTensorInstructions: bits & 2 != 0, hasCommittedWeights: bits & 4 != 0,
                  hasWeightsMatmuls: bits & 8 != 0, hasCopies: bits & 16 != 0, hasElements: bits & 32 != 0,
                  hasPublicWeights: bits & 64 != 0)
    }

    /// The AIR of every program of this shape (Spec/vm-air.md §1), or its
    /// blinded form for zero-knowledge proofs (`AIRDefinition.blinded()`,
    /// built directly). Compiled once per process and shape.
    public func air(blinded: Bool = false) throws(VMArithmetizationError) -> AIRDefinition {
        let key = Int(bits) * 2 + (blinded ? 1 : 0)
        if let known = Self.cache.withLock({ $0[key] }) { return known }
        let air: AIRDefinition
        do {
            var definitions = [Table]()
            for table in tables { definitions.append(try table.definition(blinded: blinded, shape: self)) }
            air = try AIRDefinition(name: Self.airName + (blinded ? "/zk" : ""), tables: definitions,
                                    publicValueCount: SegmentBoundary.publicValueCount)
        } catch {
            throw .unsupported("AIR construction failed: \(error)")
        }
        Self.cache.withLock { $0[key] = air }
        return air
    }

    static let airName = "zkvm-vm-v17"
    /// Compiled AIRs by shape bits and blinding (256 at most).
    private static let cache = Mutex<[Int: AIRDefinition]>([:])

    /// The tables of this shape, in AIR order.
    public var tables: [VMTable] {
        VMTable.allCases.filter { table in
            switch table {
            case .activation: hasLookupTables
            case .microcode, .tensor: hasTensorInstructions
            case .dotcode, .dot, .dotoutput, .weights: hasWeightsMatmuls
            case .copycode, .copy: hasCopies
            case .elementcode, .element: hasElements
            case .publicweights: hasPublicWeights
            case .commitment: hasCommittedWeights
            default: true
            }
        }
    }

    /// A table's position in the AIR, nil if this shape lacks it.
    public func index(of table: VMTable) -> Int? { tables.firstIndex(of: table) }

    /// The base-field cells a proof with `options` commits for each table
    /// of one segment whose heights are 2^logHeights (AIR order; the
    /// blinded AIR's tables with zero knowledge): `CommitmentLayout.committedCells`.
    public func committedCells(options: ProofOptions, logHeights: [Int]) throws(VMArithmetizationError) -> [(table: String, cells: Int)] {
        let layout = CommitmentLayout(options: options)
        return zip(try air(blinded: options.zeroKnowledge).tables, logHeights).map {
            ($0.name, layout.committedCells($0, logHeight: $1))
        }
    }

    /// Which tables, in AIR order, have preprocessed columns: what a key's heights must match.
    public var preprocessedTables: [Bool] { tables.map(\.hasPreprocessedColumns) }
}

/// The AIR of one program's execution (Spec/vm-air.md): the same tables
/// and constraints for every program; only the preprocessed columns
/// (program, activation tables, micro-code, memory layout, public values)
/// differ, and the verifier computes those itself from the program and the
/// statement.
public struct VMAir: Sendable {
    public let program: Program
    public let air: AIRDefinition
    /// The static micro-steps of every descriptor, their counts and timestamp spans.
    public let microSteps: [MicroStep]
    public let stepCounts: [Int]
    public let spans: [Int64]
    /// The schedules of the program's weights matmuls (their `stepCounts` are 0).
    public let dotCode: DotCode
    /// The schedules of the program's copies (likewise).
    public let copyCode: CopyCode
    /// The schedules of the program's maps and zips (likewise).
    public let elementCode: ElementCode
    /// The memory cells the memory table has rows for, in address order
    /// (all but the cells the weights table holds, §10a); the registers follow.
    public let memoryCells: [Int]
    /// The committed cells in the units the commitment table absorbs, in
    /// commitment order (`CommitmentTable.units`; empty without committed weights).
    public let commitmentUnits: [CommitmentTable.Unit]
    /// log2 of the smallest table height, 3 (under zero knowledge a small
    /// table is committed on a larger domain: `CommitmentLayout.logDomain`).
    public var minLogHeight: Int { Proof.minLogHeight }

    /// Positions of the tables every shape has (`VMShape.tables` starts with them).
    public enum TableIndex { public static let program = 0, cpu = 1, memory = 2, range = 3, byte = 4, rangeFull = 5 }
    public let shape: VMShape
    /// A table's position in the AIR, nil if this program's shape lacks it.
    public func index(of table: VMTable) -> Int? { shape.index(of: table) }
    public var activationIndex: Int? { index(of: .activation) }
    public var microcodeIndex: Int? { index(of: .microcode) }
    public var tensorIndex: Int? { index(of: .tensor) }
    public var commitmentIndex: Int? { index(of: .commitment) }
    public var weightsIndex: Int? { index(of: .weights) }
    /// Whether the program has committed weights (and so a commitment table).
    public var hasCommittedWeights: Bool { program.hasCommittedWeights }

    /// Every lookup table's entries over the whole 16-bit domain.
    public let lookupTables: [[Int64]]
    /// Every lookup table's proven domain (`LookupTableSpec.provenDomain`).
    public let activationDomains: [ClosedRange<Int64>]
    /// Each lookup table's first row in the activation table.
    let activationOffsets: [Int]

    public init(program: Program) throws(VMArithmetizationError) {
        // Tables, descriptors and their indices are checked before anything is derived from them.
        do { try program.validate() } catch { throw .unsupported("invalid program: \(error)") }
        self.program = program
        lookupTables = program.tables.map { $0.generate() }
        activationDomains = lookupTables.map(LookupTableSpec.provenDomain)
        var offsets = [Int](), offset = 0
        for domain in activationDomains { offsets.append(offset); offset += domain.count }
        activationOffsets = offsets
        let dotCode = DotCode(program), copyCode = CopyCode(program)
        let elementCode = ElementCode(program, domains: activationDomains)
        self.dotCode = dotCode
        self.copyCode = copyCode
        self.elementCode = elementCode
        memoryCells = MemoryTable.cells(program, held: dotCode.heldTensors)
        commitmentUnits = CommitmentTable.units(program, code: dotCode)
        let tensorSpans: [Int64]
        (microSteps, stepCounts, tensorSpans) = MicroCode.expand(program, domains: activationDomains,
                                                                 excluded: { dotCode.operands[$0] != nil || copyCode.runs[$0]
                                                                     || elementCode.runs[$0] })
        spans = program.descriptors.indices.map { tensorSpans[$0] + dotCode.spans[$0] + copyCode.spans[$0] + elementCode.spans[$0] }
        // The tensor table has no constraints for maps' and zips' operations:
        // every such step must be on the element table.
        guard !microSteps.contains(where: \.isElementWise) else {
            throw .unsupported("a map or zip element left on the tensor table")
        }
        shape = VMShape(program: program, dotCode: dotCode)
        air = try shape.air()
    }

    /// log2 of the height of a table of `rows` rows: the next power of two, at least 2^minLogHeight.
    public func logHeight(rows: Int) -> Int {
        rows <= 1 ? minLogHeight : max(minLogHeight, (rows - 1).bitWidth - (rows - 1).leadingZeroBitCount)
    }

    /// log2 of the program table's height (≥ 8 rows).
    public var programLogHeight: Int { logHeight(rows: program.code.count) }
    /// log2 of the memory boundary table's height in the last segment,
    /// which holds the whole run's initial and final memory; the other
    /// segments' memory tables are 8 empty rows.
    public func memoryLogHeight(isLastSegment: Bool) -> Int {
        isLastSegment ? logHeight(rows: memoryCells.count + Instruction.registerCount) : minLogHeight
    }
    /// log2 of the activation table's height: the rows of every table's proven domain.
    public var activationLogHeight: Int { logHeight(rows: ActivationTable.rows(activationDomains)) }

    /// The activation table's row of (table, input), input in the table's proven domain.
    public func activationRow(table: Int, input: Int64) -> Int {
        activationOffsets[table] + Int(input - activationDomains[table].lowerBound)
    }
    /// log2 of a schedule table's height (microcode, copycode, elementcode,
    /// dotcode): its schedule rows in the last segment, which answers the
    /// lookups of every segment (Spec/vm-air.md §8); the smallest height in
    /// the others.
    public func codeLogHeight(_ table: VMTable, isLastSegment: Bool) -> Int {
        guard isLastSegment else { return minLogHeight }
        switch table {
        case .microcode: return logHeight(rows: microSteps.count)
        case .copycode: return logHeight(rows: copyCode.steps.count)
        case .elementcode: return logHeight(rows: elementCode.steps.count)
        case .dotcode: return logHeight(rows: dotCode.steps.count)
        default: preconditionFailure("\(table) is not a schedule table")
        }
    }

    /// The schedule tables, whose rows only the last segment has.
    public static let scheduleTables: [VMTable] = [.microcode, .copycode, .elementcode, .dotcode]
    /// log2 of the weights table's height: its rows in the last segment, the smallest height elsewhere.
    public func weightsLogHeight(isLastSegment: Bool) -> Int {
        isLastSegment ? logHeight(rows: WeightsTable.rows(dotCode).count) : minLogHeight
    }
    /// log2 of the publicweights table's height: its rows in the last segment, the smallest height elsewhere.
    public func publicWeightsLogHeight(isLastSegment: Bool) -> Int {
        isLastSegment ? logHeight(rows: PublicWeightsTable.rows(dotCode).count) : minLogHeight
    }
    /// log2 of the commitment table's height: one row per sponge block in
    /// the last segment, the smallest height elsewhere.
    public func commitmentLogHeight(isLastSegment: Bool) -> Int {
        isLastSegment ? logHeight(rows: WeightSponge.permutationCount(elements: commitmentUnits.count)) : minLogHeight
    }

    /// Every table's preprocessed columns for a segment (none for cpu,
    /// range, tensor, copy, dot and dotoutput). They depend on the program
    /// alone, never on a statement.
    public func preprocessedColumns(isLastSegment: Bool) -> [[[Goldilocks]]] {
        shape.tables.map { $0.component.preprocessedColumns(of: self, isLastSegment: isLastSegment) }
    }

    /// log2 of the byte table's height: 2^8 rows, or the smallest height.
    public var byteLogHeight: Int { max(minLogHeight, ByteTable.logHeight) }

    /// Range messages per timestamp at most, over the tables this program
    /// has (`RangeTable.sendsPerTimestamp`): the tables a program lacks do
    /// not count, so scalar code (and copies) have the lowest rate.
    var rangeSendsPerTimestamp: Int {
        Self.rangeRates[(shape.hasTensorInstructions ? 1 : 0) + (shape.hasWeightsMatmuls ? 2 : 0) + (shape.hasCopies ? 4 : 0)
            + (shape.hasElements ? 8 : 0)]
    }

    /// The rates of the sixteen combinations of tensor, weights-matmul,
    /// copy and element tables (index: 1 tensor, 2 weights matmuls, 4
    /// copies, 8 elements), derived once from the tables' definitions.
    static let rangeRates: [Int] = (0..<16).map { k in
        var tables = [VMTable.cpu]
        if k & 1 != 0 { tables.append(.tensor) }
        if k & 2 != 0 { tables += [.dot, .dotoutput] }
        if k & 4 != 0 { tables.append(.copy) }
        if k & 8 != 0 { tables.append(.element) }
        return RangeTable.sendsPerTimestamp(tables, sends: rangeSendsPerRow)
    }

    /// log2 of a segment's range table height: enough rows for every
    /// distinct limb the segment can send — at most 2^16, at most one per
    /// range message, and there are at most `rangeSendsPerTimestamp`·Δts of
    /// them (or, with `senderRows`, Σ rows × range sends per row over the
    /// sending tables) plus two per hidden memory cell in the last segment.
    /// A function of public data only — the boundary, the layout and the
    /// tables' heights, which the proof states — so the height reveals
    /// nothing about private values (Spec/vm-air.md §4a).
    public func rangeLogHeight(boundary: SegmentBoundary, isLastSegment: Bool, senderRows: [VMTable: Int]? = nil) -> Int {
        rangeBound(boundary: boundary, isLastSegment: isLastSegment, senderRows: senderRows).map(logHeight(rows:)) ?? minLogHeight
    }

    /// log2 of a segment's full range table (`RangeFullTable`): 2^16 when
    /// the segment's bound reaches it (the byte-checked table then idles at
    /// the smallest height), the smallest height otherwise.
    public func rangeFullLogHeight(boundary: SegmentBoundary, isLastSegment: Bool, senderRows: [VMTable: Int]? = nil) -> Int {
        rangeBound(boundary: boundary, isLastSegment: isLastSegment, senderRows: senderRows) == nil
            ? RangeTable.maxLogHeight : minLogHeight
    }

    /// The segment's bound on distinct range values, nil when the
    /// byte-checked table would need 2^16 rows: the full table is cheaper
    /// there (11 committed cells a row against 18).
    func rangeBound(boundary: SegmentBoundary, isLastSegment: Bool, senderRows: [VMTable: Int]? = nil) -> Int? {
        let span = boundary.tsEnd >= boundary.tsStart ? boundary.tsEnd - boundary.tsStart : UInt64.max
        let (scaled, overflow) = span.multipliedReportingOverflow(by: UInt64(rangeSendsPerTimestamp))
        var messages = overflow ? UInt64.max : scaled
        if let senderRows {
            let byRows = senderRows.reduce(UInt64(0)) { total, entry in
                total + UInt64(max(0, entry.value)) * UInt64(Self.rangeSendsPerRow[entry.key] ?? 0)
            }
            messages = min(messages, byRows)
        }
        let bound = messages == .max ? messages : messages + UInt64(isLastSegment ? 2 * MemoryTable.hiddenCellCount(program) : 0)
        return bound <= 1 << (RangeTable.maxLogHeight - 1) ? Int(bound) : nil
    }

    /// Range messages a row of each table that advances time sends at most
    /// (each with multiplicity ≤ 1; the memory table's and held weights'
    /// limbs are counted per hidden cell), from the tables' definitions.
    public static let rangeSendsPerRow: [VMTable: Int] = {
        var sends = [VMTable: Int]()
        for table in RangeTable.timestampsPerRow.keys {
            // A table that fails to build counts 2^16 sends: the full range table.
            let definition = try? table.component.definition(blinded: false)
            sends[table] = definition?.interactions.count { $0.bus == Bus.range } ?? 1 << 16
        }
        return sends
    }()

    /// The preprocessed columns committed at `logBlowup` for proofs of
    /// degree excess E (`CommitmentLayout.degreeExcess`, which sets each
    /// table's domain): the last segment's, and (when `segmented`) the other
    /// segments', which differ only in the memory, commitment, weights,
    /// publicweights and schedule tables (empty at the smallest height there).
    public func preprocessedTraces(logBlowup: Int, degreeExcess: Int, segmented: Bool,
                                   threads: Int) -> (last: PreprocessedTrace, other: PreprocessedTrace?) {
        preprocessedTraces(last: preprocessedColumns(isLastSegment: true),
                           other: segmented ? preprocessedColumns(isLastSegment: false) : nil, logBlowup: logBlowup,
                           degreeExcess: degreeExcess, threads: threads)
    }

    /// The same from columns already built (`preprocessedColumns`).
    public func preprocessedTraces(last columns: [[[Goldilocks]]], other: [[[Goldilocks]]]?, logBlowup: Int, degreeExcess: Int,
                                   threads: Int) -> (last: PreprocessedTrace, other: PreprocessedTrace?) {
        let last = PreprocessedTrace(columns: columns, logBlowup: logBlowup, degreeExcess: degreeExcess, threads: threads)
        guard let other else { return (last, nil) }
        var replaced = [TableIndex.memory: other[TableIndex.memory]]
        if let c = commitmentIndex { replaced[c] = other[c] }
        if let w = weightsIndex { replaced[w] = other[w] }
        for table in [VMTable.publicweights] + Self.scheduleTables {
            if let t = index(of: table) { replaced[t] = other[t] }
        }
        return (last, last.replacing(replaced, threads: threads))
    }

    /// The statement's messages on the buses (the last segment's; the
    /// others have none): its public inputs and outputs (Spec/vm-air.md §5).
    public static func boundaryMessages(layout: PublicLayout, statement: VMStatement) -> [BoundaryMessage] {
        MemoryTable.boundaryMessages(layout: layout, statement: statement)
    }
}
