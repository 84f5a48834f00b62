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
        /// A read at T + 8 + readTime (a zip's B at one more), D written at T + 8 + writeTime.
        public var readTime: Int64 = 0, writeTime: Int64 = 0
        /// The element's micro-step (`MicroCode.generate`): its offsets,
        /// operation and parameters, and what `MicroStep.evaluate` computes.
        public var micro = MicroStep()

        public enum Kind: Int, Sendable, CaseIterable {
            case add, sub, mul, max, min, clamp, lookup, rescale
            /// Whether the operation reads B (a zip).
            public var readsB: Bool { rawValue <= Kind.min.rawValue }
        }

        /// The operation: add, sub, mul, max and min are zips (they read
        /// B); clamp, lookup and rescale are maps.
        public var kind: Kind {
            if micro.resultAdd { return .add }
            if micro.resultSub { return .sub }
            if micro.resultMax { return .max }
            if micro.resultMin { return .min }
            if micro.resultClamp { return .clamp }
            if micro.resultLookup { return .lookup }
            return micro.accMac ? .mul : .rescale
        }
        /// Offsets from baseA, baseB and baseD (bOffset 0 for a map).
        public var aOffset: Int64 { micro.aOffset }
        public var bOffset: Int64 { micro.bOffset }
        public var dOffset: Int64 { micro.dOffset }
        /// mul and rescale: 2^s and 2^(s−1) (0 for s = 0); clamp: lo and hi;
        /// lookup: its table's proven domain [lo, hi].
        public var parameter1: Int64 { micro.resultRescale ? micro.pow : micro.parameter1 }
        public var parameter2: Int64 { micro.resultRescale ? micro.half : micro.parameter2 }
        /// A lookup's table (its index among the program's tables), else 0.
        public var table: Int64 { micro.table }

        /// The fields in bus-message order: id, descriptor, isStart, isLast,
        /// aOffset, bOffset, dOffset, readTime, writeTime, one flag per kind
        /// (in `Kind` order), parameter1, parameter2, table.
        public static let fieldCount = 9 + Kind.allCases.count + 3
        public var fields: [Int64] {
            let kind = self.kind
            return [Int64(id), Int64(descriptor), isStart ? 1 : 0, isLast ? 1 : 0, aOffset, bOffset, dOffset, readTime, writeTime]
                + Kind.allCases.map { $0 == kind ? 1 : 0 } + [parameter1, parameter2, table]
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
                steps.append(Step(id: steps.count, descriptor: d, isStart: f == 0, isLast: f == micro.count - 1,
                                  readTime: slots * Int64(f), writeTime: slots * n + Int64(f), micro: m))
            }
        }
        self.steps = steps
        self.schedule = schedule
    }
}
