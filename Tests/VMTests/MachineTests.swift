import Testing
import ISA
import VM
import TestSupport

/// Instruction semantics against independent reference computations.
@Suite struct MachineTests {
    /// Builds a program with the given tensors laid out contiguously.
    static func program(_ tensors: [(String, [Int], TensorKind, [Int64]?)], tables: [LookupTableSpec] = [],
                        descriptors: [TensorOperation] = [], code: [Instruction]) -> Program {
        var address: Int64 = 0
        var decls: [TensorDeclaration] = []
        for (name, shape, kind, data) in tensors {
            decls.append(TensorDeclaration(name: name, shape: shape, scale: 0, kind: kind, visibility: .private,
                                           address: address, data: data))
            address += Int64(shape.reduce(1, *))
        }
        return Program(memorySize: address, tensors: decls, tables: tables, descriptors: descriptors, code: code)
    }

    static func rescaleReference(_ x: Int64, _ s: Int) -> Int64 {
        s == 0 ? x : Int64((Double(x) / Double(1 << s) + 0.5).rounded(.down))
    }

    /// Scalar ALU: every register op on random operands, result stored to an output.
    @Test func scalarArithmetic() throws {
        var g = SeededGenerator(seed: 91)
        for _ in 0..<300 {
            let a = Int64(Int32(truncatingIfNeeded: g.next()) >> Int32(g.next() % 20))
            let b = Int64(Int32(truncatingIfNeeded: g.next()) >> Int32(g.next() % 20))
            let s = Int64(g.next() % 16)
            let ops: [(Opcode, Int64?)] = [
                (.add, a + b), (.sub, a - b), (.mul, a * b), (.mulr, Self.rescaleReference(a * b, Int(s))),
                (.lt, a < b ? 1 : 0), (.eq, a == b ? 1 : 0), (.min, Swift.min(a, b)), (.max, Swift.max(a, b)),
            ]
            for (op, expected) in ops {
                let code = [Instruction(.li, rd: 1, imm: a), Instruction(.li, rd: 2, imm: b),
                            Instruction(op, rd: 3, ra: 1, rb: 2, imm: op == .mulr ? s : 0),
                            Instruction(.st, ra: 0, rb: 3, imm: 0), Instruction(.halt)]
                let p = Self.program([("y", [1], .output, nil)], code: code)
                try p.validate()
                let run = Machine(program: p)
                if let expected, FixedPoint.inRange(expected) {
                    #expect(try run.run(rawInputs: []).outputs[0].raw == [expected], "\(op) \(a) \(b)")
                } else {
                    #expect(throws: VMError.self) { try run.run(rawInputs: []) }
                }
            }
        }
    }

    @Test func selectRescaleLoadStoreAndBranches() throws {
        // Sum 1..10 with a loop, then select and rescale.
        let code = [
            Instruction(.li, rd: 1, imm: 10),           // 0: i = 10
            Instruction(.li, rd: 2, imm: 0),            // 1: acc = 0
            Instruction(.add, rd: 2, ra: 2, rb: 1),     // 2: acc += i
            Instruction(.addi, rd: 1, ra: 1, imm: -1),  // 3: i -= 1
            Instruction(.bnz, rc: 1, imm: 2),           // 4: loop
            Instruction(.rescale, rd: 3, ra: 2, imm: 2), // 5: 55/4 → 14 (13.75 rounds up)
            Instruction(.select, rd: 4, ra: 2, rb: 3, rc: 0), // 6: r0 = 0 → picks rb (14)
            Instruction(.st, ra: 0, rb: 2, imm: 0), Instruction(.st, ra: 0, rb: 3, imm: 1),
            Instruction(.st, ra: 0, rb: 4, imm: 2),
            Instruction(.ld, rd: 5, ra: 0, imm: 0), Instruction(.bz, rc: 5, imm: 0), // not taken
            Instruction(.jmp, imm: 13), Instruction(.halt),
        ]
        let p = Self.program([("y", [3], .output, nil)], code: code)
        try p.validate()
        let r = try Machine(program: p).run(rawInputs: [])
        #expect(r.outputs[0].raw == [55, 14, 14])
        #expect(r.steps == 2 + 3 * 10 + 9)
    }

