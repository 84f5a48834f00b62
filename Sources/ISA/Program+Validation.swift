/// Static rules every program satisfies (Spec/isa.md §6). The decoder and the
/// assembler both run them; the VM may then rely on them.
extension Program {
    public func validate() throws(ISAError) {
        func fail(_ message: String) -> ISAError { .invalidProgram(message) }
        guard memorySize >= 0, memorySize <= Program.maxMemory else { throw fail("memory size \(memorySize) out of range") }
        guard code.count <= Program.maxCode, descriptors.count <= Program.maxCode else { throw fail("program too large") }
        guard !code.isEmpty else { throw fail("no instructions") }
        guard tensors.count <= Program.maxTensors else { throw fail("more than \(Program.maxTensors) tensors") }
        guard tables.count <= Program.maxTables else { throw fail("more than \(Program.maxTables) lookup tables") }
        var names = Set<String>()
        var regions: [(Int64, Int64, String)] = []
        for t in tensors {
            guard Program.isValidName(t.name) else { throw fail("tensor name '\(t.name.prefix(40))' is not an identifier of at most 255 bytes") }
            guard names.insert(t.name).inserted else { throw fail("duplicate tensor name '\(t.name)'") }
            guard t.shape.count <= Program.maxRank, t.shape.allSatisfy({ $0 >= 1 }) else { throw fail("bad shape for '\(t.name)'") }
            guard t.scale >= 0, t.scale <= FixedPoint.maxScale else { throw fail("scale \(t.scale) of '\(t.name)' outside 0…\(FixedPoint.maxScale)") }
            guard TensorDeclaration.allowedBits.contains(t.bits), t.bits == 32 || t.kind == .weights else {
                throw fail("'\(t.name)' declares \(t.bits) bits (weights may declare 16 or 32, other tensors 32)")
            }
            guard t.visibility != .committed || t.kind == .weights else { throw fail("only weights can be committed ('\(t.name)' is \(t.kind.name))") }
            let count = Int64(t.count)
            guard t.address >= 0, t.address <= memorySize - count else { throw fail("tensor '\(t.name)' lies outside memory") }
            if t.kind == .weights {
                // Hidden weights may be absent: a program's public part (a verification key) has none.
                if t.visibility != .public && t.data == nil { continue }
                guard let data = t.data, data.count == t.count else { throw fail("weights '\(t.name)' need \(t.count) values") }
                guard data.allSatisfy(FixedPoint.inRange) else { throw fail("weights '\(t.name)' hold a value outside the value range") }
                guard data.allSatisfy(t.fits) else { throw fail("weights '\(t.name)' hold a value outside their declared \(t.bits) bits") }
            } else if t.data != nil {
                throw fail("only weights carry data ('\(t.name)' is \(t.kind.name))")
            }
            regions.append((t.address, t.address + count, t.name))
        }
        // Canonical layout: tensors back to back in declaration order from 0.
        var expected: Int64 = 0
        for t in tensors {
            guard t.address == expected else { throw fail("tensor '\(t.name)' must start at \(expected) (declaration order, no gaps)") }
            expected += Int64(t.count)
        }
        guard memorySize == expected else { throw fail("memory size must be \(expected), the total size of the tensors") }
        regions.sort { $0.0 < $1.0 }
        for (x, y) in zip(regions, regions.dropFirst()) where y.0 < x.1 {
            throw fail("tensors '\(x.2)' and '\(y.2)' overlap")
        }
        for t in tables {
            guard (0...FixedPoint.maxScale).contains(t.inputScale), (0...FixedPoint.maxScale).contains(t.outputScale) else {
                throw fail("table \(t.function.rawValue) has a scale outside 0…\(FixedPoint.maxScale)")
            }
            guard LookupTableSpec.domainMin <= t.inputLow, t.inputLow <= t.inputHigh, t.inputHigh <= LookupTableSpec.domainMax else {
                throw fail("table \(t.function.rawValue) has an input domain [\(t.inputLow), \(t.inputHigh)] outside [−2^15, 2^15 − 1] or empty")
            }
        }
        guard Set(tables).count == tables.count else { throw fail("duplicate lookup tables") }
        for (index, d) in descriptors.enumerated() { try validate(d, index: index) }
        for (pc, i) in code.enumerated() { try validate(i, pc: pc) }
        // Canonical descriptor order: each descriptor is used, first uses in
        // increasing order, no duplicates — so text and binary round-trip.
        var nextFirstUse: Int64 = 0
        for i in code where i.opcode.isTensor {
            if i.imm == nextFirstUse { nextFirstUse += 1 } else if i.imm > nextFirstUse {
                throw fail("descriptor \(i.imm) is used before descriptor \(nextFirstUse)")
            }
        }
        guard nextFirstUse == Int64(descriptors.count) else { throw fail("unused descriptors") }
        guard Set(descriptors).count == descriptors.count else { throw fail("duplicate descriptors") }
    }

