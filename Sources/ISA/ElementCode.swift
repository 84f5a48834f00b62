/// The static schedules of a program's element-wise instructions (Spec/vm-air.md
/// §12): one row per element of a `map` or `zip` of at least one element,
/// proven in the lean `element` table instead of as tensor micro-steps.
///
/// An instruction of n elements with r read slots per element (r = 2 for a
/// zip, 1 for a map) reads element f's A at T + 8 + r·f (and a zip's B one
/// timestamp later) and writes it at T + 8 + r·n + f: every read precedes
/// every write (in-place operation is exact) and the writes land in element
/// order. Its span is (r + 1)·n. The arithmetic is the micro-step's
/// (`MicroCode.generate`, `MicroStep.evaluate`), so the VM and the table
/// agree; an instruction of no element stays a micro-step (it still needs a
/// row to start).
public struct ElementCode: Sendable, ScheduledCode {
    /// One element of a map or zip.
    public struct Step: Sendable, Equatable {
        /// The row's index in the program's schedule (its `elementcode` row).
        public var id = 0
        public var descriptor = 0
        /// First and last element of the instruction.
        public var isStart = false, isLast = false
        /// Offsets from baseA, baseB and baseD (bOffset 0 for a map).
        public var aOffset: Int64 = 0, bOffset: Int64 = 0, dOffset: Int64 = 0
        /// A read at T + 8 + readTime (a zip's B at one more), D written at T + 8 + writeTime.
        public var readTime: Int64 = 0, writeTime: Int64 = 0
        /// The operation: exactly one is set. add, sub, mul, max and min are
        /// zips (they read B); clamp, lookup and rescale are maps.
        public var kind = Kind.add
        /// mul and rescale: 2^s and 2^(s−1) (0 for s = 0); clamp: lo and hi;
        /// lookup: its table's proven domain [lo, hi]; otherwise 0.
        public var parameter1: Int64 = 0, parameter2: Int64 = 0
        /// A lookup's table (its index among the program's tables), else 0.
        public var table: Int64 = 0

        public enum Kind: Int, Sendable, CaseIterable {
            case add, sub, mul, max, min, clamp, lookup, rescale
            /// Whether the operation reads B (a zip).
            public var readsB: Bool { rawValue <= Kind.min.rawValue }
        }

        /// The fields in bus-message order: id, descriptor, isStart, isLast,
        /// aOffset, bOffset, dOffset, readTime, writeTime, one flag per kind
        /// (in `Kind` order), parameter1, parameter2, table.
        public static let fieldCount = 9 + Kind.allCases.count + 3
        public var fields: [Int64] {
            var f: [Int64] = [Int64(id), Int64(descriptor), isStart ? 1 : 0, isLast ? 1 : 0, aOffset, bOffset, dOffset,
                              readTime, writeTime]
            f += Kind.allCases.map { $0 == kind ? 1 : 0 }
            return f + [parameter1, parameter2, table]
        }
    }

    public let steps: [Step]
    /// Per descriptor: its rows and its timestamp span ((r + 1)·n).
    public let schedule: ScheduleIndex

    public var isEmpty: Bool { steps.isEmpty }

    /// Whether the element table proves `op`: a map or zip of at least one element.
    public static func proves(_ op: TensorOperation) -> Bool {
        switch op {
        case .map(let m): m.count > 0
        case .zip(let z): z.count > 0
        default: false
        }
    }

    /// - Parameter domains: each lookup table's proven domain.
    public init(_ program: Program, domains: [ClosedRange<Int64>]) {
        var steps = [Step](), schedule = ScheduleIndex()
        for (d, op) in program.descriptors.enumerated() {
            guard Self.proves(op) else { schedule.skip(first: steps.count); continue }
            var micro = [MicroStep]()
            MicroCode.generate(op, domains: domains) { micro.append($0) }
            let n = Int64(micro.count)
            let slots: Int64
            if case .zip = op { slots = 2 } else { slots = 1 }
            schedule.run(first: steps.count, count: micro.count, span: (slots + 1) * n)
            for (f, m) in micro.enumerated() {
                var s = Step()
                s.id = steps.count
                s.descriptor = d
                s.isStart = f == 0
                s.isLast = f == micro.count - 1
                s.aOffset = m.aOffset
                s.bOffset = m.bOffset
                s.dOffset = m.dOffset
                s.readTime = slots * Int64(f)
                s.writeTime = slots * n + Int64(f)
                s.kind = Self.kind(of: m)
                switch s.kind {
                case .mul, .rescale: (s.parameter1, s.parameter2) = (m.pow, m.half)
                case .clamp, .lookup: (s.parameter1, s.parameter2) = (m.parameter1, m.parameter2)
                default: break
                }
                s.table = m.table
                steps.append(s)
            }
        }
        self.steps = steps
        self.schedule = schedule
    }

    /// The operation of a map or zip micro-step.
    static func kind(of m: MicroStep) -> Step.Kind {
        if m.resultAdd { return .add }
        if m.resultSub { return .sub }
        if m.resultMax { return .max }
        if m.resultMin { return .min }
        if m.resultClamp { return .clamp }
        if m.resultLookup { return .lookup }
        return m.accMac ? .mul : .rescale
    }

    /// The micro-step that defines the arithmetic of `step` (`MicroStep.evaluate`).
    public static func microStep(_ step: Step) -> MicroStep {
        var m = MicroStep()
        m.groupFirst = true
        m.readA = true
        m.readB = step.kind.readsB
        m.write = true
        switch step.kind {
        case .add: m.resultAdd = true
        case .sub: m.resultSub = true
        case .max: m.resultMax = true
        case .min: m.resultMin = true
        case .mul: m.accMac = true; m.singleProduct = true; m.resultRescale = true
        case .rescale: m.accSum = true; m.resultRescale = true
        case .clamp: m.resultClamp = true
        case .lookup: m.resultLookup = true
        }
        switch step.kind {
        case .mul, .rescale: (m.pow, m.half) = (step.parameter1, step.parameter2)
        case .clamp, .lookup: (m.parameter1, m.parameter2) = (step.parameter1, step.parameter2)
        default: break
        }
        m.table = step.table
        return m
    }
}
