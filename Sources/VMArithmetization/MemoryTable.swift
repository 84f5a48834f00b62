import AIR
import Field
import ISA

/// The memory boundary table (Spec/vm-air.md §5): one row per memory cell
/// and per register. Each row sends the cell's initial value at timestamp 0
/// and receives its final value at its last timestamp, closing the chain of
/// accesses on the memory bus.
///
/// Preprocessed columns (computed by the verifier from the program and the
/// statement): space, address, real (0 on padding rows), public initial
/// value, private flag (private inputs and weights), public-output flag,
/// claimed output value, committed flag (committed weights).
/// Main columns: hidden initial value (private inputs and weights, and
/// committed weights), final value, final timestamp, two 16-bit limbs of
/// (hidden value + 2^31). A committed weight's initial value is also sent
/// to the commitment table, which hashes it into the public model
/// commitment (Spec/zk.md §4).
enum MemoryTable {
    enum Fixed {
        static let space = 0, address = 1, real = 2, initial = 3, isPrivate = 4, isOutput = 5, output = 6, isCommitted = 7
        static let width = 8
    }
    enum Main { static let hiddenInitial = 0, final = 1, finalTimestamp = 2, limbLow = 3, limbHigh = 4, width = 5 }

    static func build() throws(AIRError) -> Table {
        var t = TableBuilder(name: "memory", mainWidth: Main.width, preprocessedWidth: Fixed.width)
        let real = Expression.fixed(Fixed.real)
        let isPrivate = Expression.fixed(Fixed.isPrivate), isCommitted = Expression.fixed(Fixed.isCommitted)
        let hiddenValue = Expression.main(Main.hiddenInitial)
        // A cell is private, committed or neither (the verifier's flags).
        let isHidden = isPrivate + isCommitted
        t.assertZero("hidden value only in hidden cells", (1 - isHidden) * hiddenValue)
        t.assertZero("hidden value in V",
                     isHidden * (hiddenValue + Int(1 << 31) - .main(Main.limbLow) - (1 << 16) * .main(Main.limbHigh)))
        t.send("hidden limb low", bus: Bus.range, [.main(Main.limbLow)], multiplicity: isHidden)
        t.send("hidden limb high", bus: Bus.range, [.main(Main.limbHigh)], multiplicity: isHidden)
        t.send("committed weight", bus: Bus.commitment, [.fixed(Fixed.address), hiddenValue], multiplicity: isCommitted)
        let initial = Expression.fixed(Fixed.initial) + hiddenValue
        t.send("initial value", bus: Bus.memory, [.fixed(Fixed.space), .fixed(Fixed.address), initial, 0], multiplicity: real)
        t.receive("final value", bus: Bus.memory,
                  [.fixed(Fixed.space), .fixed(Fixed.address), .main(Main.final), .main(Main.finalTimestamp)],
                  multiplicity: real)
        t.assertZero("public output", .fixed(Fixed.isOutput) * (.main(Main.final) - .fixed(Fixed.output)))
        return try t.build()
    }

    /// Rows: memory cells 0 ..< memorySize, then registers 0 ..< 16, then padding.
    static func logHeight(_ program: Program) -> Int {
        let rows = Int(program.memorySize) + Instruction.registerCount
        return max(3, (rows - 1).bitWidth - (rows - 1).leadingZeroBitCount)
    }

    /// The preprocessed columns for a statement.
    static func fixedColumns(_ program: Program, statement: VMStatement, logHeight: Int) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var c = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Fixed.width)
        let memory = Int(program.memorySize)
        for row in 0..<(memory + Instruction.registerCount) {
            c[Fixed.real][row] = .one
            if row < memory {
                c[Fixed.address][row] = Goldilocks(row)
            } else {
                c[Fixed.space][row] = Goldilocks(AddressSpace.register)
                c[Fixed.address][row] = Goldilocks(row - memory)
            }
        }
        var publicInput = 0, publicOutput = 0
        for tensor in program.tensors {
            let base = Int(tensor.address)
            switch (tensor.kind, tensor.visibility) {
            case (.weights, .public):
                for (i, v) in (tensor.data ?? []).enumerated() { c[Fixed.initial][base + i] = Goldilocks(v) }
            case (.weights, .private):
                for i in 0..<tensor.count { c[Fixed.isPrivate][base + i] = .one }
            case (.weights, .committed):
                for i in 0..<tensor.count { c[Fixed.isCommitted][base + i] = .one }
            case (.input, .public):
                for i in 0..<tensor.count { c[Fixed.initial][base + i] = Goldilocks(statement.publicInputs[publicInput][i]) }
                publicInput += 1
            case (.input, .private):
                for i in 0..<tensor.count { c[Fixed.isPrivate][base + i] = .one }
            case (.output, .public):
                for i in 0..<tensor.count {
                    c[Fixed.isOutput][base + i] = .one
                    c[Fixed.output][base + i] = Goldilocks(statement.publicOutputs[publicOutput][i])
                }
                publicOutput += 1
            default:
                break
            }
        }
        return c
    }
}
