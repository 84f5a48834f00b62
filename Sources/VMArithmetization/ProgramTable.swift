import AIR
import Field
import ISA

/// The `program` table: the code, preprocessed, with each instruction's
/// fetch count; CPU rows look their instruction up here (Spec/vm-air.md §1,
/// §3). A wrong count unbalances the program bus.
enum ProgramTable: VMTableComponent {
    /// Program table: (pc, opcode, rd, ra, rb, rc, imm, p1, p2, span), with
    /// (p1, p2) = (2^s, 2^(s−1)) for mulr/rescale and the table's proven
    /// domain (low, high) for lut. The opcode is `CPUColumns.fetchedOpcode`:
    /// a scalar instruction's own, one class code for tensor instructions
    /// (their kind is their descriptor's, named by imm). Padding rows carry
    /// opcode 0xFF, which no CPU flag combination produces.
    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "program", mainWidth: 1, preprocessedWidth: 10)
        t.receive("program", bus: Bus.program, (0..<10).map { .fixed($0) }, multiplicity: .main(0))
        return try t.build(blinded: blinded)
    }

    static let paddingOpcode = 0xFF

    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        columns(air.program, logHeight: air.programLogHeight, spans: air.spans, domains: air.activationDomains)
    }

    static func columns(_ program: Program, logHeight: Int, spans: [Int64], domains: [ClosedRange<Int64>]) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: 10)
        for pc in 0..<n {
            columns[0][pc] = Goldilocks(pc)
            guard pc < program.code.count else { columns[1][pc] = Goldilocks(paddingOpcode); continue }
            let i = program.code[pc]
            columns[1][pc] = Goldilocks(CPUColumns.fetchedOpcode(i.opcode))
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
}
