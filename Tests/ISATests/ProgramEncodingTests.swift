import Testing
import ISA
import TestSupport

@Suite struct ProgramEncodingTests {
    /// A small program exercising every descriptor kind and operand layout.
    static func sample() -> Program {
        let tensors = [
            TensorDeclaration(name: "x", shape: [1, 4], scale: 8, kind: .input, visibility: .private, address: 0),
            TensorDeclaration(name: "W", shape: [4, 3], scale: 8, kind: .weights, visibility: .public, address: 4,
                              data: (0..<12).map { Int64($0 * 37 - 200) }),
            TensorDeclaration(name: "h", shape: [1, 3], scale: 8, kind: .buffer, visibility: .private, address: 16),
            TensorDeclaration(name: "y", shape: [1], scale: 0, kind: .output, visibility: .public, address: 19),
        ]
        let descriptors: [TensorOperation] = [
            .matmul(.init(dst: 16, a: 0, b: 4, bias: nil, m: 1, k: 4, n: 3, aRowStride: 4, aColStride: 1,
                          bRowStride: 3, bColStride: 1, dstRowStride: 3, shift: 8)),
            .map(.init(dst: 16, src: 16, count: 3, function: .clamp(lo: 0, hi: FixedPoint.maxValue))),
            .map(.init(dst: 16, src: 16, count: 3, function: .lookup(table: 0))),
            .zip(.init(dst: 16, a: 16, b: 16, count: 3, bStride: 0, operation: .mul(shift: 8))),
            .copy(.init(dst: 16, src: 4, shape: [3, 1], strides: [1, 3])),
            .reduce(.init(dst: 19, src: 16, rows: 1, cols: 3, rowStride: 3, operation: .argmax)),
        ]
        let code: [Instruction] = [
            Instruction(.li, rd: 1, imm: 5),
            Instruction(.matmul, imm: 0), Instruction(.map, imm: 1), Instruction(.map, imm: 2),
            Instruction(.zip, imm: 3), Instruction(.copy, imm: 4),
            Instruction(.addi, rd: 1, ra: 1, imm: -1),
            Instruction(.bnz, rc: 1, imm: 1),
            Instruction(.ld, rd: 2, ra: 0, imm: 16), Instruction(.st, ra: 0, rb: 2, imm: 17),
            Instruction(.mulr, rd: 3, ra: 2, rb: 2, imm: 8), Instruction(.select, rd: 4, ra: 2, rb: 3, rc: 1),
            Instruction(.lut, rd: 5, ra: 4, imm: 0),
            Instruction(.reduce, imm: 5), Instruction(.halt),
        ]
        return Program(memorySize: 20, tensors: tensors,
                       tables: [LookupTableSpec(function: .sigmoid, inputScale: 8, outputScale: 8)],
                       descriptors: descriptors, code: code)
    }

    @Test func roundTripAndDigest() throws {
        let p = Self.sample()
        try p.validate()
        let bytes = p.encoded()
        #expect(Array(bytes.prefix(4)) == Array("ZKBN".utf8))
        let decoded = try Program.decode(bytes)
        #expect(decoded == p)
        #expect(decoded.encoded() == bytes)
        #expect(decoded.digest == p.digest)
        var changed = p
        changed.tensors[1].data![3] += 1
        #expect(changed.digest != p.digest, "public weights are bound by the digest")
        // Hidden weights are not: the verifier's public part has the prover's digest (Spec/zk.md §4).
        for visibility in [Visibility.private, .committed] {
            var hidden = p
            hidden.tensors[1].visibility = visibility
            try hidden.validate()
            var other = hidden
            other.tensors[1].data![3] += 1
            #expect(other.digest == hidden.digest && hidden.digest != p.digest)
            #expect(hidden.publicPart.tensors[1].data == nil && hidden.publicPart.digest == hidden.digest)
            let decoded = try Program.decode(hidden.publicPart.encoded())
            #expect(!decoded.hasAllWeights && decoded.digest == hidden.digest)
        }
        changed = p
        changed.tables[0].outputScale = 9
        #expect(changed.digest != p.digest, "table parameters are bound by the digest")
    }

    /// Every truncation and every single-bit flip decodes to an error or to a
    /// valid program — never a crash; truncations always fail.
    @Test func hostileBytesNeverCrash() {
        let bytes = Self.sample().encoded()
        for cut in 0..<bytes.count {
            #expect(throws: ISAError.self) { try Program.decode(Array(bytes.prefix(cut))) }
        }
        var accepted = 0
        for i in 0..<bytes.count {
            for bit in 0..<8 {
                var m = bytes
                m[i] ^= 1 << UInt8(bit)
                if let p = try? Program.decode(m) { accepted += 1; #expect(p.encoded() == m) }
            }
        }
        // Flips inside weight data or immediates can give another valid program;
        // everything structural is rejected.
        #expect(accepted < bytes.count * 8 / 2)
        var g = SeededGenerator(seed: 77)
        for length in [0, 1, 4, 8, 16, 64, 300, 5000] {
            for _ in 0..<50 {
                var random = (0..<length).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                if length >= 8 { random.replaceSubrange(0..<8, with: bytes[0..<8]) }
                _ = try? Program.decode(random)
            }
        }
        #expect(throws: ISAError.badMagic) { try Program.decode(Array("ZKBX".utf8) + bytes.dropFirst(4)) }
        #expect(throws: ISAError.trailingBytes(offset: bytes.count)) { try Program.decode(bytes + [0]) }
    }

    @Test func validationRejectsStructuralErrors() {
        func rejects(_ change: (inout Program) -> Void, _ fragment: String) {
            var p = Self.sample()
            change(&p)
            do {
                try p.validate()
                Issue.record("accepted: \(fragment)")
            } catch {
                #expect(String(describing: error).contains(fragment), "\(error)")
            }
        }
        rejects({ $0.tensors[2].address = 15 }, "must start at 16")
        rejects({ $0.tensors[3].address = 20 }, "outside memory")
        rejects({ $0.code[7].imm = 99 }, "jump target")
        rejects({ $0.code[0].rd = 0 }, "r0 is read-only")
        rejects({ $0.code[0].imm = 1 << 40 }, "value range")
        rejects({ $0.code[1].imm = 2 }, "is not a matmul")
        rejects({ $0.code.swapAt(2, 3) }, "used before")
        rejects({ $0.memorySize = 30 }, "memory size must be 20")
        rejects({ $0.code[14].rd = 3 }, "unused operand")
        rejects({ $0.code[10].imm = 40 }, "shift")
        rejects({ $0.tensors[1].data!.removeLast() }, "need 12 values")
        rejects({ $0.tensors[0].data = [1, 2, 3, 4] }, "only weights")
        rejects({ $0.tensors[0].name = "W" }, "duplicate")
        rejects({ $0.descriptors[2] = .map(.init(dst: 16, src: 16, count: 3, function: .lookup(table: 4))) }, "no table")
        rejects({ $0.code = [] }, "no instructions")
    }
}
