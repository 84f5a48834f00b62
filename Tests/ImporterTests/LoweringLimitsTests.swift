import Foundation
@testable import Importer
import ONNXProto
import Testing

/// Hostile attributes and shapes of the newer operators end in an error
/// naming the node — never a trap or an allocation they choose the size of.
@Suite struct LoweringLimitsTests {
    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    /// One node over X of `shape` with int64 or float initializers; Y its output.
    static func model(_ op: String, inputs: [String], shape: [Int], attributes: [Onnx_AttributeProto] = [],
                      integers: [String: [Int64]] = [:], floats: [String: [Float]] = [:]) -> Onnx_ModelProto {
        var node = Onnx_NodeProto()
        node.name = "n"
        node.opType = op
        node.input = inputs
        node.output = ["Y"]
        node.attribute = attributes
        let initializers = integers.sorted { $0.key < $1.key }.map { ModelBuilding.initializer($0.key, integers: $0.value) }
            + floats.sorted { $0.key < $1.key }.map { ModelBuilding.initializer($0.key, floats: $0.value) }
        return ModelBuilding.graph(input: shape, nodes: [node], initializers: initializers)
    }

    static func error(_ m: Onnx_ModelProto) -> String { IntegerSemanticsTests.error(m) }

    @Test func windowsLargerThanTheInputAreRefused() {
        let pool = Self.error(Self.model("MaxPool", inputs: ["X"], shape: [1, 1, 3, 3],
                                         attributes: [Self.ints("kernel_shape", [4, 4]), Self.ints("strides", [3, 3])]))
        #expect(pool.contains("the window [4, 4] is larger than the input [3, 3]"), "\(pool)")
        let huge = Self.error(Self.model("MaxPool", inputs: ["X"], shape: [1, 1, 4, 4],
                                         attributes: [Self.ints("kernel_shape", [200, 200]), Self.ints("pads", [100, 100, 100, 100])]))
        #expect(huge.contains("'n'") && huge.contains("more than 4096"), "\(huge)")
    }

    @Test func indicesOutsideTheirRangeAreRefused() {
        let far = Self.error(Self.model("GatherElements", inputs: ["X", "I"], shape: [2], integers: ["I": [Int64.max, 0]]))
        #expect(far.contains("is not an integer within ±2^62"), "\(far)")
        let scatter = Self.error(Self.model("ScatterElements", inputs: ["X", "I", "U"], shape: [2, 2],
                                            integers: ["I": [0, 1, 0]], floats: ["U": [1, 2, 3]]))
        #expect(scatter.contains("must match, have the data's rank"), "\(scatter)")
        let topK = Self.error(Self.model("TopK", inputs: ["X", "K"], shape: [1, 4], integers: ["K": [5]]))
        #expect(topK.contains("K = 5.0 must be 1…4"), "\(topK)")
    }

    @Test func resizesAreBoundedBeforeAllocating() {
        let big = Self.error(Self.model("Resize", inputs: ["X", "", "", "S"], shape: [1, 4096], integers: ["S": [1, 65536]]))
        #expect(big.contains("more than 2^24 entries"), "\(big)")
        let absurd = Self.error(Self.model("Resize", inputs: ["X", "", "S"], shape: [1, 4], floats: ["S": [1, 1e30]]))
        #expect(absurd.contains("elements"), "\(absurd)")
    }
}
