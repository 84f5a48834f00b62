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
    public static let lane1 = 34, aOffset1 = 35, bOffset1 = 36, table = 37
    // Dynamic.
    public static let active = 38
    public static let time = 39                    // T: the CPU row's timestamp base
    public static let baseA = 40, baseB = 41, baseD = 42
    public static let va = 43, vb = 44, vc = 45, va1 = 46, vb1 = 47
    public static let acc = 48, previousAcc = 49, accIndex = 50, previousIndex = 51
    public static let result = 52, dOld = 53
    public static let less = 54, remainder = 55
    public static let clampLow = 56, clampHigh = 57, clamped = 58
    /// Previous timestamps of the accesses A, B, C, A1, B1 (the reads, in
    /// timestamp-slot order) and D (the write).
    public static let previousTimestamp = 59       // 59…64
    public static let timestampLimbs = 65          // 65…76, two per access
    /// Range slots: V (result), R (remainder / lut input), B (bound / lut excess), K (comparison), H (clamp high): two limbs each.
    public static let slotLimbs = 77               // 77…86
    /// acc + 2^61 in four 16-bit limbs (the top one < 2^14).
    public static let accLimbs = 87                // 87…90
    public static let width = 91

    /// Memory accesses per row: five reads, then the write.
    public static let accessCount = 6
    /// The write's access index (its previous timestamp and limbs).
    public static let writeAccess = 5
    /// Partial accumulators satisfy |acc| < 2^61 (the ISA's bound on final
    /// accumulators), so a two-lane multiply-accumulate is an integer
    /// equation (vm-air.md §6b).
    public static let accumulatorLogBound = FixedPoint.accumulatorLogBound
}
