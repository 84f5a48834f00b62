import ISA

/// Column layout of the CPU table: one row per executed instruction, padded
/// with inactive rows to a power of two (Spec/vm-air.md §3).
public enum CPUColumns {
    public static let clk = 0          // row index
    public static let active = 1       // 1 on executed rows, then 0
    public static let pc = 2
    public static let nextPC = 3
    // Decoded instruction (looked up in the program table).
    public static let opcode = 4
    public static let rd = 5, ra = 6, rb = 7, rc = 8, imm = 9
    /// Two parameters the program table supplies per instruction: for
    /// mulr/rescale 2^s and 2^(s−1) (0 for s = 0), for lut the table's
    /// proven domain [low, high].
    public static let pow = 10, half = 11
    public static let domainLow = pow, domainHigh = half
    // Values.
    public static let va = 12, vb = 13, vc = 14
    public static let result = 15      // value written to rd
    public static let rdOld = 16       // rd's value before the write
    public static let memAddress = 17, memOld = 18, memNew = 19
    // Helpers.
    public static let nonZeroC = 20    // vc ≠ 0
    public static let inverseC = 21    // 1/vc when vc ≠ 0
    public static let eqInverse = 22   // 1/(va − vb) for eq
    public static let less = 23        // va < vb (lt, min, max)
    public static let clampLow = 24, clampHigh = 25, clamped = 26  // lut input clamp
    public static let remainder = 27   // rescale remainder
    /// Previous timestamps of the five accesses (ra, rb, rc, memory, rd).
    public static let previousTimestamp = 28          // 28…32
    /// Two 16-bit limbs per access of (ts − previous − 1).
    public static let timestampLimbs = 33             // 33…42
    /// Three 32-bit range slots, two limbs each (A: values, B: remainder/clamp, C: remainder bound).
    public static let slotLimbs = 43                  // 43…48
    /// Timestamp base of the row: its accesses use ts0 + slot + 1; the
    /// next row's base is ts0 + 8 + span (span > 0 for tensor instructions).
    public static let ts0 = 49
    public static let span = 50        // fetched from the program table
    /// One-hot opcode flags, in `opcodes` order.
    public static let flags = 51
    public static let opcodes: [Opcode] = [.halt, .li, .mov, .add, .addi, .sub, .mul, .mulr, .rescale, .lt, .eq,
                                           .select, .min, .max, .lut, .jmp, .bnz, .bz, .ld, .st,
                                           .matmul, .map, .zip, .reduce, .copy]
    public static let tensorOpcodes: [Opcode] = [.matmul, .map, .zip, .reduce, .copy]
    public static let width = flags + opcodes.count

    public static func flag(_ op: Opcode) -> Int { flags + opcodes.firstIndex(of: op)! }

    /// Opcodes that write rd.
    public static let writers: [Opcode] = [.li, .mov, .add, .addi, .sub, .mul, .mulr, .rescale, .lt, .eq,
                                           .select, .min, .max, .lut, .ld]

    /// Accesses per row, and timestamps reserved per row before tensor micro-steps.
    public static let accessCount = 5
    public static let timestampsPerRow = 8
}
