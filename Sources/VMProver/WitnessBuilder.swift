import AIR
import AlgebraicHashing
import Field
import ISA
import VM
import VMArithmetization

/// Turns one execution's trace into the main columns of every VM table
/// (Spec/vm-air.md §6). It replays the steps the VM reported while running
/// (in memory, no file between them), so what is proven is exactly what
/// `zkvm exec` executes.
public struct WitnessBuilder {
    typealias C = CPUColumns
    let vmAir: VMAir
    var program: Program { vmAir.program }

    public init(vmAir: VMAir) { self.vmAir = vmAir }

    /// The witness and statement of a run with the given raw inputs.
    public struct Witness {
        /// The run's segments in execution order (Spec/vm-air.md §8).
        public var segments: [Segment]
        public var statement: VMStatement
        /// The program's public tensors (bound into every segment's statement).
        public var layout: PublicLayout
        public var steps: Int
    }

    /// One segment: every table's main columns and where the segment starts and ends.
    public struct Segment {
        public var main: [[[Goldilocks]]]
        public var boundary: SegmentBoundary
        public var steps: Int
    }


    /// One run of the program: its steps, recorded in memory, and its result.
    public struct Execution {
        public var rawInputs: [[Int64]]
        public var steps: [StepRecord]
        public var result: ExecutionResult
    }

    /// Runs `program`, recording its steps in memory and, when `dump` is
    /// given, everything into that recorder too (a `.zkt` writer).
    public static func execute(_ program: Program, rawInputs: [[Int64]], maxSteps: Int,
                               dump: (any ExecutionRecorder)? = nil) throws(VMError) -> Execution {
        let log = StepLog(forwardingTo: dump)
        let result = try Machine(program: program).run(rawInputs: rawInputs, maxSteps: maxSteps, trace: log)
        return Execution(rawInputs: rawInputs, steps: log.steps, result: result)
    }

    /// Runs the program and builds the witness of the run (`execute`, then
    /// `witness(of:)`).
    public func run(rawInputs: [[Int64]], maxSteps: Int, segmentRows: SegmentSize = .standard,
                    weightSalt: [Goldilocks]? = nil) throws -> Witness {
        try witness(of: try Self.execute(program, rawInputs: rawInputs, maxSteps: maxSteps), segmentRows: segmentRows,
                    weightSalt: weightSalt)
    }

    /// A run split into segments, each built on demand from the state it
    /// starts in, so a prover holds one segment's columns at a time
    /// (Spec/vm-air.md §8): memory grows with the segment, not the run.
    public struct Plan {
        public let statement: VMStatement
        /// The program's public tensors (bound into every segment's statement).
        public let layout: PublicLayout
        public let steps: Int
        /// Where each segment starts and ends (its public values).
        public let boundaries: [SegmentBoundary]
        /// log2 of every table's height, per segment.
        public let logHeights: [[Int]]
        public var count: Int { ranges.count }
        let run: Execution
        let ranges: [Range<Int>]
        /// The replayed machine state at each segment's start.
        let checkpoints: [ReplayState]
        let weightSalt: [Goldilocks]?
        /// Per descriptor: how many times the whole run executes it (the
        /// weights and schedule tables' multiplicities, in the last segment).
        let executions: [Int]
        /// A one-segment run keeps the segment the plan built.
        let only: Segment?
    }

    /// Splits a run into segments of at most `segmentRows` CPU rows and
    /// tensor rows (split between instructions; a single tensor
    /// instruction longer than that gets a segment of its own) and replays
    /// it once, keeping each segment's starting state and boundary.
    ///
    /// - Parameter weightSalt: the 4-element salt of the weight commitment
    ///   (`WeightSponge`); required when the program has committed weights.
    public func plan(of run: Execution, segmentRows: SegmentSize = .standard,
                     weightSalt: [Goldilocks]? = nil) throws -> Plan {
        var commitment: WeightCommitment?
        if vmAir.hasCommittedWeights {
            guard let weightSalt, weightSalt.count == WeightSponge.saltCount else {
                throw VMArithmetizationError.witness("committed weights need a 4-element commitment salt")
            }
            guard program.hasAllWeights else { throw VMArithmetizationError.witness("the committed weights' values are not in this program") }
            commitment = CommitmentTable.commitment(program, salt: weightSalt, units: vmAir.commitmentUnits)
        }
        let publicInputs = zip(program.tensors.filter { $0.kind == .input }, run.rawInputs)
            .filter { $0.0.visibility == .public }.map(\.1)
        let publicOutputs = zip(program.tensors.filter { $0.kind == .output }, run.result.outputs)
            .filter { $0.0.visibility == .public }.map(\.1.raw)
        let statement = VMStatement(programDigest: program.digest, weightCommitment: commitment,
                                    publicInputs: publicInputs, publicOutputs: publicOutputs)
        let ranges = split(run.steps, segmentRows: segmentRows)
        let executions = self.executions(run.steps)
        var state = initialState(rawInputs: run.rawInputs)
        var checkpoints = [ReplayState](), boundaries = [SegmentBoundary](), heights = [[Int]](), only: Segment?
        for (k, range) in ranges.enumerated() {
            checkpoints.append(state)
            let isLast = k == ranges.count - 1
            let segment = withCommitmentColumns(try buildSegment(run.steps[range], state: &state, isLast: isLast,
                                                                 executions: executions),
                                                isLast: isLast, weightSalt: weightSalt)
            boundaries.append(segment.boundary)
            heights.append(segment.main.map { ($0.first?.count ?? 1 << vmAir.minLogHeight).trailingZeroBitCount })
            if ranges.count == 1 { only = segment }
        }
        return Plan(statement: statement, layout: PublicLayout(program: program), steps: run.steps.count, boundaries: boundaries,
                    logHeights: heights, run: run, ranges: ranges, checkpoints: checkpoints, weightSalt: weightSalt,
                    executions: executions, only: only)
    }

