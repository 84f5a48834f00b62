import Field
import ISA
import VMArithmetization

/// The memory table's main columns (Spec/vm-air.md §4–5), one row per
/// cell of `VMAir.memoryCells` and per register. The last segment's hold
/// the whole run's boundary: each hidden cell's initial value with its two
/// range limbs (value + 2^31, counted in `range`), each
/// public input's initial value, and every cell's and register's final
/// value and last timestamp, and how many weights lanes read each cell's
/// initial value. The other segments' are empty rows.
enum MemoryWitness {
    typealias Main = MemoryTable.Main

    /// - Parameters:
    ///   - start: the run's initial state (its initial memory and which cells are hidden or public inputs).
    ///   - memory, lastMemoryTs, registers, lastRegisterTs: the state after the run.
    static func columns(logHeight: Int, isLastSegment: Bool, cells: [Int], start: WitnessBuilder.ReplayState, memory: [Int64],
                        lastMemoryTs: [Int64], registers: [Int64], lastRegisterTs: [Int64], weightsLanes: Bool, imageReads: [Int]?,
                        range: inout [Int]) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var c = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Main.width(weightsLanes: weightsLanes))
        guard isLastSegment else { return c }
        for (row, address) in cells.enumerated() {
            if start.isPrivateInput[address] || start.isCommitted[address] {
                let v = start.initialMemory[address]
                let shifted = Int(v + (1 << 31))   // in [0, 2^32): v ∈ V
                c[Main.hiddenInitial][row] = Goldilocks(v)
                c[Main.limbLow][row] = Goldilocks(shifted & 0xFFFF)
                c[Main.limbHigh][row] = Goldilocks(shifted >> 16)
                range[shifted & 0xFFFF] += 1
                range[shifted >> 16] += 1
            } else if start.isPublicInput[address] {
                c[Main.hiddenInitial][row] = Goldilocks(start.initialMemory[address])
            }
            if let imageReads { c[Main.imageReads][row] = Goldilocks(imageReads[address]) }
            c[Main.final][row] = Goldilocks(memory[address])
            c[Main.finalTimestamp][row] = Goldilocks(lastMemoryTs[address])
        }
        for r in 0..<Instruction.registerCount {
            c[Main.final][cells.count + r] = Goldilocks(registers[r])
            c[Main.finalTimestamp][cells.count + r] = Goldilocks(lastRegisterTs[r])
        }
        return c
    }
}
