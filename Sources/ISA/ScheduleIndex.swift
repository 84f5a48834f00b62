/// Where each descriptor's rows sit in a static schedule that one table
/// runs one row per element (copies: `CopyCode`; maps and zips:
/// `ElementCode`), with the timestamps each instruction spans.
public struct ScheduleIndex: Sendable {
    /// Per descriptor: whether the table runs it, its first schedule row,
    /// its row count and its timestamp span (0 for descriptors it does not run).
    public private(set) var runs: [Bool] = [], firstStep: [Int] = [], stepCounts: [Int] = [], spans: [Int64] = []

    init() {}

    /// The next descriptor, which the table does not run.
    mutating func skip(first: Int) { append(run: false, first: first, count: 0, span: 0) }

    /// The next descriptor: `count` rows from `first`, spanning `span` timestamps.
    mutating func run(first: Int, count: Int, span: Int64) { append(run: true, first: first, count: count, span: span) }

    private mutating func append(run: Bool, first: Int, count: Int, span: Int64) {
        runs.append(run); firstStep.append(first); stepCounts.append(count); spans.append(span)
    }

    /// The schedule rows of descriptor `d`.
    public func rows(of d: Int) -> Range<Int> { firstStep[d] ..< firstStep[d] + stepCounts[d] }
}

/// A static schedule with its index: the per-descriptor views read through.
public protocol ScheduledCode {
    var schedule: ScheduleIndex { get }
}

extension ScheduledCode {
    public var runs: [Bool] { schedule.runs }
    public var stepCounts: [Int] { schedule.stepCounts }
    public var spans: [Int64] { schedule.spans }
}