    /// Segment `k` of a plan: every table's main columns.
    public func segment(_ k: Int, of plan: Plan) throws -> Segment {
        precondition(plan.ranges.indices.contains(k), "segment \(k) of \(plan.count)")
        if let only = plan.only { return only }
        var state = plan.checkpoints[k]
        let isLast = k == plan.count - 1
        return withCommitmentColumns(try buildSegment(plan.run.steps[plan.ranges[k]], state: &state, isLast: isLast,
                                                      executions: plan.executions),
                                     isLast: isLast, weightSalt: plan.weightSalt)
    }

    /// The commitment table's columns are the whole run's, in the last segment.
    func withCommitmentColumns(_ segment: Segment, isLast: Bool, weightSalt: [Goldilocks]?) -> Segment {
        guard let table = vmAir.commitmentIndex else { return segment }
        var segment = segment
        segment.main.insert(CommitmentWitness.columns(program, units: vmAir.commitmentUnits, salt: isLast ? weightSalt : nil,
                                                      logHeight: vmAir.commitmentLogHeight(isLastSegment: isLast)),
                            at: table)
        return segment
    }

    /// The witness of a run with every segment built (`plan`, then each `segment`).
    public func witness(of run: Execution, segmentRows: SegmentSize = .standard,
                        weightSalt: [Goldilocks]? = nil) throws -> Witness {
        let plan = try plan(of: run, segmentRows: segmentRows, weightSalt: weightSalt)
        return Witness(segments: try (0..<plan.count).map { try segment($0, of: plan) }, statement: plan.statement,
                       layout: plan.layout, steps: plan.steps)
    }

    /// Segment ranges of the steps: consecutive instructions while both the
    /// CPU rows and the tensor micro-steps stay within `segmentRows`.
    func split(_ steps: [StepRecord], segmentRows: SegmentSize) -> [Range<Int>] {
        var ranges = [Range<Int>](), start = 0, tensorRows = 0
        for (i, step) in steps.enumerated() {
            let op = Opcode(rawValue: UInt8(truncatingIfNeeded: step.opcode))
            let d = Int(step.imm)
            let micro = op?.isTensor == true
                ? vmAir.stepCounts[d] + vmAir.dotCode.stepCounts[d] + vmAir.copyCode.stepCounts[d] + vmAir.elementCode.stepCounts[d] : 0
            if i > start, i - start + 1 > segmentRows.cpuRows || tensorRows + micro > segmentRows.tensorRows {
                ranges.append(start..<i)
                start = i
                tensorRows = 0
            }
            tensorRows += micro
        }
        ranges.append(start..<steps.count)
        return ranges
    }

    /// Per descriptor: how many times `steps` execute it.
    func executions(_ steps: [StepRecord]) -> [Int] {
        var counts = [Int](repeating: 0, count: program.descriptors.count)
        for step in steps where Opcode(rawValue: UInt8(truncatingIfNeeded: step.opcode))?.isTensor == true { counts[Int(step.imm)] += 1 }
        return counts
    }

    /// Machine state carried from one segment to the next.
    struct ReplayState {
        var memory: [Int64]
        var registers = [Int64](repeating: 0, count: Instruction.registerCount)
        var lastMemoryTs: [Int64]
        var lastRegisterTs = [Int64](repeating: 0, count: Instruction.registerCount)
        var timeBase: Int64 = 0
        let initialMemory: [Int64]
        let isPrivateInput: [Bool]
        let isCommitted: [Bool]
        /// Public input cells: their initial value is witnessed and sent on the public-I/O bus.
        let isPublicInput: [Bool]
        /// Every lookup table of the program, generated once.
        let lookupTables: [[Int64]]
    }

