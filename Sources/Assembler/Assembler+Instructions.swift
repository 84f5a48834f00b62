import ISA

/// A tensor operand: a base address (tensor + static offset, or `@address`)
/// and an optional register whose value is added at run time.
struct TensorReference {
    var tensor: TensorDeclaration?
    var address: Int64
    var register: UInt8
    var token: Token
    var count: Int64 { Int64(tensor?.count ?? 1) }
    var scale: Int { tensor?.scale ?? 0 }
}

/// Pass 2: instructions (Spec/zkasm.md §3).
extension Assembler {
    mutating func instruction(_ c: inout LineCursor) throws(AssemblerError) -> Instruction {
        let (word, token) = try c.identifier("an instruction")
        guard let op = Opcode.allCases.first(where: { $0.mnemonic == word.lowercased() }) else {
            let hint = suggestion(for: word, among: Opcode.allCases.map(\.mnemonic)).map { "; did you mean '\($0)'?" } ?? ""
            throw c.error("unknown instruction '\(word)'\(hint)", at: token)
        }
        var i = Instruction(op)
        switch op.layout {
        case .none: break
        case .rdImm:
            i.rd = try c.register(); try c.comma(); i.imm = try immediate(&c)
        case .rdRa:
            i.rd = try c.register(); try c.comma(); i.ra = try c.register()
        case .rdRaRb:
            i.rd = try c.register(); try c.comma(); i.ra = try c.register(); try c.comma(); i.rb = try c.register()
        case .rdRaImm:
            i.rd = try c.register(); try c.comma(); i.ra = try c.register(); try c.comma()
            if op == .lut {
                let (name, t) = try c.identifier("a table name")
                guard let index = namedTables[name] else { throw c.error("unknown table '\(name)'", at: t) }
                i.imm = index
            } else {
                i.imm = try immediate(&c)
            }
        case .rdRaRbImm:
            i.rd = try c.register(); try c.comma(); i.ra = try c.register(); try c.comma(); i.rb = try c.register()
            try c.comma(); i.imm = try immediate(&c)
        case .rdRcRaRb:
            i.rd = try c.register(); try c.comma(); i.rc = try c.register(); try c.comma()
            i.ra = try c.register(); try c.comma(); i.rb = try c.register()
        case .target:
            i.imm = try target(&c)
        case .rcTarget:
            i.rc = try c.register(); try c.comma(); i.imm = try target(&c)
        case .load:
            i.rd = try c.register(); try c.comma()
            (i.ra, i.imm) = try memoryOperand(&c)
        case .store:
            i.rb = try c.register(); try c.comma()
            (i.ra, i.imm) = try memoryOperand(&c)
        case .tensor:
            return try tensorInstruction(op, &c)
        }
        try c.finish()
        if [.rdImm, .rdRa, .rdRaRb, .rdRaImm, .rdRaRbImm, .rdRcRaRb, .load].contains(op.layout) && i.rd == 0 {
            throw c.error("r0 is read-only", at: c.tokens.first { $0.text.lowercased() == "r0" })
        }
        return i
    }

    /// An integer, a tensor name (its address) or a label (its pc).
    mutating func immediate(_ c: inout LineCursor) throws(AssemblerError) -> Int64 {
        let t = try c.next()
        switch t.kind {
        case .integer(let v): return v
        case .identifier(let name):
            if let k = tensorIndex[name] { return tensors[k].address }
            if let pc = labels[name] { return pc }
            throw c.error("unknown name '\(name)'", at: t)
        default: throw c.error("expected an immediate", at: t)
        }
    }

    mutating func target(_ c: inout LineCursor) throws(AssemblerError) -> Int64 {
        let t = try c.next()
        switch t.kind {
        case .integer(let v): return v
        case .identifier(let name):
            guard let pc = labels[name] else {
                let hint = suggestion(for: name, among: Array(labels.keys)).map { "; did you mean '\($0)'?" } ?? ""
                throw c.error("unknown label '\(name)'\(hint)", at: t)
            }
            return pc
        default: throw c.error("expected a label", at: t)
        }
    }

    /// A sum of terms: at most one register, tensor names (addresses), integers.
    mutating func sumOfTerms(_ c: inout LineCursor, closing: Character?) throws(AssemblerError) -> (UInt8, Int64, TensorDeclaration?) {
        var register: UInt8 = 0
        var offset: Int64 = 0
        var firstTensor: TensorDeclaration? = nil
        var sign: Int64 = 1
        var first = true
        while true {
            let t = try c.next()
            switch t.kind {
            case .identifier(let name):
                if let r = LineCursor.registerNumber(name) {
                    guard sign == 1, register == 0 else { throw c.error("at most one added register", at: t) }
                    register = r
                } else if let k = tensorIndex[name] {
                    if first { firstTensor = tensors[k] }
                    offset += sign * tensors[k].address
                } else {
                    let hint = suggestion(for: name, among: Array(tensorIndex.keys)).map { "; did you mean '\($0)'?" } ?? ""
                    throw c.error("unknown tensor '\(name)'\(hint)", at: t)
                }
            case .integer(let v):
                guard v >= -Program.maxMemory && v <= Program.maxMemory else { throw c.error("offset out of range (at most 2^28)", at: t) }
                offset += sign * v
            case .punctuation("@") where first:
                let at = c.current
                let v = try c.integer("an address")
                guard v >= -Program.maxMemory && v <= Program.maxMemory else { throw c.error("address out of range (at most 2^28)", at: at) }
                offset += v
            default: throw c.error("expected a register, tensor or integer", at: t)
            }
            guard offset >= -Program.maxMemory && offset <= Program.maxMemory else { throw c.error("address out of range", at: t) }
            first = false
            if c.accept("+") { sign = 1; continue }
            if c.accept("-") { sign = -1; continue }
            break
        }
        if let closing { try c.expect(closing, "'\(closing)'") }
        return (register, offset, firstTensor)
    }

    mutating func memoryOperand(_ c: inout LineCursor) throws(AssemblerError) -> (UInt8, Int64) {
        try c.expect("[", "'[' for a memory operand")
        let (r, offset, _) = try sumOfTerms(&c, closing: "]")
        return (r, offset)
    }

    mutating func tensorReference(_ c: inout LineCursor) throws(AssemblerError) -> TensorReference {
        guard let token = c.current else { throw c.error("expected a tensor") }
        let (r, address, tensor) = try sumOfTerms(&c, closing: nil)
        return TensorReference(tensor: tensor, address: address, register: r, token: token)
    }
}
