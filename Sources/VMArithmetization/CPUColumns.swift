import ISA

/// Column layout of the CPU table: one row per executed instruction, padded
/// with inactive rows to a power of two (Spec/vm-air.md §3).
public enum CPUColumns {
    public static let active = 0       // 1 on executed rows, then 0
    public static let pc = 1
    public static let nextPC = 2
    // Decoded instruction (looked up in the program table; the opcode itself
    // is the combination of the flags, `fetchedOpcode`).
    public static let rd = 3, ra = 4, rb = 5, rc = 6, imm = 7
    /// Two parameters the program table supplies per instruction: for
    /// mulr/rescale 2^s and 2^(s−1) (0 for s = 0), for lut the table's
    /// proven domain [low, high].
    public static let pow = 8, half = 9
    public static let domainLow = pow, domainHigh = half
    // Values.
    public static let va = 10, vb = 11
    public static let result = 12      // value written to rd
    public static let rdOld = 13       // rd's value before the write
    /// The third access: register rc (select, bnz, bz) or the memory cell
    /// va + imm (ld, st); `vc` is the value it reads, `cNew` the value it
    /// leaves (vb for st, vc otherwise).
    public static let cAddress = 14, vc = 15, cNew = 16
    // Helpers.
    public static let nonZeroC = 17    // vc ≠ 0
    /// 1/vc when vc ≠ 0 (select, bnz, bz), 1/(va − vb) when va ≠ vb (eq).
    public static let inverse = 18
    public static let less = 19        // va < vb (lt, min, max)
    public static let clampLow = 20, clampHigh = 21, clamped = 22  // lut input clamp
    public static let remainder = 23   // rescale remainder
    /// Previous timestamps of the four accesses (ra, rb, c, rd).
    public static let previousTimestamp = 24          // 24…27
    /// Two 16-bit limbs per access of (ts − previous − 1).
    public static let timestampLimbs = 28             // 28…35
    /// Three 32-bit range slots, two limbs each (A: values, B: remainder/clamp, C: remainder bound).
    public static let slotLimbs = 36                  // 36…41
    /// Timestamp base of the row: its accesses use ts0 + slot + 1; the
    /// next row's base is ts0 + 8 + span (span > 0 for tensor instructions).
    public static let ts0 = 42
    public static let span = 43        // fetched from the program table
    /// One-hot flags: one per scalar opcode, in `scalarOpcodes` order, then
    /// one for every tensor instruction (`tensorFlag`).
    public static let flags = 44
    public static let scalarOpcodes: [Opcode] = [.halt, .li, .mov, .add, .addi, .sub, .mul, .mulr, .rescale, .lt, .eq,
                                                 .select, .min, .max, .lut, .jmp, .bnz, .bz, .ld, .st]
    public static let tensorOpcodes: [Opcode] = [.matmul, .map, .zip, .reduce, .copy]
    /// The flag of every tensor instruction: its kind is its descriptor's
    /// (the descriptor index is the fetched imm, and a valid program's
    /// descriptor has the instruction's opcode), so one flag serves them all.
    public static let tensorFlag = flags + scalarOpcodes.count
    public static let width = tensorFlag + 1

    public static func flag(_ op: Opcode) -> Int { op.isTensor ? tensorFlag : flags + scalarOpcodes.firstIndex(of: op)! }

    /// The opcode the program table holds for `op`, and a CPU row's flags
    /// spell: the opcode itself for scalar instructions, and the one class
    /// code `tensorClass` for tensor instructions.
    public static func fetchedOpcode(_ op: Opcode) -> Int { op.isTensor ? tensorClass : Int(op.rawValue) }
    public static let tensorClass = Int(Opcode.matmul.rawValue)

    /// Opcodes that write rd.
    public static let writers: [Opcode] = [.li, .mov, .add, .addi, .sub, .mul, .mulr, .rescale, .lt, .eq,
                                           .select, .min, .max, .lut, .ld]
    /// Opcodes whose third access reads register rc.
    public static let readsRC: [Opcode] = [.select, .bnz, .bz]

    /// Accesses per row, and timestamps reserved per row before tensor micro-steps.
    public static let accessCount = 4
    public static let timestampsPerRow = 8
}