    /// The state a run starts in: initial memory as the VM lays it out.
    func initialState(rawInputs: [[Int64]]) -> ReplayState {
        // Initial memory, as the VM lays it out.
        var memory = [Int64](repeating: 0, count: Int(program.memorySize))
        var isPrivateInput = [Bool](repeating: false, count: memory.count)   // private inputs and weights
        var isCommitted = [Bool](repeating: false, count: memory.count)
        var isPublicInput = [Bool](repeating: false, count: memory.count)
        var inputIndex = 0
        for t in program.tensors {
            let base = Int(t.address)
            if t.kind == .weights {
                for (i, v) in (t.data ?? []).enumerated() {
                    memory[base + i] = v
                    if t.visibility == .private { isPrivateInput[base + i] = true }
                    if t.visibility == .committed { isCommitted[base + i] = true }
                }
            }
            if t.kind == .input {
                for (i, v) in rawInputs[inputIndex].enumerated() {
                    memory[base + i] = v
                    if t.visibility == .private { isPrivateInput[base + i] = true }
                    if t.visibility == .public { isPublicInput[base + i] = true }
                }
                inputIndex += 1
            }
        }
        return ReplayState(memory: memory, lastMemoryTs: [Int64](repeating: 0, count: memory.count),
                           initialMemory: memory, isPrivateInput: isPrivateInput, isCommitted: isCommitted,
                           isPublicInput: isPublicInput, lookupTables: vmAir.lookupTables)
    }

