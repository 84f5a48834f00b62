import ISA
import Trace

/// The deterministic interpreter (Spec/isa.md §3–4).
///
/// Memory and registers hold Int64 values that are always in the value range
/// V between instructions. Every instruction reads first and writes last, so
/// in-place tensor operations are well defined.
public struct Machine {
    public let program: Program
    let tables: [[Int64]]
    let domains: [ClosedRange<Int64>]
    /// Per descriptor: the weights tensors of a weights matmul (Spec/isa.md §4a), else nil.
    let weightsOperands: [DotProduct.WeightsOperands?]

    /// Prepares a program: generates its lookup tables once.
    public init(program: Program) {
        self.program = program
        self.tables = program.tables.map { $0.generate() }
        domains = tables.map { LookupTableSpec.provenDomain(of: $0) }
        weightsOperands = program.descriptors.map { op in
            guard case .matmul(let mm) = op else { return nil }
            return DotProduct.weightsOperands(mm, tensors: program.tensors)
        }
    }

    /// Quantizes real inputs (one flat list per `input` tensor, in declaration
    /// order) at each tensor's scale.
    public func quantizeInputs(_ inputs: [[Double]]) throws(VMError) -> [[Int64]] {
        let declared = program.tensors.filter { $0.kind == .input }
        guard inputs.count == declared.count else {
            throw .badInput("expected \(declared.count) input tensor(s), got \(inputs.count)")
        }
        var out: [[Int64]] = []
        for (t, values) in zip(declared, inputs) {
            guard values.count == t.count else {
                throw .badInput("input '\(t.name)' needs \(t.count) values (shape \(t.shape)), got \(values.count)")
            }
            var raw: [Int64] = []
            raw.reserveCapacity(values.count)
            for (i, v) in values.enumerated() {
                guard let q = FixedPoint.quantize(v, scale: t.scale) else {
                    throw .badInput("input '\(t.name)'[\(i)] = \(v) is not finite or does not fit at scale \(t.scale)")
                }
                raw.append(q)
            }
            out.append(raw)
        }
        return out
    }

    /// Runs to `halt` with raw inputs (one list per input tensor), reporting
    /// every step (and, if it asks, every memory access, lookup and
    /// multiply-accumulate) to `trace` when one is given: a `.zkt` dump
    /// (Spec/trace-format.md) or the prover's `StepLog`.
    public func run(rawInputs: [[Int64]], maxSteps: Int = 1 << 32,
                    trace: (any ExecutionRecorder)? = nil) throws(VMError) -> ExecutionResult {
        var state = try MachineState(program: program, tables: tables, domains: domains, inputs: rawInputs)
        state.weightsOperands = weightsOperands
        state.recorder = trace
        state.recordsDetail = trace?.recordsDetail ?? false
        try state.run(maxSteps: maxSteps)
        let outputs = program.tensors.filter { $0.kind == .output }.map { t in
            ExecutionResult.Output(name: t.name, shape: t.shape, scale: t.scale,
                                   raw: Array(state.memory[Int(t.address)..<Int(t.address) + t.count]))
        }
        return ExecutionResult(outputs: outputs, steps: state.steps, lookups: state.lookups, clampedLookups: state.clampedLookups,
                               multiplyAccumulates: state.macs, memory: state.memory)
    }

    /// Runs with real inputs (quantized first).
    public func run(inputs: [[Double]], maxSteps: Int = 1 << 32,
                    trace: (any ExecutionRecorder)? = nil) throws(VMError) -> ExecutionResult {
        try run(rawInputs: try quantizeInputs(inputs), maxSteps: maxSteps, trace: trace)
    }
}

/// Mutable machine state for one run.
struct MachineState {
    let program: Program
    let tables: [[Int64]]
    /// Each lookup table's proven domain (`LookupTableSpec.provenDomain`).
    let domains: [ClosedRange<Int64>]
    var memory: [Int64]
    /// Per descriptor: the weights tensors of a weights matmul, else nil.
    var weightsOperands: [DotProduct.WeightsOperands?] = []
    var registers = [Int64](repeating: 0, count: Instruction.registerCount)
    var pc = 0
    var steps = 0
    var macs = 0
    var lookups: [Int]
    /// Per table: lookups whose input lay outside the table's declared
    /// domain where the function still changes, so the result is the clamped one.
    var clampedLookups: [Int]
    var recorder: (any ExecutionRecorder)?
    /// Whether the recorder takes memory accesses, lookups and MACs.
    var recordsDetail = false
    /// Elements processed by tensor instructions so far; with `steps` it is
    /// bounded by the step limit, so no single instruction runs unbounded.
    var work = 0
    var stepLimit = Int.max

