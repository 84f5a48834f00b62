import AIR
import Field
import ISA

/// The preprocessed lookup tables: program, activations. Each has a
/// main column of multiplicities chosen by the prover; the LogUp argument
/// makes any wrong multiplicity unbalance its bus (Spec/vm-air.md §1–2).
enum FixedTables {
    /// Program table: (pc, opcode, rd, ra, rb, rc, imm, 2^s, half, span). Padding
    /// rows carry opcode 0xFF, which no CPU flag combination produces.
    static func program(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "program", mainWidth: 1, preprocessedWidth: 10)
        t.receive("program", bus: Bus.program, (0..<10).map { .fixed($0) }, multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    static let paddingOpcode = 0xFF

    static func programColumns(_ program: Program, logHeight: Int, spans: [Int64]) -> [[Goldilocks]] {
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
            if i.opcode.isTensor { columns[9][pc] = Goldilocks(spans[Int(i.imm)]) }
        }
        return columns
    }

    /// Activation table: (table index, x, T(x)) for every program table and
    /// every x in the 16-bit domain; padding rows repeat table 0's first
    /// entry (a duplicate row is harmless: its multiplicity can be 0).
    static func activation(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "activation", mainWidth: 1, preprocessedWidth: 3)
        t.receive("activation", bus: Bus.activation, [.fixed(0), .fixed(1), .fixed(2)], multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    static func activationLogHeight(_ program: Program) -> Int {
        LookupTableSpec.domainBits + (program.tables.count - 1).bitWidth - max(0, program.tables.count - 1).leadingZeroBitCount
    }

    static func activationColumns(_ program: Program) -> [[Goldilocks]] {
        let n = 1 << activationLogHeight(program)
        var columns = [[Goldilocks]](repeating: [], count: 3)
        for (index, spec) in program.tables.enumerated() {
            let entries = spec.generate()
            for (k, y) in entries.enumerated() {
                columns[0].append(Goldilocks(index))
                columns[1].append(Goldilocks(Int64(k) + LookupTableSpec.domainMin))
                columns[2].append(Goldilocks(y))
            }
        }
        while columns[0].count < n {
            columns[0].append(columns[0][0]); columns[1].append(columns[1][0]); columns[2].append(columns[2][0])
        }
        return columns
    }
}
