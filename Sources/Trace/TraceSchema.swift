/// The streams of an execution trace and their columns (Spec/trace-format.md §2).
/// Every cell is a signed 64-bit integer.
public enum TraceStream: UInt8, CaseIterable, Sendable {
    /// One row per executed instruction.
    case cpu = 1
    /// One row per memory cell read or written (tensor instructions included).
    case memory = 2
    /// One row per table lookup.
    case lookup = 3
    /// One row per multiply-accumulate of a tensor instruction.
    case mac = 4

    public var name: String { String(describing: self) }

    public var columns: [String] {
        switch self {
        case .cpu: ["clock", "pc", "opcode", "rd", "ra", "rb", "rc", "imm", "a", "b", "c", "result", "next_pc"]
        case .memory: ["clock", "address", "value", "is_write"]
        case .lookup: ["clock", "table", "input", "output"]
        case .mac: ["clock", "a", "b", "accumulator"]
        }
    }
}
