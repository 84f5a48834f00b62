import ISA

/// Column layout of the `dot` table: one row per row of a weights matmul's
/// schedule (Spec/vm-air.md §10). The first `DotStep.fieldCount` columns
/// mirror the schedule row (looked up in `dotcode`); the rest are the run's.
public enum DotColumns {
    // Static mirror, in `DotStep.fields` order.
    public static let id = 0, descriptor = 1, isStart = 2, isLast = 3, groupFirst = 4, groupEnd = 5
    public static let readA = 6, aOffset = 7, weightsRow = 8, time = 9
    // Dynamic.
    public static let active = 10
    /// T: the CPU row's timestamp base; the instruction's register bases.
    public static let instructionTime = 11, baseA = 12, baseD = 13
    /// The activation read (1 on bias rows), its previous timestamp and the gap's two limbs.
    public static let activation = 14, previousTimestamp = 15, timestampLimbs = 16
    /// The row's weights, lane by lane, and each lane's running sum.
    public static let weights = 18
    public static let accumulators = weights + DotProduct.lanes
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
