/// How much of a run one segment holds: the most CPU rows and the most
/// tensor rows (micro-steps). A segment's prover memory grows with these,
/// not with the run (Spec/proof-system.md §6): about 12–15 KiB per CPU row
/// and per tensor row at blowup 8, all tables and rounds included.
/// A literal n means n of each.
public struct SegmentSize: Sendable, Equatable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// Most CPU rows per segment, ≥ 1.
    public var cpuRows: Int
    /// Most tensor rows per segment, ≥ 1 (a single tensor instruction with
    /// more steps gets a segment of its own).
    public var tensorRows: Int

    public init(cpuRows: Int, tensorRows: Int) {
        self.cpuRows = cpuRows
        self.tensorRows = tensorRows
    }

    /// n CPU rows and n tensor rows.
    public static func rows(_ n: Int) -> SegmentSize { SegmentSize(cpuRows: n, tensorRows: n) }

    public init(integerLiteral n: Int) { self.init(cpuRows: n, tensorRows: n) }

    /// The default: 2^17 CPU rows, so a long scalar run proves in segments
    /// of under 2 GiB each, and 2^20 tensor rows, so a model's tensor work
    /// (LeNet-5: 2^18 rows) stays in one segment, where it proves fastest.
    public static let standard = SegmentSize(cpuRows: 1 << 17, tensorRows: 1 << 20)

    public var description: String { cpuRows == tensorRows ? "\(cpuRows) rows" : "\(cpuRows) CPU rows, \(tensorRows) tensor rows" }
}
