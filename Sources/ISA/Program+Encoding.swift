import Field
import Hashing

/// The canonical binary encoding, `.zkbin` version 2 (Spec/isa.md §6).
/// All integers little-endian; every field has one encoding, so equal
/// programs have equal bytes and equal digests.
extension Program {
    public static let magic: [UInt8] = Array("ZKBN".utf8)
    public static let formatVersion: UInt16 = 2

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: Program.magic)
        w.write(Program.formatVersion)
        w.write(UInt16(0))  // flags, reserved
        w.write(UInt64(memorySize))
        w.write(UInt32(tensors.count))
        for t in tensors {
            let name = Array(t.name.utf8)
            w.write(UInt16(name.count)); w.write(raw: name)
            w.write(t.kind.rawValue); w.write(t.visibility.rawValue)
            w.write(UInt8(t.scale)); w.write(UInt8(t.bits)); w.write(UInt8(t.shape.count))
            for d in t.shape { w.write(UInt32(d)) }
            w.write(UInt64(t.address))
            if let data = t.data {
                w.write(UInt8(1))
                for v in data { w.write(v) }
            } else {
                w.write(UInt8(0))
            }
        }
        w.write(UInt32(tables.count))
        for t in tables {
            // A declared input domain sets bit 7 of the function code and follows as two i32.
            w.write(t.function.code | (t.hasFullDomain ? 0 : 0x80)); w.write(UInt8(t.inputScale)); w.write(UInt8(t.outputScale))
            if !t.hasFullDomain {
                // Clamped so an unvalidated spec cannot trap here (validation rejects it).
                w.write(UInt32(bitPattern: Int32(clamping: t.inputLow))); w.write(UInt32(bitPattern: Int32(clamping: t.inputHigh)))
            }
        }
        w.write(UInt32(descriptors.count))
        for d in descriptors {
            let (tag, fields) = d.encodedFields
            w.write(tag)
            for f in fields { w.write(f) }
        }
        w.write(UInt32(code.count))
        for i in code {
            w.write(i.opcode.rawValue); w.write(i.rd); w.write(i.ra); w.write(i.rb); w.write(i.rc)
            w.write(raw: [0, 0, 0])
            w.write(i.imm)
        }
        return w.bytes
    }

    /// The program digest: SHA-256 over a 64-byte domain tag block and the
    /// canonical encoding of the public part (table parameters and public
    /// weights included; hidden weights' values excluded, so the prover's
    /// full program and the verifier's key have one digest; Spec/zk.md §4).
    public var digest: Digest {
        var ctx = SHA256.Context()
        var tag = Array("zkvm/program/v1".utf8)
        tag += [UInt8](repeating: 0, count: 64 - tag.count)
        ctx.update(tag)
        ctx.update(publicPart.encoded())
        return ctx.finalized()
    }

    /// This program without the values of its private and committed
    /// weights: everything a verifier needs, nothing it must not see.
    public var publicPart: Program {
        var copy = self
        for i in copy.tensors.indices where copy.tensors[i].visibility != .public { copy.tensors[i].data = nil }
        return copy
    }

    /// Whether the program has committed weights (only weights can be committed).
    public var hasCommittedWeights: Bool { tensors.contains { $0.visibility == .committed } }

    /// The committed weight tensors, in declaration order (commitment order).
    public var committedWeights: [TensorDeclaration] { tensors.filter { $0.visibility == .committed } }

    /// Whether every weight's values are present (a program that can run).
    public var hasAllWeights: Bool { tensors.allSatisfy { $0.kind != .weights || $0.data != nil } }

    /// Decodes and validates a `.zkbin`; hostile bytes give an `ISAError`
    /// naming the byte offset, never a trap, and allocations are bounded by
    /// the bytes present.
    public static func decode(_ bytes: [UInt8]) throws(ISAError) -> Program {
        var r = ByteReader(bytes)
        func wrap<T>(_ body: (inout ByteReader) throws(FieldError) -> T) throws(ISAError) -> T {
            do { return try body(&r) } catch { throw .truncated(offset: r.offset) }
        }
        let magic = try wrap { (r: inout ByteReader) throws(FieldError) in Array(try r.readBytes(4)) }
        guard magic == Program.magic else { throw .badMagic }
        let version = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt16() }
        guard version == Program.formatVersion else { throw .unsupportedVersion(version) }
        let flagsAt = r.offset
        let flags = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt16() }
        guard flags == 0 else { throw .invalidField(name: "flags", value: Int64(flags), offset: flagsAt) }
        let memAt = r.offset
        let memory = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt64() }
        guard memory <= UInt64(Program.maxMemory) else {
            throw .invalidField(name: "memory size", value: Int64(bitPattern: memory), offset: memAt)
        }
        func count(_ name: String, max: Int, minimumItemSize: Int) throws(ISAError) -> Int {
            let at = r.offset
            let n = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt32() }
            guard Int(n) <= max, Int(n) <= r.remaining / minimumItemSize else {
                throw .invalidField(name: name, value: Int64(n), offset: at)
            }
            return Int(n)
        }
        var tensors: [TensorDeclaration] = []
        for _ in 0..<(try count("tensor count", max: Program.maxTensors, minimumItemSize: 16)) {
            let nameLength = Int(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt16() })
            let nameAt = r.offset
            let nameBytes = try wrap { (r: inout ByteReader) throws(FieldError) in Array(try r.readBytes(nameLength)) }
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                throw .invalidField(name: "tensor name", value: Int64(nameLength), offset: nameAt)
            }
            let kindAt = r.offset
            let kindRaw = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() }
            guard let kind = TensorKind(rawValue: kindRaw) else { throw .invalidField(name: "tensor kind", value: Int64(kindRaw), offset: kindAt) }
            let visRaw = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() }
            guard let visibility = Visibility(rawValue: visRaw) else { throw .invalidField(name: "visibility", value: Int64(visRaw), offset: kindAt + 1) }
            let scale = Int(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() })
            let bitsAt = r.offset
            let bits = Int(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() })
            guard TensorDeclaration.allowedBits.contains(bits) else { throw .invalidField(name: "tensor width", value: Int64(bits), offset: bitsAt) }
            let rankAt = r.offset
            let rank = Int(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() })
            guard rank <= Program.maxRank else { throw .invalidField(name: "rank", value: Int64(rank), offset: rankAt) }
            var shape: [Int] = []
            var cells = 1
            for _ in 0..<rank {
                let dimAt = r.offset
                let d = Int(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt32() })
                guard d >= 1, d <= Int(Program.maxMemory) else { throw .invalidField(name: "dimension", value: Int64(d), offset: dimAt) }
                cells *= d
                guard cells <= Int(Program.maxMemory) else { throw .invalidField(name: "tensor size", value: Int64(cells), offset: dimAt) }
                shape.append(d)
            }
            let address = Int64(bitPattern: try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt64() })
            let hasDataAt = r.offset
            let hasData = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() }
            var data: [Int64]? = nil
            if hasData == 1 {
                guard r.remaining / 8 >= cells else { throw .truncated(offset: r.offset) }
                var values = [Int64]()
                values.reserveCapacity(cells)
                for _ in 0..<cells { values.append(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readInt64() }) }
                data = values
            } else if hasData != 0 {
                throw .invalidField(name: "data flag", value: Int64(hasData), offset: hasDataAt)
            }
            tensors.append(TensorDeclaration(name: name, shape: shape, scale: scale, kind: kind,
                                             visibility: visibility, address: address, data: data, bits: bits))
        }
        var tables: [LookupTableSpec] = []
        for _ in 0..<(try count("table count", max: 256, minimumItemSize: 3)) {
            let at = r.offset
            let code = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() }
            guard let function = ActivationFunction(code: code & 0x7F) else { throw .invalidField(name: "table function", value: Int64(code), offset: at) }
            let fi = Int(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() })
            let fo = Int(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() })
            var spec = LookupTableSpec(function: function, inputScale: fi, outputScale: fo)
            if code & 0x80 != 0 {
                spec.inputLow = Int64(Int32(bitPattern: try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt32() }))
                spec.inputHigh = Int64(Int32(bitPattern: try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt32() }))
            }
            tables.append(spec)
        }
        var descriptors: [TensorOperation] = []
        for _ in 0..<(try count("descriptor count", max: Program.maxCode, minimumItemSize: 9)) {
            let at = r.offset
            let tag = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readUInt8() }
            guard let fieldCount = TensorOperation.fieldCount(tag: tag) else {
                throw .invalidField(name: "descriptor tag", value: Int64(tag), offset: at)
            }
            var fields: [Int64] = []
            for _ in 0..<fieldCount { fields.append(try wrap { (r: inout ByteReader) throws(FieldError) in try r.readInt64() }) }
            guard let op = TensorOperation(tag: tag, fields: fields) else {
                throw .invalidField(name: "descriptor", value: Int64(tag), offset: at)
            }
            descriptors.append(op)
        }
        var code: [Instruction] = []
        for _ in 0..<(try count("instruction count", max: Program.maxCode, minimumItemSize: 16)) {
            let at = r.offset
            let raw = try wrap { (r: inout ByteReader) throws(FieldError) in Array(try r.readBytes(8)) }
            guard let opcode = Opcode(rawValue: raw[0]) else { throw .invalidField(name: "opcode", value: Int64(raw[0]), offset: at) }
            guard raw[5] == 0, raw[6] == 0, raw[7] == 0 else { throw .invalidField(name: "padding", value: 0, offset: at + 5) }
            let imm = try wrap { (r: inout ByteReader) throws(FieldError) in try r.readInt64() }
            code.append(Instruction(opcode, rd: raw[1], ra: raw[2], rb: raw[3], rc: raw[4], imm: imm))
        }
        guard r.remaining == 0 else { throw .trailingBytes(offset: r.offset) }
        let program = Program(memorySize: Int64(memory), tensors: tensors, tables: tables,
                              descriptors: descriptors, code: code)
        try program.validate()
        // Canonical: re-encoding must reproduce the input exactly.
        guard program.encoded() == bytes else { throw .invalidProgram("non-canonical encoding") }
        return program
    }
}
