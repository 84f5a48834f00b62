import AIR
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

    public init(hasLookupTables: Bool, hasTensorInstructions: Bool, hasCommittedWeights: Bool) {
        self.hasLookupTables = hasLookupTables
        self.hasTensorInstructions = hasTensorInstructions
        self.hasCommittedWeights = hasCommittedWeights
    }

    public init(program: Program) {
        self.init(hasLookupTables: !program.tables.isEmpty, hasTensorInstructions: !program.descriptors.isEmpty,
                  hasCommittedWeights: program.hasCommittedWeights)
    }

    /// Bit 0 lookup tables, bit 1 tensor instructions, bit 2 committed weights.
    var bits: UInt8 {
        (hasLookupTables ? 1 : 0) | (hasTensorInstructions ? 2 : 0) | (hasCommittedWeights ? 4 : 0)
    }

    init?(bits: UInt8) {
        guard bits < 8 else { return nil }
        self.init(hasLookupTables: bits & 1 != 0, hasTensorInstructions: bits & 2 != 0, hasCommittedWeights: bits & 4 != 0)
    }

    /// The AIR of every program of this shape (Spec/vm-air.md §1), or its
    /// blinded form for zero-knowledge proofs (`AIRDefinition.blinded()`,
    /// built directly). Compiled once per process and shape.
    public func air(blinded: Bool = false) throws(VMArithmetizationError) -> AIRDefinition {
        let key = Int(bits) * 2 + (blinded ? 1 : 0)
        if let known = Self.cache.withLock({ $0[key] }) { return known }
        let air: AIRDefinition
        do {
            var tables = [try FixedTables.program(blinded: blinded), try CPUTable.build(blinded: blinded),
                          try MemoryTable.build(blinded: blinded), try FixedTables.range(blinded: blinded)]
            if hasLookupTables { tables.append(try FixedTables.activation(blinded: blinded)) }
            if hasTensorInstructions {
                tables.append(try TensorTable.microcode(blinded: blinded))
                tables.append(try TensorTable.build(blinded: blinded))
            }
            if hasCommittedWeights { tables.append(try CommitmentTable.build(blinded: blinded)) }
            air = try AIRDefinition(name: Self.airName + (blinded ? "/zk" : ""), tables: tables,
                                    publicValueCount: SegmentBoundary.publicValueCount)
        } catch {
            throw .unsupported("AIR construction failed: \(error)")
        }
        Self.cache.withLock { $0[key] = air }
        return air
    }

    static let airName = "zkvm-vm-v5"
    /// Compiled AIRs by shape bits and blinding (16 at most).
    private static let cache = Mutex<[Int: AIRDefinition]>([:])

    /// Which tables, in AIR order, have preprocessed columns (every table
    /// but cpu and tensor): what a key's heights must match.
    public var preprocessedTables: [Bool] {
        var out = [true, false, true, true]
        if hasLookupTables { out.append(true) }
        if hasTensorInstructions { out += [true, false] }
        if hasCommittedWeights { out.append(true) }
        return out
    }
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
    /// log2 of the smallest table height: 3, or more for zero-knowledge
    /// proofs, whose masks need n ≥ 8h (`CommitmentLayout.minLogHeight`).
    public let minLogHeight: Int

    /// Table order in the proof: program, cpu, memory, range16, then
    /// activation (if the program has lookup tables), then microcode and
    /// tensor (if it has tensor instructions), then commitment (if it has
    /// committed weights).
    public enum TableIndex { public static let program = 0, cpu = 1, memory = 2, range = 3 }
    public var activationIndex: Int? { program.tables.isEmpty ? nil : 4 }
    public var microcodeIndex: Int? { program.descriptors.isEmpty ? nil : 4 + (program.tables.isEmpty ? 0 : 1) }
    public var tensorIndex: Int? { microcodeIndex.map { $0 + 1 } }
    public var commitmentIndex: Int? {
        guard hasCommittedWeights else { return nil }
        return 4 + (program.tables.isEmpty ? 0 : 1) + (program.descriptors.isEmpty ? 0 : 2)
    }
    /// Whether the program has committed weights (and so a commitment table).
    public var hasCommittedWeights: Bool { program.hasCommittedWeights }

    public init(program: Program, minLogHeight: Int = 3) throws(VMArithmetizationError) {
        guard (3...20).contains(minLogHeight) else { throw .unsupported("minimum table height 2^\(minLogHeight) outside 2^3…2^20") }
        self.program = program
        self.minLogHeight = minLogHeight
        (microSteps, stepCounts, spans) = MicroCode.expand(program)
        air = try VMShape(program: program).air()
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
        isLastSegment ? max(minLogHeight, MemoryTable.logHeight(program)) : minLogHeight
    }
    /// log2 of the activation table's height (program tables × 2^16 rows).
    public var activationLogHeight: Int { FixedTables.activationLogHeight(program) }
    /// log2 of the microcode table's height.
    public var microcodeLogHeight: Int { logHeight(rows: microSteps.count) }
    /// log2 of the commitment table's height: one row per sponge block in
    /// the last segment, the smallest height elsewhere.
    public func commitmentLogHeight(isLastSegment: Bool) -> Int {
        isLastSegment ? logHeight(rows: CommitmentTable.rows(program)) : minLogHeight
    }

    /// Every table's preprocessed columns for a segment (cpu and tensor have
    /// none). They depend on the program alone, never on a statement.
    public func preprocessedColumns(isLastSegment: Bool) -> [[[Goldilocks]]] {
        var columns: [[[Goldilocks]]] = [
            FixedTables.programColumns(program, logHeight: programLogHeight, spans: spans),
            [],
            isLastSegment ? MemoryTable.fixedColumns(program, logHeight: memoryLogHeight(isLastSegment: true))
                : [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: 1 << minLogHeight), count: MemoryTable.Fixed.width),
            FixedTables.rangeColumns(),
        ]
        if !program.tables.isEmpty { columns.append(FixedTables.activationColumns(program)) }
        if !program.descriptors.isEmpty {
            columns.append(microcodeColumns())
            columns.append([])
        }
        if hasCommittedWeights {
            columns.append(CommitmentTable.fixedColumns(program, logHeight: commitmentLogHeight(isLastSegment: isLastSegment),
                                                        isLastSegment: isLastSegment))
        }
        return columns
    }

    /// The preprocessed columns committed at `logBlowup`: the last segment's,
    /// and (when `segmented`) the other segments', which differ only in the
    /// memory and commitment tables (all zero at the smallest height there).
    public func preprocessedTraces(logBlowup: Int, segmented: Bool,
                                   threads: Int) -> (last: PreprocessedTrace, other: PreprocessedTrace?) {
        let last = PreprocessedTrace(columns: preprocessedColumns(isLastSegment: true), logBlowup: logBlowup, threads: threads)
        guard segmented else { return (last, nil) }
        let other = preprocessedColumns(isLastSegment: false)
        var replaced = [TableIndex.memory: other[TableIndex.memory]]
        if let c = commitmentIndex { replaced[c] = other[c] }
        return (last, last.replacing(replaced, threads: threads))
    }

    /// The statement's messages on the buses (the last segment's; the
    /// others have none): its public inputs and outputs (Spec/vm-air.md §5).
    public static func boundaryMessages(layout: PublicLayout, statement: VMStatement) -> [BoundaryMessage] {
        MemoryTable.boundaryMessages(layout: layout, statement: statement)
    }

    /// The microcode table: one row per static step; padding rows are all
    /// zero except descriptor = −1, so no executed step can match them.
    func microcodeColumns() -> [[Goldilocks]] {
        let n = 1 << microcodeLogHeight, width = MicroStep.fieldCount
        // Row-major values first (one pass over the steps), then one
        // contiguous column at a time.
        var flat = [Int64](repeating: 0, count: microSteps.count * width)
        flat.withUnsafeMutableBufferPointer { out in
            for (row, step) in microSteps.enumerated() { step.write(into: out.baseAddress! + row * width) }
        }
        return flat.withUnsafeBufferPointer { values in
            (0..<width).map { k in
                [Goldilocks](unsafeUninitializedCapacity: n) { buffer, initialized in
                    for row in 0..<microSteps.count {
                        buffer.initializeElement(at: row, to: Goldilocks(Int(values[row * width + k])))
                    }
                    let padding = k == 0 ? -Goldilocks.one : .zero
                    for row in microSteps.count..<n { buffer.initializeElement(at: row, to: padding) }
                    initialized = n
                }
            }
        }
    }
}
