import Foundation
@testable import Importer
import ONNXProto
import Testing

/// Recurrent layers refuse what they cannot unroll with the node and the
/// reason (Spec/onnx-import.md §3.6); their values are checked against
/// onnxruntime on the lstm, gru and recurrent_variants fixtures and against
/// onnx's reference evaluator on recurrent_layout (FixtureAccuracyTests).
@Suite struct RecurrentTests {
    /// An LSTM over X: [3, 2, 2] (three steps, batch 2) with hidden size 2,
    /// random constant weights, extra inputs and attributes; Y is its Y_h.
    static func lstm(extraInputs: [String] = [], sequenceLengths: [Int64]? = nil,
                     attributes: [Onnx_AttributeProto] = []) -> Onnx_ModelProto {
        func tensor(_ name: String, _ dims: [Int]) -> Onnx_TensorProto {
            var t = Onnx_TensorProto()
            t.name = name
            t.dataType = 1
            t.dims = dims.map(Int64.init)
            t.floatData = (0..<dims.reduce(1, *)).map { Float(($0 * 37) % 11) / 11 - 0.5 }
            return t
        }
        var initializers = [tensor("W", [1, 8, 2]), tensor("R", [1, 8, 2]), tensor("B", [1, 16])]
        if let sequenceLengths { initializers.append(ModelBuilding.initializer("L", integers: sequenceLengths)) }
        var node = Onnx_NodeProto()
        node.name = "lstm"
        node.opType = "LSTM"
        node.input = ["X", "W", "R", "B"] + extraInputs
        node.output = ["", "Y"]
        node.attribute = attributes
        return ModelBuilding.graph(input: [3, 2, 2], nodes: [node], initializers: initializers)
    }

    static func attribute(_ name: String, int: Int? = nil, strings: [String]? = nil) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        if let int { a.type = .int; a.i = Int64(int) }
        if let strings { a.type = .strings; a.strings = strings.map { Data($0.utf8) } }
        return a
    }

    static func error(_ m: Onnx_ModelProto) -> String { IntegerSemanticsTests.error(m) }

    @Test func aPlainLSTMImports() throws {
        let m = try IntegerSemanticsTests.importing(Self.lstm())
        let y = m.floatValues([[0.5, -0.5, 0.25, 1, 0, 0.75, -1, 0.5, 0.1, 0.2, 0.3, 0.4]])[m.outputs[0].zkasm]!
        #expect(y.count == 4)
        // h = o ⊙ tanh(c) with o ∈ (0, 1): |h| < 1.
        #expect(y.allSatisfy { abs($0) < 1 } && y.contains { $0 != 0 })
    }

    @Test func variableSequenceLengthsAreRefused() {
        let message = Self.error(Self.lstm(extraInputs: ["L"], sequenceLengths: [3, 2]))
        #expect(message.contains("LSTM") && message.contains("sequence_lens must equal the sequence length 3"), "\(message)")
        // Lengths equal to the sequence length everywhere are no restriction.
        #expect(Self.error(Self.lstm(extraInputs: ["L"], sequenceLengths: [3, 3])) == "")
    }

    @Test func unsupportedAttributesAreRefused() {
        let forget = Self.error(Self.lstm(attributes: [Self.attribute("input_forget", int: 1)]))
        #expect(forget.contains("'lstm'") && forget.contains("input_forget"), "\(forget)")
        let activation = Self.error(Self.lstm(attributes: [
            Self.attribute("activations", strings: ["ThresholdedRelu", "Tanh", "Tanh"]),
        ]))
        #expect(activation.contains("recurrent activation 'thresholdedrelu' is not supported"), "\(activation)")
        let count = Self.error(Self.lstm(attributes: [Self.attribute("activations", strings: ["Sigmoid", "Tanh"])]))
        #expect(count.contains("needs 3 per direction"), "\(count)")
        let hidden = Self.error(Self.lstm(attributes: [Self.attribute("hidden_size", int: 3)]))
        #expect(hidden.contains("hidden_size 3 does not match W's 2"), "\(hidden)")
    }

    /// A computed initial state has its shape checked: [directions, batch, hidden].
    @Test func initialStateShapesAreChecked() {
        let message = Self.error(Self.lstm(extraInputs: ["", "X"]))
        #expect(message.contains("initial state has shape [3, 2, 2]; expected [1, 2, 2]"), "\(message)")
    }
}
