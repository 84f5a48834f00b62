import AIR
import Field
import ISA

/// Column layout of the `copy` table: one row per element a copy moves
/// (Spec/vm-air.md §11). The first `CopyCode.Step.fieldCount` columns
/// mirror the schedule row (looked up in `copycode`).
public enum CopyColumns {
    public static let id = 0, descriptor = 1, isStart = 2, isLast = 3, srcOffset = 4, dstOffset = 5
    public static let readTime = 6, writeTime = 7
    public static let active = 8, instructionTime = 9, baseA = 10, baseD = 11
    /// The element, its read's previous timestamp and gap limbs, the value
    /// it overwrites, the write's previous timestamp and gap limbs.
    public static let value = 12, readPrevious = 13, readLimbs = 14
    public static let old = 16, writePrevious = 17, writeLimbs = 18
    public static let width = 20
}

/// The `copycode` table: every copy's static schedule (preprocessed,
/// `CopyCode`) with a multiplicity; padding rows have descriptor −1.
enum CopyCodeTable: VMTableComponent {
    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        try ScheduledInstances.codeTable(name: "copycode", bus: Bus.copycode, fieldCount: CopyCode.Step.fieldCount, blinded: blinded)
    }

    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        ScheduledInstances.codeColumns(isLastSegment ? air.copyCode.steps.map(\.fields) : [], fieldCount: CopyCode.Step.fieldCount,
                                       logHeight: air.codeLogHeight(.copycode, isLastSegment: isLastSegment),
                                       descriptor: CopyColumns.descriptor)
    }
}

/// The `copy` table: one row per executed copy element (Spec/vm-air.md
/// §11), in instances of its schedule (`ScheduledInstances`): the element
/// is read at (baseA + srcOffset, T + 8 + readTime) and written at
/// (baseD + dstOffset, T + 8 + writeTime), both through the memory bus.
enum CopyTable: VMTableComponent {
    typealias C = CopyColumns

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "copy", mainWidth: C.width)
        func c(_ i: Int) -> Expression { .main(i) }
        let active = c(C.active)
        ScheduledInstances(bus: Bus.copycode, fields: CopyCode.Step.fieldCount, paddingOnes: [C.isLast], id: C.id,
                           descriptor: C.descriptor, isStart: C.isStart, isLast: C.isLast, active: C.active,
                           instructionTime: C.instructionTime, baseA: C.baseA, baseD: C.baseD).constrain(&t)
        let time = c(C.instructionTime) + CPUColumns.timestampsPerRow
        MemoryAccess(name: "read", enabled: active, space: .space(AddressSpace.memory), address: c(C.baseA) + c(C.srcOffset),
                     old: c(C.value), new: c(C.value), timestamp: time + c(C.readTime),
                     previousColumn: C.readPrevious, limbColumn: C.readLimbs).constrain(&t)
        MemoryAccess(name: "write", enabled: active, space: .space(AddressSpace.memory), address: c(C.baseD) + c(C.dstOffset),
                     old: c(C.old), new: c(C.value), timestamp: time + c(C.writeTime),
                     previousColumn: C.writePrevious, limbColumn: C.writeLimbs).constrain(&t)
        return try t.build(blinded: blinded)
    }
}
