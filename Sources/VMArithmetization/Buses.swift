/// LogUp bus identifiers of the VM's AIR (Spec/vm-air.md §2). Each is part
/// of every fingerprint on its bus, so messages of different buses never cancel.
public enum Bus {
    /// (pc, opcode, rd, ra, rb, rc, imm, 2^s, half): CPU rows look up the program table.
    public static let program = 1
    /// (space, address, value, timestamp): memory and register accesses.
    public static let memory = 2
    /// (x): 16-bit range checks, received by the range table.
    public static let range = 3
    /// (table, x, T(x)): activation lookups, received by the activation table.
    public static let activation = 4
    /// (T, descriptor, baseD, baseA, baseB): a CPU tensor instruction starts a micro-step instance.
    public static let tensor = 5
    /// The 38 static fields of a micro-step (`MicroStep.fields`).
    public static let microcode = 6
    /// (address, value): the memory table sends each committed weight's
    /// initial value; the commitment table receives it where the sponge absorbs it.
    public static let commitment = 7
    /// (kind, space, address, value): the memory table sends each public input's
    /// initial value and each public output's final value; the statement's
    /// own messages receive them (Spec/vm-air.md §5).
    public static let publicIO = 8
    /// (b): the range table's rows send their two bytes; the byte table receives them.
    public static let byte = 9
}

/// Address spaces of the memory bus: memory cells and registers never alias.
public enum AddressSpace {
    public static let memory = 0
    public static let register = 1
}
