import Foundation
@testable import Importer
import Testing
import VM

/// The pieces a PyTorch transformer export needs (Spec/onnx-import.md
/// §3.1, §3.2, §3.4): −∞ attention masks before Softmax, embeddings by
/// computed indices and GELU spelled out in five nodes. The nanogpt
/// fixture checks them together against onnxruntime.
@Suite struct TransformerPartsTests {
    typealias Model = IntegerSemanticsTests

    /// Where(c, −∞, x) then Softmax: the masked elements get exactly 0,
    /// the others a softmax over the kept ones.
    @Test func maskedSoftmaxKeepsOnlyTheUnmaskedElements() throws {
        let m = try Model.importing(Model.model([
            ("Where", ["C", "NEG", "X"], "W", nil), ("Softmax", ["W"], "Y", nil),
        ], integers: ["C": [0, 1, 0, 1]], floats: ["NEG": [-.infinity]]))
        let x = [0.5, 3.0, -0.25, 2.0]
        let y = m.floatValues([x])[m.outputs[0].zkasm]!
        let kept = [exp(0.5), exp(-0.25)], sum = kept.reduce(0, +)
        #expect(y[1] == 0 && y[3] == 0)
        #expect(abs(y[0] - kept[0] / sum) < 1e-12 && abs(y[2] - kept[1] / sum) < 1e-12)
        let run = try Machine.run(m, x)
        #expect(run[1] == 0 && run[3] == 0 && abs(run[0] - kept[0] / sum) < 0.002 && abs(run[2] - kept[1] / sum) < 0.002, "\(run)")
    }

    @Test func infiniteMasksOutsideASoftmaxAreRefused() {
        let message = Model.error(Model.model([
            ("Where", ["C", "NEG", "X"], "W", nil), ("Add", ["W", "X"], "Y", nil),
        ], integers: ["C": [0, 1, 0, 1]], floats: ["NEG": [-.infinity]]))
        #expect(message.contains("supported only when a Softmax is its one reader"), "\(message)")
        let plus = Model.error(Model.model([
            ("Where", ["C", "POS", "X"], "W", nil), ("Softmax", ["W"], "Y", nil),
        ], integers: ["C": [0, 1, 0, 1]], floats: ["POS": [.infinity]]))
        #expect(plus.contains("−∞ as one whole branch"), "\(plus)")
    }

    /// Gather of a constant table by computed indices: one-hot rows times
    /// the table; a negative index counts from the end, one out of range
    /// gives 0 (onnxruntime refuses it).
    @Test func embeddingsGatherByComputedIndices() throws {
        let m = try Model.importing(Model.model([("Gather", ["T", "X"], "Y", nil)], input: 7,
                                                floats: ["T": [10, 11, 12, 13, 14]]))
        #expect(m.floatValues([[0, 4, -1, 2]])[m.outputs[0].zkasm]! == [10, 14, 14, 12])
        #expect(try Machine.run(m, [0, 4, -1, 2]) == [10, 14, 14, 12])
        #expect(try Machine.run(m, [7, -6, 1, 3]) == [0, 0, 11, 13])
    }

    /// (x · (1 + erf(x/√2))) · ½ becomes one gelu lookup.
    @Test func spelledOutGeluIsOneTableLookup() throws {
        let m = try Model.importing(Model.model([
            ("Div", ["X", "R2"], "D", nil), ("Erf", ["D"], "E", nil), ("Add", ["E", "ONE"], "A", nil),
            ("Mul", ["X", "A"], "M", nil), ("Mul", ["M", "HALF"], "Y", nil),
        ], floats: ["R2": [Float(2.0.squareRoot())], "ONE": [1], "HALF": [0.5]]))
        #expect(m.source.contains(", gelu") && !m.source.contains(", erf"), "\(m.source)")
        let x = [-1.5, -0.25, 0.5, 2.0]
        let y = m.floatValues([x])[m.outputs[0].zkasm]!
        for (v, g) in zip(x, y) { #expect(abs(g - v * 0.5 * (1 + erf(v / 2.0.squareRoot()))) < 1e-9) }
    }
}

extension Machine {
    /// Runs an imported model on one input and returns its first output's values.
    static func run(_ m: ImportedModel, _ x: [Double]) throws -> [Double] {
        try Machine(program: try Fixtures.assemble(m)).run(inputs: [x]).outputs[0].values
    }
}
