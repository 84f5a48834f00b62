import ISA

/// Why a run stopped abnormally. Faults name the pc; the CLI maps the pc to
/// a source line through `Program.sourceLines`.
public enum VMError: Error, Equatable, Sendable {
    /// A result outside the value range V.
    case valueOutOfRange(pc: Int, value: String)
    /// A tensor instruction's partial sum outside A = [−2^61, 2^61).
    case accumulatorOutOfRange(pc: Int, value: String)
    /// A memory access outside 0 ..< memorySize.
    case addressOutOfRange(pc: Int, address: Int64)
    /// The step limit was reached before `halt`.
    case stepLimit(pc: Int, steps: Int)
    /// Execution ran past the last instruction without `halt`.
    case fellOffEnd(pc: Int)
    /// Inputs do not match the program's input tensors.
    case badInput(String)
    /// The trace could not be written.
    case trace(String)

    public var pc: Int? {
        switch self {
        case .valueOutOfRange(let pc, _), .accumulatorOutOfRange(let pc, _), .addressOutOfRange(let pc, _), .stepLimit(let pc, _),
             .fellOffEnd(let pc): pc
        case .badInput, .trace: nil
        }
    }
}

extension VMError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .valueOutOfRange(let pc, let value): return "pc \(pc): value \(value) outside the value range [-2^31, 2^31-1]"
        case .accumulatorOutOfRange(let pc, let value): return "pc \(pc): partial sum \(value) outside the accumulator range [-2^61, 2^61)"
        case .addressOutOfRange(let pc, let address): return "pc \(pc): memory address \(address) out of range"
        case .stepLimit(let pc, let steps): return "pc \(pc): step limit of \(steps) reached"
        case .fellOffEnd(let pc): return "pc \(pc): ran past the end of the code without halt"
        case .badInput(let message): return "bad input: \(message)"
        case .trace(let message): return "trace: \(message)"
        }
    }
}
