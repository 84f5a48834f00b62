import AIR
import Field
import ISA

/// The memory boundary table (Spec/vm-air.md §5): one row per memory cell
/// and per register. Each row sends the cell's initial value at timestamp 0
/// and receives its final value at its last timestamp, closing the chain of
/// accesses on the memory bus.
///
/// Preprocessed columns (fixed by the program alone, so committed once in
/// the verification key): space, address, real (0 on padding rows), public
/// weight value, private flag (private inputs and weights), public-output
/// flag, committed flag (committed weights), public-input flag.
/// Main columns: witnessed initial value (private inputs and weights,
/// committed weights, public inputs), final value, final timestamp, two
/// 16-bit limbs of (hidden value + 2^31). A committed weight's initial value
/// is also sent to the commitment table, which hashes it into the public
/// model commitment (Spec/zk.md §4). Public inputs and outputs are sent on
/// the public-I/O bus, where the statement's own messages receive them
/// (Spec/vm-air.md §5), so the statement never enters a preprocessed column.
package enum MemoryTable: VMTableComponent {
    enum Fixed {
        static let space = 0, address = 1, real = 2, initial = 3, isPrivate = 4, isOutput = 5, isCommitted = 6, isInput = 7
        static let width = 8
    }
    /// The first part of a public-I/O message: a public input's initial value or a public output's final value.
    public enum IOKind { public static let input = 0, output = 1 }
    package enum Main {
        package static let hiddenInitial = 0, final = 1, finalTimestamp = 2, limbLow = 3, limbHigh = 4
        /// How many `weights` lanes read the cell's initial value (weights
        /// matmuls, Spec/vm-air.md §10): the last column, only in shapes with them.
        package static let imageReads = 5
        package static func width(weightsLanes: Bool) -> Int { weightsLanes ? 6 : 5 }
    }

    /// The table of a program without weights matmuls (`VMTable.definition(blinded:shape:)` picks by shape).
    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        try definition(blinded: blinded, weightsLanes: false)
    }

    /// - Parameter weightsLanes: whether the table answers `weights` lanes
    ///   (the program has weights matmuls).
    static func definition(blinded: Bool = false, weightsLanes: Bool) throws(AIRError) -> Table {
        var t = TableBuilder(name: "memory", mainWidth: Main.width(weightsLanes: weightsLanes), preprocessedWidth: Fixed.width)
        let real = Expression.fixed(Fixed.real)
        let isPrivate = Expression.fixed(Fixed.isPrivate), isCommitted = Expression.fixed(Fixed.isCommitted)
        let hiddenValue = Expression.main(Main.hiddenInitial)
        // A cell is private, committed, a public input or none of them (the key's flags).
        let isHidden = isPrivate + isCommitted
        let isInput = Expression.fixed(Fixed.isInput)
        t.assertZero("witnessed value only in hidden and public-input cells", (1 - isHidden - isInput) * hiddenValue)
        t.assertZero("hidden value in V",
                     isHidden * (hiddenValue + Int(1 << 31) - .main(Main.limbLow) - (1 << 16) * .main(Main.limbHigh)))
        t.send("hidden limb low", bus: Bus.range, [.main(Main.limbLow)], multiplicity: isHidden)
        t.send("hidden limb high", bus: Bus.range, [.main(Main.limbHigh)], multiplicity: isHidden)
        t.send("committed weight", bus: Bus.commitment, [.fixed(Fixed.address), hiddenValue], multiplicity: isCommitted)
        let initial = Expression.fixed(Fixed.initial) + hiddenValue
        t.send("initial value", bus: Bus.memory, [.fixed(Fixed.space), .fixed(Fixed.address), initial, 0], multiplicity: real)
        if weightsLanes {
            t.receive("weights lane", bus: Bus.weightsImage, [.fixed(Fixed.space), .fixed(Fixed.address), initial],
                      multiplicity: .main(Main.imageReads))
            t.assertZero("only real cells answer weights lanes", (1 - real) * .main(Main.imageReads))
        }
        t.receive("final value", bus: Bus.memory,
                  [.fixed(Fixed.space), .fixed(Fixed.address), .main(Main.final), .main(Main.finalTimestamp)],
                  multiplicity: real)
        t.send("public input", bus: Bus.publicIO,
               [.constant(Goldilocks(IOKind.input)), .fixed(Fixed.space), .fixed(Fixed.address), hiddenValue], multiplicity: isInput)
        t.send("public output", bus: Bus.publicIO,
               [.constant(Goldilocks(IOKind.output)), .fixed(Fixed.space), .fixed(Fixed.address), .main(Main.final)],
               multiplicity: .fixed(Fixed.isOutput))
        return try t.build(blinded: blinded)
    }

    /// The memory cells that are rows of the table, in address order: every
    /// cell but those of tensors the weights table holds (`DotCode.heldTensors`,
    /// Spec/vm-air.md §10a). The registers follow them, then padding.
    static func cells(_ program: Program, held: [Bool]) -> [Int] {
        var cells = [Int]()
        cells.reserveCapacity(Int(program.memorySize))
        var next = 0
        for (t, tensor) in program.tensors.enumerated() where held[t] {
            cells += next..<Int(tensor.address)
            next = Int(tensor.address) + tensor.count
        }
        cells += next..<Int(program.memorySize)
        return cells
    }

    /// Hidden cells (private inputs, private and committed weights): each
    /// sends its value's two limbs on the range bus in the last segment
    /// from the memory table, or a held weight one message from its
    /// weights lane (§10a): two per cell bounds both.
    static func hiddenCellCount(_ program: Program) -> Int {
        program.tensors.reduce(0) { total, tensor in
            switch (tensor.kind, tensor.visibility) {
            case (.weights, .private), (.weights, .committed), (.input, .private): total + tensor.count
            default: total
            }
        }
    }

    /// The last segment's preprocessed columns; the others' memory tables
    /// are empty rows at the smallest height.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        guard isLastSegment else {
            return [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: 1 << air.minLogHeight), count: Fixed.width)
        }
        return fixedColumns(air.program, cells: air.memoryCells, logHeight: air.memoryLogHeight(isLastSegment: true))
    }

    /// The preprocessed columns of a program whose memory rows are `cells`.
    static func fixedColumns(_ program: Program, cells: [Int], logHeight: Int) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var c = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Fixed.width)
        // Each cell's flag column and value, by address.
        var kind = [(column: Int, value: Int64)?](repeating: nil, count: Int(program.memorySize))
        for tensor in program.tensors {
            let base = Int(tensor.address)
            let column: Int? = switch (tensor.kind, tensor.visibility) {
            case (.weights, .public): Fixed.initial
            case (.weights, .private), (.input, .private): Fixed.isPrivate
            case (.weights, .committed): Fixed.isCommitted
            case (.input, .public): Fixed.isInput
            case (.output, .public): Fixed.isOutput
            default: nil
            }
            guard let column else { continue }
            for i in 0..<tensor.count { kind[base + i] = (column, column == Fixed.initial ? tensor.data?[i] ?? 0 : 1) }
        }
        for (row, address) in cells.enumerated() {
            c[Fixed.real][row] = .one
            c[Fixed.address][row] = Goldilocks(address)
            if let (column, value) = kind[address] { c[column][row] = Goldilocks(value) }
        }
        for r in 0..<Instruction.registerCount {
            c[Fixed.real][cells.count + r] = .one
            c[Fixed.space][cells.count + r] = Goldilocks(AddressSpace.register)
            c[Fixed.address][cells.count + r] = Goldilocks(r)
        }
        return c
    }
}

extension MemoryTable {
    /// The statement's messages on the public-I/O bus (multiplicity −1,
    /// received against the memory table's sends): (input, memory space,
    /// address, value) for every public input cell and (output, memory
    /// space, address, value) for every public output cell, in the order of `layout`.
    static func boundaryMessages(layout: PublicLayout, statement: VMStatement) -> [BoundaryMessage] {
        var messages = [BoundaryMessage]()
        for (kind, tensors, values) in [(IOKind.input, layout.inputs, statement.publicInputs),
                                        (IOKind.output, layout.outputs, statement.publicOutputs)] {
            for (tensor, data) in zip(tensors, values) {
                for (i, v) in data.enumerated() {
                    messages.append(BoundaryMessage(bus: Bus.publicIO, multiplicity: -.one,
                                                    message: [Goldilocks(kind), Goldilocks(AddressSpace.memory), Goldilocks(Int(tensor.address) + i),
                                                              Goldilocks(v)]))
                }
            }
        }
        return messages
    }
}
