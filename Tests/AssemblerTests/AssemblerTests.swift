import Testing
import ISA
import VM
import Assembler
import TestSupport

@Suite struct AssemblerTests {
    static let mlp = """
    ; a two-layer perceptron on 4 inputs
    .input  x  [1, 4] scale=8
    .weights W1 [4, 3] scale=8 data [0.5, -0.25, 1, 0.125, 0.5, -1, 0, 0.75, 0.25, -0.5, 0.5, 0.5]
    .weights b1 [3] scale=16 raw [256, -512, 0]
    .buffer h  [1, 3] scale=8
    .weights W2 [3, 2] scale=8 data [1, -1, 0.5, 0.5, -0.25, 1]
    .output y  [1, 2] scale=8
    .output k  [] scale=0
    .table sig sigmoid in=8 out=8

        matmul h, x, W1, b1     ; shift = 8 + 8 − 8
        map    h, h, relu
        matmul y, h, W2
        map    y, y, lut sig
        reduce k, y, argmax
        halt
    """

    @Test func assemblesAndRunsAgainstAFloatReference() throws {
        let p = try Assembler.assemble(Self.mlp, file: "mlp.zkasm")
        #expect(p.code.count == 6)
        #expect(p.sourceLines == [11, 12, 13, 14, 15, 16])
        let x = [0.5, -1.0, 2.0, 0.25]
        let r = try Machine(program: p).run(inputs: [x])
        // Float reference.
        let w1: [Double] = [0.5, -0.25, 1, 0.125, 0.5, -1, 0, 0.75, 0.25, -0.5, 0.5, 0.5]
        let b1: [Double] = [256.0 / 65536, -512.0 / 65536, 0]
        let w2: [Double] = [1, -1, 0.5, 0.5, -0.25, 1]
        let h = (0..<3).map { j in max(0, (0..<4).reduce(b1[j]) { $0 + x[$1] * w1[$1 * 3 + j] }) }
        let y = (0..<2).map { j in 1 / (1 + Foundation_exp(-(0..<3).reduce(0.0) { $0 + h[$1] * w2[$1 * 2 + j] })) }
        let got = r.outputs[0].values
        for j in 0..<2 { #expect(abs(got[j] - y[j]) < 0.02, "y[\(j)] = \(got[j]) vs \(y[j])") }
        #expect(r.outputs[1].raw == [got[0] >= got[1] ? 0 : 1])
    }

    @Test func diagnosticsPointAtTheProblem() {
        func error(_ source: String) -> AssemblerError? {
            do { _ = try Assembler.assemble(source, file: "t.zkasm"); return nil } catch { return error }
        }
        let typo = error(".output y [1] scale=0\n    addd r1, r2, r3\n    halt\n")
        #expect(typo?.line == 2 && typo?.column == 5)
        #expect(typo?.message.contains("did you mean 'add'?") == true)
        #expect(typo?.description.hasPrefix("t.zkasm:2:5: error: unknown instruction 'addd'") == true)
        #expect(typo?.description.hasSuffix("\n    addd r1, r2, r3\n    ^") == true)

        let label = error(".output y [1] scale=0\nstart:\n    jmp strat\n")
        #expect(label?.message.contains("did you mean 'start'?") == true)
        #expect(label?.column == 9)

        #expect(error(".output y [1] scale=0\n    li r0, 5\n    halt")?.message.contains("r0 is read-only") == true)
        #expect(error(".output y [1] scale=0\n    li r16, 5\n    halt")?.message.contains("register") == true)
        #expect(error(".input x [2] scale=8\n.output y [2] scale=4\n    zip y, x, x, add\n    halt")?.message.contains("equal scales") == true)
        #expect(error(".input x [2] scal=8\n    halt")?.message.contains("did you mean 'scale'?") == true)
        #expect(error(".weights w [2] scale=8 data [1]\n    halt")?.message.contains("needs 2 values") == true)
        #expect(error(".weights w [1] scale=8 data [1e300]\n    halt")?.message.contains("does not fit") == true)
        #expect(error(".input x [3] scale=8\n.output y [1] scale=8\n    map y, x, sigmoi\n    halt")?.message.contains("did you mean 'sigmoid'?") == true)
        #expect(error("    halt\n.input x [1] scale=1") != nil)
        #expect(error("    li r1, \"x\"\n    halt") != nil)
    }

    /// Random bytes, random token soup and mutated programs never crash the
    /// assembler: every outcome is a program or an AssemblerError.
    @Test func fuzzNeverCrashes() {
        var g = SeededGenerator(seed: 99)
        let words = ["li", "add", "matmul", "map", "zip", "reduce", "copy", "r1", "r15", "x", "y", "[", "]", ",", "+", "-",
                     "=", "@", ":", "shift", "count", "99999999999", "-7", ".input", ".output", "scale", "[1,2]", "halt", "\"", ";"]
        for _ in 0..<3000 {
            var text: String
            switch g.next() % 3 {
            case 0:
                text = String(decoding: (0..<Int(g.next() % 200)).map { _ in UInt8(truncatingIfNeeded: g.next()) }, as: UTF8.self)
            case 1:
                text = (0..<Int(g.next() % 40)).map { _ in words[Int(g.next() % UInt64(words.count))] }
                    .joined(separator: g.next() % 4 == 0 ? "\n" : " ")
            default:
                var chars = Array(Self.mlp)
                for _ in 0..<3 { chars[Int(g.next() % UInt64(chars.count))] = Character(UnicodeScalar(UInt8(32 + g.next() % 90))) }
                text = String(chars)
            }
            _ = try? Assembler.assemble(text)
        }
    }
}

import Foundation
func Foundation_exp(_ x: Double) -> Double { Foundation.exp(x) }

@Suite struct DisassemblerTests {
    /// asm → disasm → asm gives the same bytes, and disasm is a fixed point.
    @Test func roundTrips() throws {
        let p = try Assembler.assemble(AssemblerTests.mlp)
        let text = Disassembler.text(of: p)
        let again = try Assembler.assemble(text, file: "disasm.zkasm")
        #expect(again.encoded() == p.encoded())
        #expect(Disassembler.text(of: again) == text)
        let decoded = try Program.decode(p.encoded())
        #expect(Disassembler.text(of: decoded) == text)
    }

