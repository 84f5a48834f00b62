import Assembler
import ISA
import Testing
import VM
import VMArithmetization

/// A matmul whose A operand is a pattern (Spec/isa.md §4): a convolution's
/// sliding windows read in place and its output written channel-major, on
/// both proving paths (the lane-wide dot tables for weights B, the tensor
/// micro-steps otherwise), against a naive convolution.
@Suite struct MatmulPatternTests {
    /// Input [C, H, W], kernel [M, C, KH, KW], stride s, output [M, OH, OW].
    struct Convolution {
        let c = 2, h = 5, w = 6, m = 3, kh = 3, kw = 2, stride = 2
        var oh: Int { (h - kh) / stride + 1 }
        var ow: Int { (w - kw) / stride + 1 }
        var input: [Int64] { (0..<(c * h * w)).map { Int64(($0 * 7919) % 23) - 11 } }
        var kernel: [Int64] { (0..<(m * c * kh * kw)).map { Int64(($0 * 104_729) % 17) - 8 } }
        var bias: [Int64] { (0..<m).map { Int64($0 * 5 - 4) } }

        /// The naive convolution: y[j, oy, ox] = bias_j + Σ x[ch, oy·s + ky, ox·s + kx]·K[j, ch, ky, kx].
        var expected: [Int64] {
            var y = [Int64](repeating: 0, count: m * oh * ow)
            for j in 0..<m {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var sum = bias[j]
                        for ch in 0..<c {
                            for ky in 0..<kh {
                                for kx in 0..<kw {
                                    sum += input[(ch * h + oy * stride + ky) * w + ox * stride + kx]
                                        * kernel[((j * c + ch) * kh + ky) * kw + kx]
                                }
                            }
                        }
                        y[(j * oh + oy) * ow + ox] = sum
                    }
                }
            }
            return y
        }

        /// The convolution as one patterned matmul; B = the kernel read as
        /// [C·KH·KW, M] (brs 1, bcs C·KH·KW); `weightsB` puts it in a
        /// weights tensor (dot tables), otherwise in a buffer filled by a copy (micro-steps).
        func source(weightsB: Bool) -> String {
            let k = c * kh * kw
            func list(_ v: [Int64]) -> String { "[" + v.map(String.init).joined(separator: ", ") + "]" }
            let matmul = "matmul y, x, \(weightsB ? "K" : "Kb"), bias, m=\(oh * ow), k=\(k), n=\(m), "
                + "arows=[\(oh), \(ow)], ars=[\(stride * w), \(stride)], acols=[\(c), \(kh), \(kw)], acs=[\(h * w), \(w), 1], "
                + "brs=1, bcs=\(k), drs=1, dcs=\(oh * ow), shift=0"
            return """
            .input x [\(c), \(h), \(w)] scale=0 public
            .weights K [\(m), \(k)] scale=0 raw \(list(kernel))
            .weights bias [\(m)] scale=0 raw \(list(bias))
            .buffer Kb [\(m), \(k)] scale=0
            .output y [\(m), \(oh), \(ow)] scale=0 public
            \(weightsB ? "" : "    copy Kb, K, shape=[\(m * k)], strides=[1]")
                \(matmul)
                halt
            """
        }
    }

    @Test(arguments: [true, false]) func convolutionWindowsAreReadInPlace(weightsB: Bool) throws {
        let conv = Convolution()
        let program = try Examples.assemble(conv.source(weightsB: weightsB))
        guard case .matmul(let mm) = program.descriptors.last! else { Issue.record("no matmul"); return }
        #expect(!mm.isPlain)
        #expect(try VMAir(program: program).shape.hasWeightsMatmuls == weightsB)
        let run = try Machine(program: program).run(rawInputs: [conv.input])
        #expect(run.outputs[0].raw == conv.expected)
        let file = try WeightsMatmulTests.prove(program, [conv.input])
        #expect(file.statement.publicOutputs == [conv.expected])
    }

    /// The long form encodes and decodes canonically; a plain matmul in the
    /// long form (tag 6) is rejected; inner extents must divide m and k.
    @Test func theLongFormIsCanonical() throws {
        let program = try Examples.assemble(Convolution().source(weightsB: true))
        let bytes = program.encoded()
        #expect(try Program.decode(bytes) == program)
        let text = Disassembler.text(of: program)
        #expect(text.contains("arows=[2, 3], ars=[12, 2], acols=[2, 3, 2], acs=[30, 6, 1]") && text.contains("dcs=6"))
        #expect(try Assembler.assemble(text, file: "again.zkasm").encoded() == bytes)

        var plain = program
        guard case .matmul(var mm) = plain.descriptors.last! else { return }
        (mm.aRowInner, mm.aRowInnerStride, mm.aColMiddle, mm.aColMiddleStride, mm.aColInner, mm.aColInnerStride) = (1, 0, 1, 0, 1, 0)
        mm.dstColStride = 1
        plain.descriptors[plain.descriptors.count - 1] = .matmul(mm)
        let plainBytes = plain.encoded()
        // Rewrite the plain descriptor in the long form: tag 6 and seven trailing fields (1, 1, 0, 1, 0, 1, 0).
        var fields = [Int64]()
        let (tag, f) = (UInt8(1), [mm.dst, mm.a, mm.b, 1, mm.bias!, mm.m, mm.k, mm.n, mm.aRowStride, mm.aColStride,
                                   mm.bRowStride, mm.bColStride, mm.dstRowStride, mm.shift])
        fields = f
        var short = [tag]
        for v in fields { withUnsafeBytes(of: v.littleEndian) { short += $0 } }
        var long = [UInt8(6)]
        for v in fields + [1, 1, 0, 1, 0, 1, 0] { withUnsafeBytes(of: v.littleEndian) { long += $0 } }
        guard let at = plainBytes.firstRange(of: short) else { Issue.record("descriptor bytes not found"); return }
        var rewritten = plainBytes
        rewritten.replaceSubrange(at, with: long)
        #expect(throws: ISAError.invalidProgram("non-canonical encoding")) { try Program.decode(rewritten) }

        var uneven = program
        guard case .matmul(var bad) = uneven.descriptors.last! else { return }
        bad.aRowInner = 4   // does not divide m = 6
        uneven.descriptors[uneven.descriptors.count - 1] = .matmul(bad)
        #expect(throws: ISAError.self) { try uneven.validate() }
        bad.aRowInner = 1   // an extent of 1 must have stride 0
        uneven.descriptors[uneven.descriptors.count - 1] = .matmul(bad)
        #expect(throws: ISAError.self) { try uneven.validate() }
        for change in [{ (m: inout TensorOperation.MatMul) in m.aColInner = 5 },          // 5·3 does not divide k = 12
                       { $0.aColMiddle = 0 }, { $0.aRowInner = -3 }, { $0.aColInner = 1 << 29 },
                       { $0.dstColStride = 1 << 29 }, { $0.aColMiddleStride = -(1 << 29) }] as [(inout TensorOperation.MatMul) -> Void] {
            guard case .matmul(var m) = program.descriptors.last! else { return }
            change(&m)
            var p = program
            p.descriptors[p.descriptors.count - 1] = .matmul(m)
            #expect(throws: ISAError.self) { try p.validate() }
        }
    }

    /// The VM checks every digit of the pattern: an inner stride that
    /// leaves memory faults before anything is read or written, though the
    /// plain corners a + i·ars + t·acs stay inside.
    @Test func anInnerDigitOutsideMemoryFaults() throws {
        let program = try Examples.assemble("""
        .input x [4] scale=0 public
        .weights w [4, 1] scale=0 raw [1, 2, 3, 4]
        .output y [2] scale=0 public
            matmul y, x, w, m=2, k=4, n=1, arows=[1, 2], ars=[0, 1], acols=[2, 2], acs=[1, -3], brs=1, bcs=1, drs=1
            halt
        """)
        #expect(throws: VMError.self) { try Machine(program: program).run(rawInputs: [[1, 2, 3, 4]]) }
    }

    /// Overlapping outputs (dcs = 0: every column of row i lands on one
    /// cell) are written in row-major order, so the last column wins, in the
    /// VM and in the proof alike.
    @Test func overlappingOutputsLandInRowMajorOrder() throws {
        let program = try Examples.assemble("""
        .input x [2, 2] scale=0 public
        .weights w [2, 3] scale=0 raw [1, 2, 3, 4, 5, 6]
        .output y [2] scale=0 public
            matmul y, x, w, m=2, k=2, n=3, ars=2, acs=1, brs=3, bcs=1, drs=1, dcs=0
            halt
        """)
        let x: [Int64] = [1, -2, 3, 5]
        let expected: [Int64] = [1 * 3 - 2 * 6, 3 * 3 + 5 * 6]
        #expect(try Machine(program: program).run(rawInputs: [x]).outputs[0].raw == expected)
        let file = try WeightsMatmulTests.prove(program, [x])
        #expect(file.statement.publicOutputs == [expected])
    }

    /// Pattern extents whose product overflows are an assembler error, not a trap.
    @Test func hugeExtentsAreErrors() {
        #expect(throws: AssemblerError.self) {
            try Assembler.assemble("""
            .input x [4] scale=0 public
            .weights w [4, 1] scale=0 raw [1, 2, 3, 4]
            .output y [1] scale=0 public
                matmul y, x, w, arows=[4294967296, 4294967296], ars=[0, 0], n=1, k=4
                halt
            """, file: "huge.zkasm")
        }
    }
}
