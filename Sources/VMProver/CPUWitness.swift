import Field
import ISA
import VM
import VMArithmetization

/// The counts one segment's rows add up for the tables that receive them:
/// 16-bit limbs for the range table, program fetches, activation lookups.
struct SegmentCounts {
    /// How many range messages carry each 16-bit value (2^16 entries).
    var range = [Int](repeating: 0, count: 1 << 16)
    /// Per program-table row, how often it was fetched.
    var fetches: [Int]
    /// Per activation-table row, how often it was looked up.
    var activations: [Int]

    init(programLogHeight: Int, activationRows: Int) {
        fetches = [Int](repeating: 0, count: 1 << programLogHeight)
        activations = [Int](repeating: 0, count: activationRows)
    }
}

/// Rows of the `cpu` table (Spec/vm-air.md §3): one per executed
/// instruction, from the VM's step records, with the helper columns the
/// constraints need — range limbs, inverses, remainders, clamp flags and
/// each access's previous timestamp — then inactive padding rows.
struct CPUWitness {
    typealias C = CPUColumns
    let vmAir: VMAir
    /// Column-major, `CPUColumns.width` columns of 2^logHeight rows.
    private(set) var columns: [[Goldilocks]]

    /// - Parameter rows: the segment's executed instructions (the table has
    ///   2^logHeight ≥ rows rows).
    init(vmAir: VMAir, rows: Int) {
        self.vmAir = vmAir
        let n = 1 << vmAir.logHeight(rows: rows)
        columns = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: C.width)
    }

    private mutating func set(_ c: Int, _ row: Int, _ v: Int64) { columns[c][row] = Goldilocks(v) }

    /// A 32-bit value as two 16-bit limbs in `column`, `column + 1`, counted.
    private mutating func range32(_ row: Int, _ column: Int, _ value: Int64, _ counts: inout SegmentCounts) throws {
        guard value >= 0, value < 1 << 32 else { throw VMArithmetizationError.witness("range value \(value) on row \(row)") }
        let lo = Int(value & 0xFFFF), hi = Int(value >> 16)
        columns[column][row] = Goldilocks(lo); columns[column + 1][row] = Goldilocks(hi)
        counts.range[lo] += 1; counts.range[hi] += 1
    }

    /// Fills row `row` from `record`, the instruction's accesses applied to
    /// the carried machine state in timestamp order (ra, rb, then rc or the
    /// memory cell, then rd), which start at `time` + 1.
    mutating func fill(row: Int, record: StepRecord, time ts0: Int64, registers: inout [Int64], lastRegisterTs: inout [Int64],
                       memory: inout [Int64], lastMemoryTs: inout [Int64], counts: inout SegmentCounts) throws {
        let (pc, opcodeRaw, rd, ra, rb, rc, imm) = (record.pc, record.opcode, Int(record.rd), Int(record.ra), Int(record.rb),
                                                    Int(record.rc), record.imm)
        let (a, b, c, result, nextPC) = (record.a, record.b, record.c, record.result, record.nextPC)
        guard let op = Opcode(rawValue: UInt8(opcodeRaw)), C.scalarOpcodes.contains(op) || op.isTensor else {
            throw VMArithmetizationError.unsupported("opcode \(opcodeRaw) at pc \(pc)")
        }
        counts.fetches[Int(pc)] += 1
        let isTensor = op.isTensor
        let span = isTensor ? vmAir.spans[Int(imm)] : 0
        set(C.ts0, row, ts0); set(C.span, row, span)
        set(C.active, row, 1); set(C.pc, row, pc); set(C.nextPC, row, nextPC)
        set(C.rd, row, Int64(rd)); set(C.ra, row, Int64(ra)); set(C.rb, row, Int64(rb))
        set(C.rc, row, Int64(rc)); set(C.imm, row, imm)
        set(C.flag(op), row, 1)
        set(C.va, row, a); set(C.vb, row, b)
        let writes = C.writers.contains(op) || isTensor
        let res = isTensor ? registers[rd] : (writes ? result : 0)
        set(C.result, row, res)
        var pow: Int64 = 0, half: Int64 = 0
        if op == .mulr || op == .rescale {
            pow = 1 << imm; half = imm > 0 ? 1 << (imm - 1) : 0
            set(C.pow, row, pow); set(C.half, row, half)
        }
        // Range slots.
        var slotA: Int64 = 0, slotB: Int64 = 0, slotC: Int64 = 0
        switch op {
        case .add, .addi, .sub, .mul: slotA = res + (1 << 31)
        case .mulr, .rescale:
            let acc = op == .mulr ? a * b : a
            let remainder = acc + half - res * pow
            set(C.remainder, row, remainder)
            slotA = res + (1 << 31); slotB = remainder; slotC = pow - 1 - remainder
        case .lt, .min, .max:
            let less: Int64 = a < b ? 1 : 0
            set(C.less, row, less)
            slotA = a - b + (less << 32)
        case .eq:
            if a != b { columns[C.inverse][row] = try (Goldilocks(a) - Goldilocks(b)).inverse() }
        case .lut:
            // Clamp to the table's proven domain (the program table's parameters).
            let domain = vmAir.activationDomains[Int(imm)]
            set(C.domainLow, row, domain.lowerBound); set(C.domainHigh, row, domain.upperBound)
            let low = a < domain.lowerBound, high = a > domain.upperBound
            let clamped = min(max(a, domain.lowerBound), domain.upperBound)
            set(C.clampLow, row, low ? 1 : 0); set(C.clampHigh, row, high ? 1 : 0); set(C.clamped, row, clamped)
            slotA = low ? domain.lowerBound - 1 - a : (high ? a - domain.upperBound : 0)
            slotB = clamped - domain.lowerBound
            counts.activations[vmAir.activationRow(table: Int(imm), input: clamped)] += 1
            guard vmAir.lookupTables[Int(imm)][Int(clamped - LookupTableSpec.domainMin)] == res else {
                throw VMArithmetizationError.witness("lut mismatch at pc \(pc)")
            }
        default: break
        }
        try range32(row, C.slotLimbs, slotA, &counts)
        try range32(row, C.slotLimbs + 2, slotB, &counts)
        try range32(row, C.slotLimbs + 4, slotC, &counts)

        // Accesses in timestamp order: ra, rb, the third (rc or memory), rd.
        func access(_ slot: Int, previous: Int64) throws {
            let ts = ts0 + Int64(slot + 1)
            set(C.previousTimestamp + slot, row, previous)
            try range32(row, C.timestampLimbs + 2 * slot, ts - previous - 1, &counts)
        }
        for (slot, r) in [ra, rb].enumerated() {
            try access(slot, previous: lastRegisterTs[r])
            lastRegisterTs[r] = ts0 + Int64(slot + 1)
        }
        if C.readsRC.contains(op) {
            set(C.cAddress, row, Int64(rc)); set(C.vc, row, c); set(C.cNew, row, c)
            try access(2, previous: lastRegisterTs[rc])
            lastRegisterTs[rc] = ts0 + 3
        }
        if op == .ld || op == .st {
            let address = Int(a + imm)
            let old = memory[address]
            set(C.cAddress, row, Int64(address)); set(C.vc, row, old)
            if op == .st { memory[address] = b }
            set(C.cNew, row, memory[address])
            try access(2, previous: lastMemoryTs[address])
            lastMemoryTs[address] = ts0 + 3
        }
        // nz = [vc ≠ 0] and inv = 1/vc on every row that reads vc (zero elsewhere).
        if !columns[C.vc][row].isZero {
            set(C.nonZeroC, row, 1); columns[C.inverse][row] = try columns[C.vc][row].inverse()
        }
        if writes {
            set(C.rdOld, row, registers[rd])
            try access(3, previous: lastRegisterTs[rd])
            lastRegisterTs[rd] = ts0 + 4
            registers[rd] = res
        }
    }
}