    init(program: Program, tables: [[Int64]], domains: [ClosedRange<Int64>], inputs: [[Int64]]) throws(VMError) {
        self.program = program
        self.tables = tables
        self.domains = domains
        memory = [Int64](repeating: 0, count: Int(program.memorySize))
        lookups = [Int](repeating: 0, count: program.tables.count)
        clampedLookups = lookups
        var next = 0
        for t in program.tensors {
            let base = Int(t.address)
            switch t.kind {
            case .weights:
                guard let data = t.data else {
                    throw .badInput("the values of \(t.visibility.name) weights '\(t.name)' are not in this program (a verification key cannot run)")
                }
                for (i, v) in data.enumerated() { memory[base + i] = v }
            case .input:
                guard next < inputs.count else { throw .badInput("missing input '\(t.name)'") }
                let values = inputs[next]
                next += 1
                guard values.count == t.count else { throw .badInput("input '\(t.name)' needs \(t.count) values") }
                for (i, v) in values.enumerated() {
                    guard FixedPoint.inRange(v) else { throw .badInput("input '\(t.name)'[\(i)] outside the value range") }
                    memory[base + i] = v
                }
            case .output, .buffer:
                break
            }
        }
        guard next == inputs.count else { throw .badInput("\(inputs.count - next) extra input tensor(s)") }
    }

    // MARK: Recording (no-ops without a recorder)

    func recordStep(_ i: Instruction, _ a: Int64, _ b: Int64, _ c: Int64, result: Int64, next: Int64) throws(VMError) {
        guard let recorder else { return }
        try recorder.record(step: StepRecord(clock: Int64(steps - 1), pc: Int64(pc), opcode: Int64(i.opcode.rawValue),
                                             rd: Int64(i.rd), ra: Int64(i.ra), rb: Int64(i.rb), rc: Int64(i.rc), imm: i.imm,
                                             a: a, b: b, c: c, result: result, nextPC: next))
    }

    /// Counts a lookup, and whether a declared domain changed its result
    /// (the unclamped entry differs: Spec/isa.md §5).
    mutating func countLookup(table t: Int, input: Int64) {
        lookups[t] += 1
        let spec = program.tables[t], x = LookupTableSpec.clampInput(input)
        if !spec.hasFullDomain, x < spec.inputLow || x > spec.inputHigh,
           spec.entry(x) != tables[t][Int(x - LookupTableSpec.domainMin)] {
            clampedLookups[t] += 1
        }
    }

    func recordLookup(table: Int, input: Int64, output: Int64) throws(VMError) {
        guard recordsDetail, let recorder else { return }
        try recorder.recordLookup(clock: Int64(steps - 1), table: Int64(table), input: input, output: output)
    }

    func recordMAC(_ a: Int64, _ b: Int64, _ accumulator: Int128) throws(VMError) {
        guard recordsDetail, let recorder else { return }
        try recorder.recordMAC(clock: Int64(steps - 1), a: a, b: b, accumulator: Int64(truncatingIfNeeded: accumulator))
    }

    /// Reads a memory cell (bounds-checked, recorded).
    @inline(__always)
    func load(_ a: Int64) throws(VMError) -> Int64 {
        _ = try address(a)
        return try loadInBounds(a)
    }

    /// Reads a cell whose address the caller has already checked (tensor
    /// operands, via `checkPattern`); recorded like `load`.
    @inline(__always)
    func loadInBounds(_ a: Int64) throws(VMError) -> Int64 {
        let value = memory[Int(a)]
        if recordsDetail { try recorder?.recordMemory(clock: Int64(steps - 1), address: a, value: value, isWrite: false) }
        return value
    }

    /// Writes a memory cell (bounds-checked, recorded).
    @inline(__always)
    mutating func store(_ a: Int64, _ value: Int64) throws(VMError) {
        _ = try address(a)
        try storeInBounds(a, value)
    }

