import AIR
import Field
import ISA

/// The `microcode` table: every descriptor's static micro-steps
/// (preprocessed, `MicroCode.expand`) with a multiplicity; executed tensor
/// rows look their static fields up here (Spec/vm-air.md §6).
enum MicrocodeTable: VMTableComponent {
    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "microcode", mainWidth: 1, preprocessedWidth: MicroStep.fieldCount)
        t.receive("microcode", bus: Bus.microcode, (0..<MicroStep.fieldCount).map { .fixed($0) }, multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    /// The microcode table: one row per static step (the last segment's;
    /// the others have only padding); padding rows are all zero except
    /// descriptor = −1, so no executed step can match them.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        let microSteps = isLastSegment ? air.microSteps : []
        let n = 1 << air.codeLogHeight(.microcode, isLastSegment: isLastSegment), width = MicroStep.fieldCount
        // Row-major values first (one pass over the steps), then one
        // contiguous column at a time.
        var flat = [Int64](repeating: 0, count: microSteps.count * width)
        flat.withUnsafeMutableBufferPointer { out in
            for (row, step) in microSteps.enumerated() { step.write(into: out.baseAddress! + row * width) }
        }
        return flat.withUnsafeBufferPointer { values in
            (0..<width).map { k in
                [Goldilocks](unsafeUninitializedCapacity: n) { buffer, initialized in
                    for row in 0..<microSteps.count {
                        buffer.initializeElement(at: row, to: Goldilocks(Int(values[row * width + k])))
                    }
                    let padding = k == 0 ? -Goldilocks.one : .zero
                    for row in microSteps.count..<n { buffer.initializeElement(at: row, to: padding) }
                    initialized = n
                }
            }
        }
    }
}
