import AIR
import Field
import ISA

/// The `activation` table: every lookup table's entries over its proven
/// domain, preprocessed, with a multiplicity; `lut` rows and tensor lookup
/// steps look (table, x, T(x)) up here (Spec/vm-air.md §4b). A wrong
/// multiplicity unbalances the activation bus.
enum ActivationTable: VMTableComponent {
    /// Activation table: (table index, x, T(x)) for every program table and
    /// every x in its proven domain (Spec/vm-air.md §4b); padding rows repeat
    /// table 0's first entry (a duplicate row is harmless: its multiplicity
    /// can be 0).
    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "activation", mainWidth: 1, preprocessedWidth: 3)
        t.receive("activation", bus: Bus.activation, [.fixed(0), .fixed(1), .fixed(2)], multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    /// Rows of every table's proven domain, consecutive, in program order.
    static func rows(_ domains: [ClosedRange<Int64>]) -> Int {
        domains.reduce(0) { $0 + $1.count }
    }

    /// - Parameters:
    ///   - tables: every program table's entries (`LookupTableSpec.generate`).
    ///   - domains: their proven domains.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        columns(tables: air.lookupTables, domains: air.activationDomains, logHeight: air.activationLogHeight)
    }

    static func columns(tables: [[Int64]], domains: [ClosedRange<Int64>], logHeight: Int) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var columns = [[Goldilocks]](repeating: [], count: 3)
        for (index, (entries, domain)) in zip(tables, domains).enumerated() {
            for x in domain {
                columns[0].append(Goldilocks(index))
                columns[1].append(Goldilocks(x))
                columns[2].append(Goldilocks(entries[Int(x - LookupTableSpec.domainMin)]))
            }
        }
        while columns[0].count < n {
            columns[0].append(columns[0][0]); columns[1].append(columns[1][0]); columns[2].append(columns[2][0])
        }
        return columns
    }
}
