import AIR
import Field
import ISA

/// The preprocessed lookup tables: program, activations. Each has a
/// main column of multiplicities chosen by the prover; the LogUp argument
/// makes any wrong multiplicity unbalance its bus (Spec/vm-air.md §1–2).
enum FixedTables {
    /// Program table: (pc, opcode, rd, ra, rb, rc, imm, p1, p2, span), with
    /// (p1, p2) = (2^s, 2^(s−1)) for mulr/rescale and the table's proven
    /// domain (low, high) for lut. Padding rows carry opcode 0xFF, which no
    /// CPU flag combination produces.
    static func program(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "program", mainWidth: 1, preprocessedWidth: 10)
        t.receive("program", bus: Bus.program, (0..<10).map { .fixed($0) }, multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    static let paddingOpcode = 0xFF

    static func programColumns(_ program: Program, logHeight: Int, spans: [Int64],
                               domains: [ClosedRange<Int64>]) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: 10)
        for pc in 0..<n {
            columns[0][pc] = Goldilocks(pc)
            guard pc < program.code.count else { columns[1][pc] = Goldilocks(paddingOpcode); continue }
            let i = program.code[pc]
            columns[1][pc] = Goldilocks(Int(i.opcode.rawValue))
            columns[2][pc] = Goldilocks(Int(i.rd))
            columns[3][pc] = Goldilocks(Int(i.ra))
            columns[4][pc] = Goldilocks(Int(i.rb))
            columns[5][pc] = Goldilocks(Int(i.rc))
            columns[6][pc] = Goldilocks(i.imm)
            if i.opcode == .mulr || i.opcode == .rescale {
                let s = Int(i.imm)
                columns[7][pc] = Goldilocks(1 << s)
                columns[8][pc] = s > 0 ? Goldilocks(1 << (s - 1)) : .zero
            }
            if i.opcode == .lut {
                columns[7][pc] = Goldilocks(domains[Int(i.imm)].lowerBound)
                columns[8][pc] = Goldilocks(domains[Int(i.imm)].upperBound)
            }
            if i.opcode.isTensor { columns[9][pc] = Goldilocks(spans[Int(i.imm)]) }
        }
        return columns
    }

    /// Activation table: (table index, x, T(x)) for every program table and
    /// every x in its proven domain (Spec/vm-air.md §4b); padding rows repeat
    /// table 0's first entry (a duplicate row is harmless: its multiplicity
    /// can be 0).
    static func activation(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "activation", mainWidth: 1, preprocessedWidth: 3)
        t.receive("activation", bus: Bus.activation, [.fixed(0), .fixed(1), .fixed(2)], multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    /// Rows of every table's proven domain, consecutive, in program order.
    static func activationRows(_ domains: [ClosedRange<Int64>]) -> Int {
        domains.reduce(0) { $0 + $1.count }
    }

    /// - Parameters:
    ///   - tables: every program table's entries (`LookupTableSpec.generate`).
    ///   - domains: their proven domains.
    static func activationColumns(tables: [[Int64]], domains: [ClosedRange<Int64>], logHeight: Int) -> [[Goldilocks]] {
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