    @Test func matmulMatchesNaiveProduct() throws {
        var g = SeededGenerator(seed: 92)
        let (m, k, n) = (3, 5, 4)
        let a = (0..<m * k).map { _ in Int64(g.next() % 2001) - 1000 }
        let w = (0..<k * n).map { _ in Int64(g.next() % 2001) - 1000 }
        let bias = (0..<n).map { _ in Int64(g.next() % 20001) - 10000 }
        let desc = TensorOperation.matmul(.init(dst: Int64(m * k + k * n + n), a: 0, b: Int64(m * k), bias: Int64(m * k + k * n),
                                                m: Int64(m), k: Int64(k), n: Int64(n), aRowStride: Int64(k), aColStride: 1,
                                                bRowStride: Int64(n), bColStride: 1, dstRowStride: Int64(n), shift: 4))
        let p = Self.program([("a", [m, k], .input, nil), ("w", [k, n], .weights, w), ("b", [n], .weights, bias),
                              ("y", [m, n], .output, nil)],
                             descriptors: [desc], code: [Instruction(.matmul, imm: 0), Instruction(.halt)])
        try p.validate()
        let r = try Machine(program: p).run(rawInputs: [a])
        var expected: [Int64] = []
        for i in 0..<m {
            for j in 0..<n {
                var acc = bias[j]
                for t in 0..<k { acc += a[i * k + t] * w[t * n + j] }
                expected.append(Self.rescaleReference(acc, 4))
            }
        }
        #expect(r.outputs[0].raw == expected)
        #expect(r.multiplyAccumulates == m * k * n)
    }

    @Test func mapZipReduceCopy() throws {
        let x: [Int64] = [-5, 3, 0, 9, -2, 7]
        let descs: [TensorOperation] = [
            .map(.init(dst: 6, src: 0, count: 6, function: .clamp(lo: 0, hi: FixedPoint.maxValue))),       // relu → r
            .zip(.init(dst: 12, a: 0, b: 6, count: 6, operation: .add)),                                    // x + relu
            .zip(.init(dst: 18, a: 0, b: 3, count: 6, bStride: 0, operation: .mul(shift: 1))),              // x·9 / 2
            .reduce(.init(dst: 24, src: 0, rows: 2, cols: 3, rowStride: 3, operation: .sum(shift: 0))),
            .reduce(.init(dst: 25, src: 0, rows: 2, cols: 3, rowStride: 3, operation: .argmax)),
            .reduce(.init(dst: 26, src: 0, rows: 2, cols: 3, rowStride: 3, operation: .max)),
            .copy(.init(dst: 27, src: 0, shape: [3, 2], strides: [1, 3])),                                  // transpose
        ]
        let code = (0..<descs.count).map { Instruction(descs[$0].opcode, imm: Int64($0)) } + [Instruction(.halt)]
        let p = Self.program([("x", [2, 3], .input, nil), ("r", [6], .buffer, nil), ("s", [6], .buffer, nil),
                              ("m", [6], .buffer, nil), ("y", [9], .output, nil)], descriptors: descs, code: code)
        try p.validate()
        let state = try Machine(program: p).run(rawInputs: [x])
        let y = state.outputs[0].raw
        #expect(y[0] == x.reduce(0, +))
        #expect(y[1] == 3)          // first maximum, 9 at flat index 3
        #expect(y[2] == 9)
        #expect(Array(y[3...]) == [-5, 9, 3, -2, 0, 7])
    }

    @Test func lookupsCountAndClamp() throws {
        let table = LookupTableSpec(function: .sigmoid, inputScale: 8, outputScale: 8)
        let desc = TensorOperation.map(.init(dst: 3, src: 0, count: 3, function: .lookup(table: 0)))
        let p = Self.program([("x", [3], .input, nil), ("y", [3], .output, nil)], tables: [table], descriptors: [desc],
                             code: [Instruction(.map, imm: 0), Instruction(.halt)])
        let r = try Machine(program: p).run(rawInputs: [[0, 1 << 20, -(1 << 20)]])
        let t = table.generate()
        #expect(r.outputs[0].raw == [128, t.last!, t.first!])
        #expect(r.lookups == [3])
    }