    /// Writes a cell whose address the caller has already checked; recorded.
    @inline(__always)
    mutating func storeInBounds(_ a: Int64, _ value: Int64) throws(VMError) {
        memory[Int(a)] = value
        if recordsDetail { try recorder?.recordMemory(clock: Int64(steps - 1), address: a, value: value, isWrite: true) }
    }

    @inline(__always)
    func checked(_ value: Int64) throws(VMError) -> Int64 {
        guard FixedPoint.inRange(value) else { throw .valueOutOfRange(pc: pc, value: String(value)) }
        return value
    }

    @inline(__always)
    func address(_ a: Int64) throws(VMError) -> Int {
        guard a >= 0, a < program.memorySize else { throw .addressOutOfRange(pc: pc, address: a) }
        return Int(a)
    }

    mutating func run(maxSteps: Int) throws(VMError) {
        stepLimit = maxSteps
        let code = program.code
        while true {
            guard pc >= 0, pc < code.count else { throw .fellOffEnd(pc: pc) }
            guard steps + work < maxSteps else { throw .stepLimit(pc: pc, steps: maxSteps) }
            let i = code[pc]
            steps += 1
            let a = registers[Int(i.ra)], b = registers[Int(i.rb)], c = registers[Int(i.rc)]
            var next = pc + 1
            var result: Int64 = 0
            defer { registers[0] = 0 }
            switch i.opcode {
            case .halt:
                try recordStep(i, a, b, c, result: 0, next: Int64(pc))
                return
            case .li: registers[Int(i.rd)] = i.imm
            case .mov: registers[Int(i.rd)] = a
            case .add: registers[Int(i.rd)] = try checked(a + b)
            case .addi: registers[Int(i.rd)] = try checked(a + i.imm)
            case .sub: registers[Int(i.rd)] = try checked(a - b)
            case .mul: macs += 1; registers[Int(i.rd)] = try checked(a * b)
            case .mulr:
                macs += 1
                // a, b ∈ V, so a·b fits Int64; |a·b| < 2^62 is the CPU table's bound (isa.md §3).
                guard FixedPoint.productInRange(a * b) else { throw .valueOutOfRange(pc: pc, value: String(a * b)) }
                registers[Int(i.rd)] = try checked(FixedPoint.rescale(a * b, shift: Int(i.imm)))
            case .rescale: registers[Int(i.rd)] = FixedPoint.rescale(a, shift: Int(i.imm))
            case .lt: registers[Int(i.rd)] = a < b ? 1 : 0
            case .eq: registers[Int(i.rd)] = a == b ? 1 : 0
            case .select: registers[Int(i.rd)] = registers[Int(i.rc)] != 0 ? a : b
            case .min: registers[Int(i.rd)] = Swift.min(a, b)
            case .max: registers[Int(i.rd)] = Swift.max(a, b)
            case .lut:
                let t = Int(i.imm)
                countLookup(table: t, input: a)
                registers[Int(i.rd)] = program.tables[t].apply(a, table: tables[t])
                try recordLookup(table: t, input: a, output: registers[Int(i.rd)])
            case .jmp: next = Int(i.imm)
            case .bnz: if registers[Int(i.rc)] != 0 { next = Int(i.imm) }
            case .bz: if registers[Int(i.rc)] == 0 { next = Int(i.imm) }
            case .ld: registers[Int(i.rd)] = try load(a + i.imm)
            case .st: try store(a + i.imm, b); result = b
            case .matmul, .map, .zip, .reduce, .copy:
                let d = Int(i.imm)
                if case .matmul(let mm) = program.descriptors[d], let operands = weightsOperands[d] {
                    try executeWeightsMatmul(mm, operands: operands, dstOffset: registers[Int(i.rd)], aOffset: a)
                } else {
                    try executeTensor(program.descriptors[d], dstOffset: registers[Int(i.rd)], aOffset: a, bOffset: b)
                }
            }
            if i.opcode.layout != .store && i.opcode.layout != .tensor && i.opcode.layout != .target
                && i.opcode.layout != .rcTarget { result = registers[Int(i.rd)] }
            try recordStep(i, a, b, c, result: result, next: Int64(next))
            pc = next
        }
    }
}
