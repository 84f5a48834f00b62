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
    public static let pow = 24, half = 25
    public static let lane1 = 26, aOffset1 = 27, bOffset1 = 28
    // Dynamic.
    public static let active = 29
    public static let time = 30                    // T: the CPU row's timestamp base
    public static let baseA = 31, baseB = 32, baseD = 33
    public static let va = 34, vb = 35, vc = 36, va1 = 37, vb1 = 38
    public static let acc = 39, previousAcc = 40, accIndex = 41, previousIndex = 42
    public static let result = 43, dOld = 44
    public static let less = 45, remainder = 46
    /// Previous timestamps of the accesses A, B, C, A1, B1 (the reads, in
    /// timestamp-slot order) and D (the write).
    public static let previousTimestamp = 47       // 47…52
    public static let timestampLimbs = 53          // 53…64, two per access
    /// Range slots: V (result), R (remainder), B (remainder bound), K (comparison): two limbs each.
    public static let slotLimbs = 65               // 65…72
    /// acc + 2^61 in four 16-bit limbs (the top one < 2^14).
    public static let accLimbs = 73                // 73…76
    public static let width = 77

    /// Memory accesses per row: five reads, then the write.
    public static let accessCount = 6
    /// The write's access index (its previous timestamp and limbs).
    public static let writeAccess = 5
    /// Partial accumulators satisfy |acc| < 2^61 (the ISA's bound on final
    /// accumulators), so a two-lane multiply-accumulate is an integer
    /// equation (vm-air.md §6b).
    public static let accumulatorLogBound = FixedPoint.accumulatorLogBound
}
