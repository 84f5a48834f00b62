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

/// Column layout of the `dotoutput` table: one row per output group, its
/// lanes rescaled, range-checked and written (Spec/vm-air.md §10).
public enum DotOutputColumns {
    public static let active = 0, instructionTime = 1, baseD = 2
    // Mirror of `DotStep.outputFields`.
    public static let id = 3, dOffset = 4, laneCount = 5, pow = 6, half = 7, writeTime = 8
    /// The group's sums, lane by lane.
    public static let accumulators = 9
    /// Per lane, `Lane.width` columns from `lanes`.
    public static let lanes = accumulators + DotProduct.lanes
    public enum Lane {
        /// real (boolean), result, remainder, the three range slots'
        /// limbs (result + 2^31, remainder, 2^s − 1 − remainder), the
        /// overwritten value, previous timestamp and the gap's two limbs.
        public static let real = 0, result = 1, remainder = 2, slotLimbs = 3, old = 9, previousTimestamp = 10
        public static let timestampLimbs = 11
        public static let width = 13
    }
    public static func lane(_ l: Int, _ column: Int) -> Int { lanes + l * Lane.width + column }
    public static let width = lanes + DotProduct.lanes * Lane.width
}
