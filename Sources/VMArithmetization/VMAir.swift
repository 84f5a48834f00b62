import AIR
import Field
import ISA

/// The AIR of one program's execution (Spec/vm-air.md): the same tables
/// and constraints for every program; only the preprocessed columns
/// (program, activation tables, memory layout, public values) differ, and
/// the verifier computes those itself from the program and the statement.
public struct VMAir: Sendable {
    public let program: Program
    public let air: AIRDefinition
    /// Table order in the proof.
    public enum TableIndex { public static let program = 0, cpu = 1, memory = 2, range = 3, activation = 4 }

    public init(program: Program) throws(VMArithmetizationError) {
        if let tensor = program.code.firstIndex(where: { $0.opcode.isTensor }) {
            throw .unsupported("instruction \(tensor) (\(program.code[tensor].opcode)) is a tensor instruction; "
                               + "this version proves scalar programs only")
        }
        self.program = program
        do {
            var tables = [try FixedTables.program(), try CPUTable.build(), try MemoryTable.build(), try FixedTables.range()]
            if !program.tables.isEmpty { tables.append(try FixedTables.activation()) }
            air = try AIRDefinition(name: "zkvm-vm-v1", tables: tables, publicValueCount: 0)
        } catch {
            throw .unsupported("AIR construction failed: \(error)")
        }
    }

    /// log2 of the program table's height (≥ 8 rows).
    public var programLogHeight: Int { max(3, (program.code.count - 1).bitWidth - (program.code.count - 1).leadingZeroBitCount) }

    /// log2 of the memory boundary table's height.
    public var memoryLogHeight: Int { MemoryTable.logHeight(program) }
    /// log2 of the activation table's height (program tables × 2^16 rows).
    public var activationLogHeight: Int { FixedTables.activationLogHeight(program) }

    /// Every table's preprocessed columns for a statement (the CPU table has none).
    public func preprocessedColumns(statement: VMStatement) -> [[[Goldilocks]]] {
        var columns: [[[Goldilocks]]] = [
            FixedTables.programColumns(program, logHeight: programLogHeight),
            [],
            MemoryTable.fixedColumns(program, statement: statement),
            FixedTables.rangeColumns(),
        ]
        if !program.tables.isEmpty { columns.append(FixedTables.activationColumns(program)) }
        return columns
    }
}
