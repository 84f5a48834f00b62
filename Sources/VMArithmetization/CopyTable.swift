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
        var t = TableBuilder(name: "copycode", mainWidth: 1, preprocessedWidth: CopyCode.Step.fieldCount)
        t.receive("copy element", bus: Bus.copycode, (0..<CopyCode.Step.fieldCount).map { .fixed($0) }, multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        let n = 1 << air.copycodeLogHeight
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: CopyCode.Step.fieldCount)
        for (row, step) in air.copyCode.steps.enumerated() {
            for (k, v) in step.fields.enumerated() { columns[k][row] = Goldilocks(Int(v)) }
        }
        for row in air.copyCode.steps.count..<n { columns[CopyColumns.descriptor][row] = -.one }
        return columns
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
        MemoryAccess(name: "read", enabled: active, space: AddressSpace.memory, address: c(C.baseA) + c(C.srcOffset),
                     old: c(C.value), new: c(C.value), timestamp: time + c(C.readTime),
                     previousColumn: C.readPrevious, limbColumn: C.readLimbs).constrain(&t)
        MemoryAccess(name: "write", enabled: active, space: AddressSpace.memory, address: c(C.baseD) + c(C.dstOffset),
                     old: c(C.old), new: c(C.value), timestamp: time + c(C.writeTime),
                     previousColumn: C.writePrevious, limbColumn: C.writeLimbs).constrain(&t)
        return try t.build(blinded: blinded)
    }
}