    @Test func loopsAndEveryLayoutRoundTrip() throws {
        let source = """
        .input a [6] scale=4
        .buffer t [2, 3] scale=4
        .output s [1] scale=4
        .table e exp in=4 out=4
        .table c tanh in=4 out=4 lo=-40 hi=12
            li r1, 3
        loop:
            addi r1, r1, -1
            ld r2, [r1 + a]
            st r2, [r1 + t + 3]
            mulr r3, r2, r2, 4
            select r4, r1, r2, r3
            lut r5, r4, e
            rescale r6, r5, 1
            bnz r1, loop
            copy t, a, shape=[2, 3], strides=[1, 2]
            zip t + r1, t, a, mul
            map t, t, clamp, lo=-8, hi=8
            map t, t, exp
            map t, t, sigmoid, lo=-64, hi=64
            lut r7, r4, c
            reduce s, t, sum, rows=2, cols=3
            jmp end
        end:
            halt
        """
        let p = try Assembler.assemble(source)
        let text = Disassembler.text(of: p)
        #expect(try Assembler.assemble(text).encoded() == p.encoded(), "\(text)")
        #expect(p.tables.contains { $0.function == .tanh && $0.inputLow == -40 && $0.inputHigh == 12 })
        #expect(p.tables.contains { $0.function == .sigmoid && $0.inputLow == -64 && $0.inputHigh == 64 })
        _ = try Machine(program: p).run(inputs: [[1, -2, 3, 0.5, 0.25, -1]])
    }

    /// A table's input domain: inside the 16-bit domain, lo ≤ hi.
    @Test func tableDomainsAreChecked() {
        for line in [".table c tanh in=4 out=4 lo=5 hi=4", ".table c tanh in=4 out=4 lo=-40000", "    map y, x, exp, lo=3, hi=2"] {
            #expect(throws: AssemblerError.self, "\(line)") {
                try Assembler.assemble(".input x [2] scale=4\n.output y [2] scale=4\n\(line)\n    halt\n")
            }
        }
    }
}

