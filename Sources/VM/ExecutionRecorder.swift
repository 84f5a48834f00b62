import Trace

/// One executed instruction as the CPU sees it (the `cpu` stream of
/// Spec/trace-format.md §3): where it ran, what it was, the register values
/// it read and what it produced.
public struct StepRecord: Sendable, Equatable {
    /// The step's index in the run (0-based).
    public var clock: Int64
    public var pc: Int64
    /// The opcode's raw byte (`Opcode.rawValue`).
    public var opcode: Int64
    public var rd: Int64, ra: Int64, rb: Int64, rc: Int64
    public var imm: Int64
    /// The values of registers ra, rb and rc before the step.
    public var a: Int64, b: Int64, c: Int64
    /// The value written to rd (the stored value for `st`; 0 for
    /// instructions that write nothing, and for tensor instructions).
    public var result: Int64
    /// The pc of the next step (the step's own pc for `halt`).
    public var nextPC: Int64
}

/// Receives a run as it happens. Steps always arrive, in order; memory
/// accesses, lookups and multiply-accumulates only when `recordsDetail`
/// (the machine skips building them otherwise).
public protocol ExecutionRecorder: AnyObject {
    /// Whether the machine reports memory accesses, lookups and MACs too.
    var recordsDetail: Bool { get }
    func record(step: StepRecord) throws(VMError)
    func recordMemory(clock: Int64, address: Int64, value: Int64, isWrite: Bool) throws(VMError)
    func recordLookup(clock: Int64, table: Int64, input: Int64, output: Int64) throws(VMError)
    /// `accumulator` is the running sum's low 64 bits.
    func recordMAC(clock: Int64, a: Int64, b: Int64, accumulator: Int64) throws(VMError)
}

/// A `.zkt` dump records everything (Spec/trace-format.md).
extension TraceWriter: ExecutionRecorder {
    public var recordsDetail: Bool { true }

    public func record(step s: StepRecord) throws(VMError) {
        do {
            try recordStep(clock: s.clock, pc: s.pc, opcode: s.opcode, rd: s.rd, ra: s.ra, rb: s.rb, rc: s.rc, imm: s.imm,
                           a: s.a, b: s.b, c: s.c, result: s.result, nextPC: s.nextPC)
        } catch { throw .trace(error.description) }
    }

    public func recordMemory(clock: Int64, address: Int64, value: Int64, isWrite: Bool) throws(VMError) {
        do { try record(.memory, clock, address, value, isWrite ? 1 : 0) } catch { throw .trace(error.description) }
    }

    public func recordLookup(clock: Int64, table: Int64, input: Int64, output: Int64) throws(VMError) {
        do { try record(.lookup, clock, table, input, output) } catch { throw .trace(error.description) }
    }

    public func recordMAC(clock: Int64, a: Int64, b: Int64, accumulator: Int64) throws(VMError) {
        do { try record(.mac, clock, a, b, accumulator) } catch { throw .trace(error.description) }
    }
}

/// The steps of a run, in memory: what the prover's witness is built from.
/// Optionally forwards everything to another recorder (a `.zkt` dump
/// written while proving), so one run serves both.
public final class StepLog: ExecutionRecorder {
    public private(set) var steps: [StepRecord] = []
    let forward: (any ExecutionRecorder)?

    public init(forwardingTo forward: (any ExecutionRecorder)? = nil) { self.forward = forward }

    public var recordsDetail: Bool { forward?.recordsDetail ?? false }

    public func record(step: StepRecord) throws(VMError) {
        steps.append(step)
        try forward?.record(step: step)
    }

    public func recordMemory(clock: Int64, address: Int64, value: Int64, isWrite: Bool) throws(VMError) {
        try forward?.recordMemory(clock: clock, address: address, value: value, isWrite: isWrite)
    }

    public func recordLookup(clock: Int64, table: Int64, input: Int64, output: Int64) throws(VMError) {
        try forward?.recordLookup(clock: clock, table: table, input: input, output: output)
    }

    public func recordMAC(clock: Int64, a: Int64, b: Int64, accumulator: Int64) throws(VMError) {
        try forward?.recordMAC(clock: clock, a: a, b: b, accumulator: accumulator)
    }
}
