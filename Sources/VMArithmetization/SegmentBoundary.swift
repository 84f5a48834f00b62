import AlgebraicHashing
import Field

/// The public values of one segment's proof (Spec/vm-air.md §8): where the
/// segment's execution starts and where its last instruction leads. Segment
/// 0 starts at (pc 0, timestamp 0); each later segment starts where the one
/// before it ended; the last one halts (its end is the halt's pc and the
/// timestamp after it).
///
/// Timestamps are global over the run, so every memory access of every
/// segment has a distinct timestamp and one memory argument spans all
/// segments (the LogUp sums cancel over all segments together).
public struct SegmentBoundary: Sendable, Equatable {
    /// Public value indices in the AIR.
    public enum Index { public static let pcStart = 0, tsStart = 1, pcEnd = 2, tsEnd = 3, isLast = 4, count = 5 }

    /// pc of the segment's first instruction, 0 ≤ pc < code length.
    public var pcStart: UInt64
    /// ts0 of the segment's first instruction (0 for segment 0).
    public var tsStart: UInt64
    /// nextPC of the segment's last instruction.
    public var pcEnd: UInt64
    /// ts0 after the segment's last instruction.
    public var tsEnd: UInt64

    public init(pcStart: UInt64, tsStart: UInt64, pcEnd: UInt64, tsEnd: UInt64) {
        self.pcStart = pcStart
        self.tsStart = tsStart
        self.pcEnd = pcEnd
        self.tsEnd = tsEnd
    }

    /// Public values of the VM's AIR: the boundary (`Index`), then the four
    /// elements of the weight commitment (zero without committed weights).
    public static let publicValueCount = Index.count + 4

    /// The AIR's public values for this segment: the boundary, then the
    /// statement's weight commitment (the same in every segment; only the
    /// last segment's commitment table pins it).
    public func publicValues(isLast: Bool, weightCommitment: WeightCommitment?) -> [Goldilocks] {
        [pcStart, tsStart, pcEnd, tsEnd].map { Goldilocks(reducing: $0) } + [isLast ? .one : .zero]
            + (weightCommitment?.elements ?? [Goldilocks](repeating: .zero, count: 4))
    }

    /// Largest boundary value a file may carry (timestamps and pcs stay far
    /// below p, so field and integer equality agree).
    public static let maxValue: UInt64 = 1 << 48

    /// Throws unless `boundaries` chain: segment 0 starts at (0, 0), each
    /// later segment starts where the previous ended, and every value is at
    /// most `maxValue`.
    public static func checkChain(_ boundaries: [SegmentBoundary]) throws(VMArithmetizationError) {
        guard let first = boundaries.first else { throw .statement("a proof needs at least one segment") }
        guard first.pcStart == 0, first.tsStart == 0 else { throw .statement("segment 0 does not start at pc 0, timestamp 0") }
        for (i, b) in boundaries.enumerated() {
            guard [b.pcStart, b.tsStart, b.pcEnd, b.tsEnd].allSatisfy({ $0 <= maxValue }) else {
                throw .statement("segment \(i): boundary value out of range")
            }
            guard b.tsEnd > b.tsStart else { throw .statement("segment \(i): time does not advance") }
            if i > 0 {
                let previous = boundaries[i - 1]
                guard b.pcStart == previous.pcEnd, b.tsStart == previous.tsEnd else {
                    throw .statement("segment \(i) does not start where segment \(i - 1) ended")
                }
            }
        }
    }
}
