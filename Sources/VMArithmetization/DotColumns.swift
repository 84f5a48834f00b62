import ISA

/// Column layout of the `dot` table: one row per row of a weights matmul's
/// schedule (Spec/vm-air.md §10). The first `DotStep.fieldCount` columns
/// mirror the schedule row (looked up in `dotcode`); the rest are the run's.
public enum DotColumns {
    // Static mirror, in `DotStep.fields` order.
    public static let id = 0, descriptor = 1, isStart = 2, isLast = 3, groupFirst = 4, groupEnd = 5
    /// Slot s's read flag, activation offset and weights row.
    public static func readA(_ s: Int) -> Int { 6 + 3 * s }
    public static func aOffset(_ s: Int) -> Int { 7 + 3 * s }
    public static func weightsRow(_ s: Int) -> Int { 8 + 3 * s }
    public static let time = 6 + 3 * DotProduct.slots
    // Dynamic.
    public static let active = time + 1
    /// T: the CPU row's timestamp base; the instruction's register bases.
    public static let instructionTime = active + 1, baseA = active + 2, baseD = active + 3
    /// Slot s's activation (1 on a bias slot, 0 on an unused one), its
    /// read's previous timestamp and the gap's two limbs.
    public static func activation(_ s: Int) -> Int { baseD + 1 + 4 * s }
    public static func previousTimestamp(_ s: Int) -> Int { activation(s) + 1 }
    public static func timestampLimbs(_ s: Int) -> Int { activation(s) + 2 }
    /// Slot s's weights, lane by lane, and each lane's running sum.
    public static func weights(_ s: Int) -> Int { baseD + 1 + 4 * DotProduct.slots + DotProduct.lanes * s }
    public static let accumulators = baseD + 1 + (4 + DotProduct.lanes) * DotProduct.slots
    public static let width = accumulators + DotProduct.lanes
}

/// Column layout of the `dotoutput` table: one row per output of a
/// weights matmul (Spec/vm-air.md §10). A group's rows are consecutive,
/// lanes 0 … laneCount − 1; each row carries the group's sums rotated so
/// that its own lane's sum comes first.
public enum DotOutputColumns {
    /// active; first and last row of a group; the row's lane.
    public static let active = 0, first = 1, last = 2, lane = 3
    public static let instructionTime = 4, baseD = 5
    // Mirror of `DotStep.outputFields`, constant within a group.
    public static let id = 6, dOffset = 7, dStride = 8, laneCount = 9, pow = 10, half = 11, writeTime = 12
    /// lane·dStride: where the row writes, relative to baseD + dOffset.
    public static let laneOffset = 13
    /// The group's sums from this row's lane on: sums[0] is this lane's.
    public static let sums = 14
    public static let result = sums + DotProduct.lanes, remainder = result + 1
    /// Two limbs each of result + 2^31, remainder and 2^s − 1 − remainder.
    public static let slotLimbs = remainder + 1
    /// The overwritten value, its previous timestamp and the gap's two limbs.
    public static let old = slotLimbs + 6, previousTimestamp = old + 1, timestampLimbs = old + 2
    public static let width = timestampLimbs + 2
}
