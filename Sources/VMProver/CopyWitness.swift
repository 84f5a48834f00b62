import Field
import ISA
import VMArithmetization

/// Rows of the `copy` table (Spec/vm-air.md §11): each executed copy's
/// elements on the memory state — every read first, then the writes in
/// element order — with the previous timestamps, limbs and `copycode`
/// multiplicities the constraints need.
struct CopyWitness {
    typealias C = CopyColumns
    let code: CopyCode
    var rows = WitnessRows(width: C.width)

    init(code: CopyCode) {
        self.code = code
    }

    mutating func execute(descriptor d: Int, time: Int64, baseD: Int64, baseA: Int64,
                          memory: inout [Int64], lastTs: inout [Int64], range: inout [Int]) throws {
        let steps = code.steps[code.schedule.rows(of: d)]
        let t0 = time + Int64(CPUColumns.timestampsPerRow)
        let first = rows.count
        for s in steps {
            let r = rows.appendScheduled(fields: s.fields, active: C.active, instructionTime: C.instructionTime, baseA: C.baseA,
                                         baseD: C.baseD, time: time, baseAValue: baseA, baseDValue: baseD)
            let read = try RangeLimbs.access(baseA + s.srcOffset, at: t0 + s.readTime, lastTs: &lastTs, range: &range, "copy read")
            rows.set(r, C.readPrevious, read.previous)
            rows.set(r, C.readLimbs, read.low); rows.set(r, C.readLimbs + 1, read.high)
            rows.set(r, C.value, memory[read.cell])
        }
        for (k, s) in steps.enumerated() {
            let r = first + k
            let write = try RangeLimbs.access(baseD + s.dstOffset, at: t0 + s.writeTime, lastTs: &lastTs, range: &range, "copy write")
            rows.set(r, C.writePrevious, write.previous)
            rows.set(r, C.writeLimbs, write.low); rows.set(r, C.writeLimbs + 1, write.high)
            rows.set(r, C.old, memory[write.cell])
            memory[write.cell] = rows[r, C.value].signedValue
        }
    }
}
