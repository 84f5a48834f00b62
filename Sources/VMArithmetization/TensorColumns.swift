import ISA

/// Column layout of the `tensor` table: one row per executed micro-step
/// (Spec/vm-air.md §6). The first `MicroStep.fieldCount` columns mirror the
/// step's static fields (looked up in the `microcode` table); the rest are
/// the run's values.
public enum TensorColumns {
    // Static mirror, in `MicroStep.fields` order.
    public static let descriptor = 0, step = 1, isStart = 2, isLast = 3
    public static let readA = 4, readB = 5, readC = 6, write = 7
    public static let aOffset = 8, bOffset = 9, cOffset = 10, dOffset = 11, writeTime = 12
    public static let groupFirst = 13, index = 14, compareAcc = 15
    public static let accMac = 16, accSum = 17, accMax = 18, accArgmax = 19
    public static let resultRescale = 20, resultAcc = 21, resultIndex = 22, resultCopy = 23
    public static let resultAdd = 24, resultSub = 25, resultMax = 26, resultMin = 27
    public static let resultClamp = 28, resultLookup = 29
    public static let parameter1 = 30, parameter2 = 31, pow = 32, half = 33
    public static let lane1 = 34, aOffset1 = 35, bOffset1 = 36
    // Dynamic.
    public static let active = 37
    public static let time = 38                    // T: the CPU row's timestamp base
    public static let baseA = 39, baseB = 40, baseD = 41
    public static let va = 42, vb = 43, vc = 44, va1 = 45, vb1 = 46
    public static let acc = 47, previousAcc = 48, accIndex = 49, previousIndex = 50
    public static let result = 51, dOld = 52
    public static let less = 53, remainder = 54
    public static let clampLow = 55, clampHigh = 56, clamped = 57
    /// Previous timestamps of the accesses A, B, C, A1, B1 (the reads, in
    /// timestamp-slot order) and D (the write).
    public static let previousTimestamp = 58       // 58…63
    public static let timestampLimbs = 64          // 64…75, two per access
    /// Range slots: V (result), R (remainder / lut input), B (bound / lut excess), K (comparison), H (clamp high): two limbs each.
    public static let slotLimbs = 76               // 76…85
    /// acc + 2^61 in four 16-bit limbs (the top one < 2^14).
    public static let accLimbs = 86                // 86…89
    public static let width = 90

    /// Memory accesses per row: five reads, then the write.
    public static let accessCount = 6
    /// The write's access index (its previous timestamp and limbs).
    public static let writeAccess = 5
    /// Partial accumulators satisfy |acc| < 2^61 (the ISA's bound on final
    /// accumulators), so a two-lane multiply-accumulate is an integer
    /// equation (vm-air.md §6b).
    public static let accumulatorLogBound = FixedPoint.accumulatorLogBound
}
