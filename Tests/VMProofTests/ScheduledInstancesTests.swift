import Field
import Testing
@testable import VMArithmetization

/// The instance families of the scheduled tables (`ScheduledInstances`,
/// Spec/vm-air.md §10–11) that no single-cell change of an honest witness
/// can break: each is broken by a two-cell change here, in the copy and the
/// dot table, named by the debug checker and rejected by the table's
/// out-of-domain check.
@Suite struct ScheduledInstancesTests {
    struct Layout { let active: Int, isStart: Int, isLast: Int }

    static func setup(_ table: VMTable) throws -> (VMSoundnessTests.Setup, Layout) {
        switch table {
        case .copy: (try CopySoundnessTests.setup(), Layout(active: CopyColumns.active, isStart: CopyColumns.isStart, isLast: CopyColumns.isLast))
        default: (try DotSoundnessTests.setup(), Layout(active: DotColumns.active, isStart: DotColumns.isStart, isLast: DotColumns.isLast))
        }
    }

    @Test(arguments: [VMTable.copy, .dot])
    func familiesNeedingTwoCellsAreRejected(table: VMTable) throws {
        let (s, c) = try Self.setup(table)
        let index = s.vmAir.index(of: table)!
        let honest = s.witness.main[index]
        let height = honest[0].count
        let executed = honest[c.active].filter { $0 == .one }.count
        try #require(executed >= 3 && executed < height)
        let middle = try #require((1..<(executed - 1)).first { honest[c.isLast][$0] == .zero && honest[c.isStart][$0] == .zero })
        let changes: [(String, (inout [[Goldilocks]]) -> Void)] = [
            // A row of an instance turned off while the next stays on.
            ("inactive rows stay inactive", { $0[c.active][middle] = .zero }),
            // An instance cut short: the row after a non-last row is inactive.
            ("an instance runs to its last row", { $0[c.active][middle + 1] = .zero; $0[c.active][middle + 2] = .zero }),
            // The first row is no start (and not looked up as one).
            ("the table starts with a start", { $0[c.isStart][0] = .zero; $0[c.active][0] = .one }),
            // The last row claims to be active without ending an instance.
            ("the table ends with a last row", { $0[c.active][height - 1] = .one; $0[c.isLast][height - 1] = .zero }),
        ]
        let check = try VMSoundnessTests.TableCheck(s, table: index)
        for (family, change) in changes {
            var cells = honest
            change(&cells)
            #expect(try check.broken(cells).contains(family), "\(table): '\(family)' not broken")
            var main = s.witness.main
            main[index] = cells
            let rejected = VMSoundnessTests.rejection(s, main: main)
            #expect([VMSoundnessTests.outOfDomainCheck(s.vmAir.air.tables[index].name), VMSoundnessTests.logUpCheck].contains(rejected ?? ""),
                    "\(table): '\(family)' rejected by \(rejected ?? "nothing")")
        }
    }
}
