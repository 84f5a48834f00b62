import Field
import ISA
import VMArithmetization

/// The schedule tables' multiplicities (Spec/vm-air.md §8): the last
/// segment holds every schedule row and answers the lookups of all
/// segments, so a row's multiplicity is how many times the whole run
/// executes its descriptor — every execution runs each of its rows once
/// (a dotcode row's output fields once per execution of a group's end).
/// The other segments' tables are padding with multiplicity 0.
enum ScheduleMultiplicities {
    /// The main columns of `table` for a segment.
    /// - Parameter executions: per descriptor, how many times the whole run executes it.
    static func columns(_ table: VMTable, vmAir: VMAir, executions: [Int], isLastSegment: Bool) -> [[Goldilocks]] {
        let n = 1 << vmAir.codeLogHeight(table, isLastSegment: isLastSegment)
        var column = [Goldilocks](repeating: .zero, count: n)
        guard isLastSegment else { return table == .dotcode ? [column, column] : [column] }
        func fill(_ descriptors: [Int]) {
            for (row, d) in descriptors.enumerated() { column[row] = Goldilocks(executions[d]) }
        }
        switch table {
        case .microcode: fill(vmAir.microSteps.map(\.descriptor))
        case .copycode: fill(vmAir.copyCode.steps.map(\.descriptor))
        case .elementcode: fill(vmAir.elementCode.steps.map(\.descriptor))
        default:
            let steps = vmAir.dotCode.steps
            fill(steps.map(\.descriptor))
            var outputs = [Goldilocks](repeating: .zero, count: n)
            for (row, s) in steps.enumerated() where s.groupEnd { outputs[row] = Goldilocks(executions[s.descriptor]) }
            return [column, outputs]
        }
        return [column]
    }
}