/// Golden files pin the assembler's output (through its exact disassembly,
/// which includes the program digest and hence every encoded byte).
/// Regenerate with `zkvm disasm Programs/NAME/NAME.zkasm > Tests/AssemblerTests/Golden/NAME.disasm`
/// after an intended change.
@Suite struct GoldenAssemblyTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    @Test(arguments: ["logistic_regression", "cnn"])
    func disassemblyMatchesGolden(name: String) throws {
        let folder = Self.here.appendingPathComponent("../../Programs/\(name)").standardized
        let source = try String(contentsOf: folder.appendingPathComponent("\(name).zkasm"), encoding: .utf8)
        let program = try Assembler.assemble(source, file: "\(name).zkasm") { file in
            (try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(file))) as? [Double]) ?? []
        }
        let golden = try String(contentsOf: Self.here.appendingPathComponent("Golden/\(name).disasm"), encoding: .utf8)
        #expect(Disassembler.text(of: program) == golden)
    }
}

/// Inputs found by review that once trapped or misbehaved.
@Suite struct AssemblerRegressionTests {
    func error(_ source: String) -> AssemblerError? {
        do { _ = try Assembler.assemble(source, file: "r.zkasm"); return nil } catch { return error }
    }

    @Test func extremeOffsetsAreErrorsNotTraps() {
        for line in ["ld r1, [-9223372036854775808]", "ld r1, [1 + 9223372036854775807]",
                     "ld r1, [0 - -9223372036854775808]", "copy y, @-9223372036854775808"] {
            #expect(error(".output y [1] scale=0\n    \(line)\n    halt") != nil, "\(line)")
        }
    }

    @Test func namesMustBeShortIdentifiers() {
        #expect(error(".buffer \(String(repeating: "a", count: 70_000)) [] scale=0\n    halt")?.message.contains("cannot name a tensor") == true)
        #expect(error(".buffer R3 [] scale=0\n    halt") != nil)
        #expect(error(".buffer halt [] scale=0\n    halt") != nil)
    }

    @Test func repeatedAttributesAreRejected() {
        #expect(error(".weights w [1] scale=4 data [1.5] scale=8\n    halt")?.message.contains("scale is given twice") == true)
        #expect(error(".weights w [1] scale=4 data [1.5] raw [3]\n    halt")?.message.contains("data is given twice") == true)
    }

    @Test func crlfSourcesAssemble() throws {
        let p = try Assembler.assemble("; comment\r\n.output y [1] scale=0\r\n    li r1, 3\r\n    st r1, [y]\r\n    halt\r\n")
        #expect(p.code.count == 3 && p.sourceLines == [3, 4, 5])
    }

    @Test func biasMustFitItsTensor() {
        let source = ".input x [1, 2] scale=8\n.weights W [2, 3] scale=8 raw [1, 2, 3, 4, 5, 6]\n.weights b [2] scale=16 raw [1, 2]\n.output y [1, 3] scale=8\n    matmul y, x, W, b\n    halt"
        #expect(error(source)?.message.contains("bias needs 3 values") == true)
    }

    /// A legal but enormous tensor instruction is stopped by the step limit.
    @Test func tensorWorkCountsAgainstTheStepLimit() throws {
        let source = ".input x [4] scale=0\n.output y [4] scale=0\n    matmul y, x, x, m=1024, k=1024, n=1024, ars=0, acs=0, brs=0, bcs=0, drs=0, shift=0\n    halt"
        let p = try Assembler.assemble(source)
        #expect(throws: VMError.stepLimit(pc: 0, steps: 1_000_000)) { try Machine(program: p).run(rawInputs: [[1, 2, 3, 4]], maxSteps: 1_000_000) }
    }

    /// Unused register fields of tensor instructions must be zero (one encoding each).
    @Test func mapCannotCarryAnRbRegister() throws {
        var p = try Assembler.assemble(".input x [2] scale=0\n.output y [2] scale=0\n    map y, x, relu\n    halt")
        p.code[0].rb = 3
        #expect(throws: ISAError.self) { try p.validate() }
    }
}
