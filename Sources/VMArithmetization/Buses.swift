/// LogUp bus identifiers of the VM's AIR (Spec/vm-air.md §2). Each is part
/// of every fingerprint on its bus, so messages of different buses never cancel.
public enum Bus {
    /// (pc, opcode, rd, ra, rb, rc, imm, 2^s, half, span): CPU rows look up the program table.
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
    /// initial value, or the weights table the lane that holds it (§10a);
    /// the commitment table receives it where the sponge absorbs it.
    public static let commitment = 7
    /// (kind, space, address, value): the memory table sends each public input's
    /// initial value and each public output's final value; the statement's
    /// own messages receive them (Spec/vm-air.md §5).
    public static let publicIO = 8
    /// (b): the range table's rows send their two bytes; the byte table receives them.
    public static let byte = 9
    /// The `DotStep.fields` of a weights matmul's schedule row: `dot` rows
    /// look them up in the `dotcode` table.
    public static let dotcode = 10
    /// (id, dOffset, dStride, laneCount, 2^s, half, writeTime): `dotoutput` rows look
    /// up a group end's output fields in the `dotcode` table.
    public static let dotOutputCode = 11
    /// (T, baseD, id, acc_0 … acc_15): a group's last `dot` row sends its
    /// sums; a `dotoutput` row receives them.
    public static let dotOutput = 12
    /// (id, w_0 … w_15): `dot` rows look up a row of the `weights` table.
    public static let weights = 13
    /// (space, address, value): each real lane of a `weights` row; the
    /// memory table receives it against the cell's initial value.
    public static let weightsImage = 14
    /// The `CopyCode.Step.fields` of a copy element: `copy` rows look them
    /// up in the `copycode` table.
    public static let copycode = 15
    /// The `ElementCode.Step.fields` of a map or zip element: `element`
    /// rows look them up in the `elementcode` table.
    public static let elementcode = 16
}

/// Address spaces of the memory bus: memory cells and registers never alias.
public enum AddressSpace {
    public static let memory = 0
    public static let register = 1
}
