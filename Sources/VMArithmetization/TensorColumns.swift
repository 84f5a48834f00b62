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
    // Dynamic.
    public static let active = 34
    public static let time = 35                    // T: the CPU row's timestamp base
    public static let baseA = 36, baseB = 37, baseD = 38
    public static let va = 39, vb = 40, vc = 41
    public static let acc = 42, previousAcc = 43, accIndex = 44, previousIndex = 45
    public static let result = 46, dOld = 47
    public static let less = 48, remainder = 49
    public static let clampLow = 50, clampHigh = 51, clamped = 52
    /// Previous timestamps of the accesses A, B, C, D.
    public static let previousTimestamp = 53       // 53…56
    public static let timestampLimbs = 57          // 57…64, two per access
    /// Range slots: V (result), R (remainder / lut input), B (bound / lut excess), K (comparison), H (clamp high): two limbs each.
    public static let slotLimbs = 65               // 65…74
    /// acc + 2^62 in four 16-bit limbs (the top one < 2^15).
    public static let accLimbs = 75                // 75…78
    public static let width = 79

    public static let accessCount = 4
}