    /// Replays one segment's steps on the carried state and fills its tables.
    func buildSegment(_ records: ArraySlice<StepRecord>, state: inout ReplayState, isLast: Bool,
                      executions: [Int]) throws -> Segment {
        let start = (pc: records.first!.pc, ts: state.timeBase)
        var counts = SegmentCounts(programLogHeight: vmAir.programLogHeight,
                                   activationRows: program.tables.isEmpty ? 0 : 1 << vmAir.activationLogHeight)

        // The carried state, moved in (no copy) and moved back at the end.
        var memory = [Int64](), registers = [Int64](), lastMemoryTs = [Int64](), lastRegisterTs = [Int64]()
        swap(&memory, &state.memory); swap(&registers, &state.registers)
        swap(&lastMemoryTs, &state.lastMemoryTs); swap(&lastRegisterTs, &state.lastRegisterTs)
        defer {
            swap(&memory, &state.memory); swap(&registers, &state.registers)
            swap(&lastMemoryTs, &state.lastMemoryTs); swap(&lastRegisterTs, &state.lastRegisterTs)
        }
        var timeBase = state.timeBase
        var tensor = TensorWitness(vmAir: vmAir, tables: state.lookupTables)
        var dot = DotWitness(code: vmAir.dotCode)
        var copy = CopyWitness(code: vmAir.copyCode)
        var element = ElementWitness(vmAir: vmAir, tables: state.lookupTables)
        let steps = records.count
        var cpu = CPUWitness(vmAir: vmAir, rows: steps)
        for (row, record) in records.enumerated() {
            let ts0 = timeBase
            try cpu.fill(row: row, record: record, time: ts0, registers: &registers, lastRegisterTs: &lastRegisterTs,
                         memory: &memory, lastMemoryTs: &lastMemoryTs, counts: &counts)
            let isTensor = Opcode(rawValue: UInt8(record.opcode))?.isTensor ?? false
            timeBase += Int64(CPUColumns.timestampsPerRow) + (isTensor ? vmAir.spans[Int(record.imm)] : 0)
            if isTensor, vmAir.dotCode.operands[Int(record.imm)] != nil {
                try dot.execute(descriptor: Int(record.imm), time: ts0, baseD: registers[Int(record.rd)], baseA: record.a,
                                image: state.initialMemory, memory: &memory, lastTs: &lastMemoryTs, range: &counts.range)
            } else if isTensor, vmAir.copyCode.runs[Int(record.imm)] {
                try copy.execute(descriptor: Int(record.imm), time: ts0, baseD: registers[Int(record.rd)], baseA: record.a,
                                 memory: &memory, lastTs: &lastMemoryTs, range: &counts.range)
            } else if isTensor, vmAir.elementCode.runs[Int(record.imm)] {
                try element.execute(descriptor: Int(record.imm), time: ts0, baseD: registers[Int(record.rd)], baseA: record.a,
                                    baseB: record.b, memory: &memory, lastTs: &lastMemoryTs, range: &counts.range,
                                    activation: &counts.activations)
            } else if isTensor {
                try tensor.execute(descriptor: Int(record.imm), time: ts0, baseD: registers[Int(record.rd)], baseA: record.a,
                                   baseB: record.b, memory: &memory, lastTs: &lastMemoryTs, range: &counts.range)
            }
        }

        state.timeBase = timeBase
        let end = (pc: records.last!.nextPC, ts: timeBase)

        let boundary = MemoryWitness.columns(logHeight: vmAir.memoryLogHeight(isLastSegment: isLast), isLastSegment: isLast,
                                             cells: vmAir.memoryCells, start: state, memory: memory, lastMemoryTs: lastMemoryTs, registers: registers,
                                             lastRegisterTs: lastRegisterTs, weightsLanes: vmAir.shape.hasWeightsMatmuls,
                                             imageReads: isLast && !vmAir.dotCode.isEmpty
                                                ? WeightsWitness.imageReads(code: vmAir.dotCode, memorySize: memory.count) : nil,
                                             range: &counts.range)

        // The weights table before the range table: its held lanes send range limbs.
        var weightsColumns = [[Goldilocks]](), publicWeightsColumn = [Goldilocks]()
        if vmAir.weightsIndex != nil {
            let logHeight = vmAir.weightsLogHeight(isLastSegment: isLast)
            let publicLogHeight = vmAir.publicWeightsLogHeight(isLastSegment: isLast)
            if isLast {
                let uses = WeightsWitness.uses(code: vmAir.dotCode, executions: executions)
                weightsColumns = try WeightsWitness.columns(code: vmAir.dotCode, image: state.initialMemory, uses: uses,
                                                            logHeight: logHeight, range: &counts.range)
                publicWeightsColumn = WeightsWitness.publicColumn(code: vmAir.dotCode, uses: uses, logHeight: publicLogHeight)
            } else {
                weightsColumns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: 1 << logHeight),
                                                count: WeightsTable.Main.width)
                publicWeightsColumn = [Goldilocks](repeating: .zero, count: 1 << publicLogHeight)
            }
        }
        let boundaryValues = SegmentBoundary(pcStart: UInt64(start.pc), tsStart: UInt64(start.ts),
                                             pcEnd: UInt64(end.pc), tsEnd: UInt64(end.ts))
        // The heights of the program's tables whose rows send range messages.
        let senders: [VMTable: Int] = [
            .cpu: 1 << vmAir.logHeight(rows: steps), .tensor: 1 << vmAir.logHeight(rows: tensor.rows.count),
            .copy: 1 << vmAir.logHeight(rows: copy.rows.count), .element: 1 << vmAir.logHeight(rows: element.rows.count),
            .dot: 1 << vmAir.logHeight(rows: dot.dotRowCount), .dotoutput: 1 << vmAir.logHeight(rows: dot.outputRowCount),
        ].filter { vmAir.shape.tables.contains($0.key) }
        let ranges = try RangeWitness.columns(counts: counts.range,
                                              logHeight: vmAir.rangeLogHeight(boundary: boundaryValues, isLastSegment: isLast,
                                                                              senderRows: senders),
                                              fullLogHeight: vmAir.rangeFullLogHeight(boundary: boundaryValues, isLastSegment: isLast,
                                                                                      senderRows: senders),
                                              byteLogHeight: vmAir.byteLogHeight)
        var main = [[[Goldilocks]]]()
        for table in vmAir.shape.tables {
            switch table {
            case .program: main.append([counts.fetches.map { Goldilocks($0) }])
            case .cpu: main.append(cpu.columns)
            case .memory: main.append(boundary)
            case .range: main.append(ranges.range)
            case .byte: main.append(ranges.byte)
            case .rangeFull: main.append(ranges.full)
            case .activation: main.append([counts.activations.map { Goldilocks($0) }])
            case .microcode, .copycode, .elementcode, .dotcode:
                main.append(ScheduleMultiplicities.columns(table, vmAir: vmAir, executions: executions, isLastSegment: isLast))
            case .tensor: main.append(tensor.columns())
            case .copy: main.append(copy.rows.scheduledColumns(logHeight: vmAir.logHeight(rows: copy.rows.count), isLast: CopyColumns.isLast))
            case .element:
                main.append(element.rows.scheduledColumns(logHeight: vmAir.logHeight(rows: element.rows.count), isLast: ElementColumns.isLast))
            case .dot: main.append(dot.dotColumns(logHeight: vmAir.logHeight(rows: dot.dotRowCount)))
            case .dotoutput: main.append(dot.outputColumns(logHeight: vmAir.logHeight(rows: dot.outputRowCount)))
            case .weights: main.append(weightsColumns)
            case .publicweights: main.append([publicWeightsColumn])
            case .commitment: break   // filled for the whole run by `witness(of:)`
            }
        }
        return Segment(main: main, boundary: boundaryValues, steps: steps)
    }
}
