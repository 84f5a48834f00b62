/// The static schedules of a program's copies (Spec/vm-air.md §11): one
/// row per element moved, proven in the lean `copy` table instead of as
/// tensor micro-steps. A copy of n ≥ 1 elements reads element f at
/// T + 8 + f and writes it at T + 8 + n + f, so every read precedes every
/// write (in-place copies are well defined) and writes land in the ISA's
/// order. A copy of no element stays a micro-step (its instruction still
/// needs a row to start).
public struct CopyCode: Sendable, ScheduledCode {
    /// One element of a copy.
    public struct Step: Sendable, Equatable {
        /// The row's index in the program's schedule (its `copycode` row).
        public var id = 0
        public var descriptor = 0
        /// First and last element of the instruction.
        public var isStart = false, isLast = false
        /// Offsets from baseA and baseD.
        public var srcOffset: Int64 = 0, dstOffset: Int64 = 0
        /// Read at T + 8 + readTime, write at T + 8 + writeTime.
        public var readTime: Int64 = 0, writeTime: Int64 = 0

        /// The fields in bus-message order.
        public static let fieldCount = 8
        public var fields: [Int64] {
            [Int64(id), Int64(descriptor), isStart ? 1 : 0, isLast ? 1 : 0, srcOffset, dstOffset, readTime, writeTime]
        }
    }

    public let steps: [Step]
    /// Per descriptor: its rows and its timestamp span (2 per element).
    public let schedule: ScheduleIndex

    public var isEmpty: Bool { steps.isEmpty }

    /// Whether the copy table proves `copy`: it moves at least one element.
    public static func proves(_ copy: TensorOperation.Copy) -> Bool { copy.shape.allSatisfy { $0 > 0 } }

    public init(_ program: Program) {
        var steps = [Step](), schedule = ScheduleIndex()
        for (d, op) in program.descriptors.enumerated() {
            guard case .copy(let copy) = op, Self.proves(copy) else { schedule.skip(first: steps.count); continue }
            let offsets = copy.sourceOffsets()
            let n = Int64(offsets.count)
            schedule.run(first: steps.count, count: offsets.count, span: 2 * n)
            for (f, offset) in offsets.enumerated() {
                var s = Step()
                s.id = steps.count
                s.descriptor = d
                s.isStart = f == 0
                s.isLast = f == offsets.count - 1
                s.srcOffset = copy.src + offset
                s.dstOffset = copy.dst + Int64(f)
                s.readTime = Int64(f)
                s.writeTime = n + Int64(f)
                steps.append(s)
            }
        }
        self.steps = steps
        self.schedule = schedule
    }
}