    @Test func faults() throws {
        func run(_ code: [Instruction], steps: Int = 1000) throws -> ExecutionResult {
            try Machine(program: Self.program([("y", [1], .output, nil)], code: code)).run(rawInputs: [], maxSteps: steps)
        }
        let big = FixedPoint.maxValue
        #expect(throws: VMError.valueOutOfRange(pc: 2, value: String(2 * big))) {
            try run([Instruction(.li, rd: 1, imm: big), Instruction(.li, rd: 2, imm: big), Instruction(.add, rd: 3, ra: 1, rb: 2), Instruction(.halt)])
        }
        // (−2^31)² = 2^62 is outside the accumulator range (2^61): a fault, not a trap.
        #expect(throws: VMError.self) {
            try run([Instruction(.li, rd: 1, imm: FixedPoint.minValue), Instruction(.mulr, rd: 3, ra: 1, rb: 1, imm: 31), Instruction(.halt)])
        }
        #expect(throws: VMError.addressOutOfRange(pc: 1, address: 5)) {
            try run([Instruction(.li, rd: 1, imm: 5), Instruction(.ld, rd: 2, ra: 1, imm: 0), Instruction(.halt)])
        }
        #expect(throws: VMError.stepLimit(pc: 0, steps: 50)) { try run([Instruction(.jmp, imm: 0)], steps: 50) }
        #expect(throws: VMError.fellOffEnd(pc: 1)) { try run([Instruction(.li, rd: 1, imm: 1)]) }
        let p = Self.program([("x", [2], .input, nil), ("y", [1], .output, nil)], code: [Instruction(.halt)])
        #expect(throws: VMError.self) { try Machine(program: p).run(inputs: [[1.0]]) }
        #expect(throws: VMError.self) { try Machine(program: p).run(inputs: [[1.0, .nan]]) }
        #expect(throws: VMError.self) { try Machine(program: p).run(inputs: []) }
    }
}

/// The element-wise operations not covered above, against direct formulas on
/// random data (including negative values and rounding ties).
@Suite struct ElementwiseTests {
    @Test func zipAndMapVariants() throws {
        var g = SeededGenerator(seed: 93)
        let n = 64
        let a = (0..<n).map { _ in Int64(g.next() % 20001) - 10000 }
        let b = (0..<n).map { _ in Int64(g.next() % 20001) - 10000 }
        let ops: [(TensorOperation.ZipOperation, (Int64, Int64) -> Int64)] = [
            (.sub, { $0 - $1 }), (.max, { Swift.max($0, $1) }), (.min, { Swift.min($0, $1) }),
            (.mul(shift: 3), { MachineTests.rescaleReference($0 * $1, 3) }),
        ]
        for (op, reference) in ops {
            let d = TensorOperation.zip(.init(dst: Int64(2 * n), a: 0, b: Int64(n), count: Int64(n), operation: op))
            let p = MachineTests.program([("a", [n], .input, nil), ("b", [n], .input, nil), ("y", [n], .output, nil)],
                                         descriptors: [d], code: [Instruction(.zip, imm: 0), Instruction(.halt)])
            #expect(try Machine(program: p).run(rawInputs: [a, b]).outputs[0].raw == zip(a, b).map(reference), "\(op)")
        }
        for s in [1, 2, 5] {
            let d = TensorOperation.map(.init(dst: Int64(n), src: 0, count: Int64(n), function: .rescale(shift: Int64(s))))
            let p = MachineTests.program([("a", [n], .input, nil), ("y", [n], .output, nil)],
                                         descriptors: [d], code: [Instruction(.map, imm: 0), Instruction(.halt)])
            #expect(try Machine(program: p).run(rawInputs: [a]).outputs[0].raw == a.map { MachineTests.rescaleReference($0, s) })
        }
        // mov and a taken bz.
        let code = [Instruction(.li, rd: 1, imm: -7), Instruction(.mov, rd: 2, ra: 1), Instruction(.bz, rc: 0, imm: 4),
                    Instruction(.li, rd: 2, imm: 99), Instruction(.st, ra: 0, rb: 2, imm: 0), Instruction(.halt)]
        let p = MachineTests.program([("y", [1], .output, nil)], code: code)
        #expect(try Machine(program: p).run(rawInputs: []).outputs[0].raw == [-7])
    }
}