    /// Tensor names: `[A-Za-z_][A-Za-z0-9_.]*`, at most 255 bytes, not a
    /// register (`r0`…`r15`, any case) and not a mnemonic — so every name
    /// survives a disassembly round trip.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 255 else { return false }
        func letter(_ b: UInt8) -> Bool { (65...90).contains(b) || (97...122).contains(b) || b == 95 }
        guard letter(first), bytes.allSatisfy({ letter($0) || (48...57).contains($0) || $0 == 46 }) else { return false }
        let lower = name.lowercased()
        if lower.first == "r", let n = Int(lower.dropFirst()), n >= 0, n < Instruction.registerCount { return false }
        return !Opcode.allCases.contains { $0.mnemonic == lower }
    }

    /// Checks one descriptor's ranges against this program's tables.
    public func validate(descriptor: TensorOperation) throws(ISAError) { try validate(descriptor, index: 0) }

    func validate(_ d: TensorOperation, index: Int) throws(ISAError) {
        func fail(_ m: String) -> ISAError { .invalidProgram("descriptor \(index): \(m)") }
        let limit = Program.maxMemory
        func address(_ x: Int64) -> Bool { x >= -limit && x <= limit }
        func size(_ x: Int64) -> Bool { x >= 0 && x <= limit }
        func stride(_ x: Int64) -> Bool { x >= -limit && x <= limit }
        func shift(_ s: Int64) -> Bool { s >= 0 && s <= Int64(FixedPoint.maxShift) }
        switch d {
        case .matmul(let m):
            guard [m.dst, m.a, m.b, m.bias ?? 0].allSatisfy(address) else { throw fail("address out of range") }
            guard [m.m, m.k, m.n].allSatisfy(size), m.m * m.k <= limit, m.k * m.n <= limit, m.m * m.n <= limit,
                  m.m * m.k * m.n <= Program.maxMatmulWork else { throw fail("size out of range") }
            guard [m.aRowStride, m.aColStride, m.bRowStride, m.bColStride, m.dstRowStride, m.dstColStride,
                   m.aRowInnerStride, m.aColMiddleStride, m.aColInnerStride].allSatisfy(stride) else { throw fail("stride out of range") }
            guard [m.aRowInner, m.aColMiddle, m.aColInner].allSatisfy({ $0 >= 1 && $0 <= limit }),
                  m.m % m.aRowInner == 0, m.k % (m.aColMiddle * m.aColInner) == 0 else {
                throw fail("A's inner extents must be ≥ 1 and divide m and k")
            }
            guard (m.aRowInner > 1 || m.aRowInnerStride == 0), (m.aColMiddle > 1 || m.aColMiddleStride == 0),
                  (m.aColInner > 1 || m.aColInnerStride == 0) else { throw fail("an inner extent of 1 must have stride 0") }
            guard shift(m.shift) else { throw fail("shift \(m.shift) outside 0…31") }
        case .map(let m):
            guard address(m.dst), address(m.src), size(m.count), stride(m.dstStride), stride(m.srcStride) else { throw fail("field out of range") }
            switch m.function {
            case .lookup(let t): guard t >= 0, t < Int64(tables.count) else { throw fail("no table \(t)") }
            case .clamp(let lo, let hi): guard FixedPoint.inRange(lo), FixedPoint.inRange(hi), lo <= hi else { throw fail("bad clamp bounds") }
            case .rescale(let s): guard shift(s) else { throw fail("shift \(s) outside 0…31") }
            }
        case .zip(let z):
            guard [z.dst, z.a, z.b].allSatisfy(address), size(z.count), [z.dstStride, z.aStride, z.bStride].allSatisfy(stride) else {
                throw fail("field out of range")
            }
            if case .mul(let s) = z.operation, !shift(s) { throw fail("shift \(s) outside 0…31") }
        case .reduce(let r):
            guard address(r.dst), address(r.src), size(r.rows), size(r.cols), r.rows * r.cols <= limit,
                  stride(r.rowStride), stride(r.colStride) else { throw fail("field out of range") }
            if case .sum(let s) = r.operation, !shift(s) { throw fail("shift \(s) outside 0…31") }
        case .copy(let c):
            guard address(c.dst), address(c.src), (1...4).contains(c.shape.count), c.shape.count == c.strides.count,
                  c.shape.allSatisfy(size), c.strides.allSatisfy(stride) else { throw fail("field out of range") }
            guard c.shape.reduce(Int64(1), { $0 > limit ? $0 : $0 * $1 }) <= limit else { throw fail("size out of range") }
        }
    }

    func validate(_ i: Instruction, pc: Int) throws(ISAError) {
        func fail(_ m: String) -> ISAError { .invalidProgram("pc \(pc) (\(i.opcode.mnemonic)): \(m)") }
        let regs = UInt8(Instruction.registerCount)
        guard i.rd < regs, i.ra < regs, i.rb < regs, i.rc < regs else { throw fail("register out of range") }
        let layout = i.opcode.layout
        let usesRd: Bool, usesRa: Bool, usesRb: Bool, usesRc: Bool, usesImm: Bool
        switch layout {
        case .none: (usesRd, usesRa, usesRb, usesRc, usesImm) = (false, false, false, false, false)
        case .rdImm: (usesRd, usesRa, usesRb, usesRc, usesImm) = (true, false, false, false, true)
        case .rdRa: (usesRd, usesRa, usesRb, usesRc, usesImm) = (true, true, false, false, false)
        case .rdRaRb: (usesRd, usesRa, usesRb, usesRc, usesImm) = (true, true, true, false, false)
        case .rdRaImm: (usesRd, usesRa, usesRb, usesRc, usesImm) = (true, true, false, false, true)
        case .rdRaRbImm: (usesRd, usesRa, usesRb, usesRc, usesImm) = (true, true, true, false, true)
        case .rdRcRaRb: (usesRd, usesRa, usesRb, usesRc, usesImm) = (true, true, true, true, false)
        case .target: (usesRd, usesRa, usesRb, usesRc, usesImm) = (false, false, false, false, true)
        case .rcTarget: (usesRd, usesRa, usesRb, usesRc, usesImm) = (false, false, false, true, true)
        case .load: (usesRd, usesRa, usesRb, usesRc, usesImm) = (true, true, false, false, true)
        case .store: (usesRd, usesRa, usesRb, usesRc, usesImm) = (false, true, true, false, true)
        case .tensor:
            (usesRd, usesRa, usesRc, usesImm) = (true, true, false, true)
            usesRb = i.opcode == .matmul || i.opcode == .zip
        }
        // Unused fields are zero: one encoding per instruction.
        guard usesRd || i.rd == 0, usesRa || i.ra == 0, usesRb || i.rb == 0, usesRc || i.rc == 0, usesImm || i.imm == 0 else {
            throw fail("unused operand field is not zero")
        }
        if usesRd && layout != .tensor && i.rd == 0 { throw fail("r0 is read-only") }
        switch i.opcode {
        case .li: guard FixedPoint.inRange(i.imm) else { throw fail("immediate \(i.imm) outside the value range") }
        case .addi: guard FixedPoint.inRange(i.imm) else { throw fail("immediate \(i.imm) outside the value range") }
        case .mulr, .rescale: guard i.imm >= 0, i.imm <= Int64(FixedPoint.maxShift) else { throw fail("shift \(i.imm) outside 0…31") }
        case .lut: guard i.imm >= 0, i.imm < Int64(tables.count) else { throw fail("no table \(i.imm)") }
        case .jmp, .bnz, .bz: guard i.imm >= 0, i.imm < Int64(code.count) else { throw fail("jump target \(i.imm) outside the code") }
        case .ld, .st: guard i.imm >= -Program.maxMemory, i.imm <= Program.maxMemory else { throw fail("offset out of range") }
        case .matmul, .map, .zip, .reduce, .copy:
            guard i.imm >= 0, i.imm < Int64(descriptors.count) else { throw fail("no descriptor \(i.imm)") }
            guard descriptors[Int(i.imm)].opcode == i.opcode else { throw fail("descriptor \(i.imm) is not a \(i.opcode.mnemonic)") }
            if case .matmul(let mm) = descriptors[Int(i.imm)], i.rb != 0, DotProduct.weightsOperands(mm, tensors: tensors) != nil {
                throw fail("a matmul whose B operand is a weights tensor reads it at its declared address: rb must be r0")
            }
        default: break
        }
    }
}
