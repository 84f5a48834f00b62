import Foundation
@testable import Importer
import ONNXProto
import Testing
import VM

/// A graph without inputs computes constants (Spec/onnx-import.md §1): it
/// imports, its program runs on no inputs and outputs the folded values.
@Suite struct GraphWithoutInputsTests {
    @Test func constantsAreTheOutputs() throws {
        var g = Onnx_GraphProto()
        g.initializer = [ModelBuilding.initializer("A", floats: [1.5, -2, 0.25])]
        var relu = Onnx_NodeProto()
        relu.opType = "Relu"
        relu.name = "relu"
        relu.input = ["A"]
        relu.output = ["Y"]
        g.node = [relu]
        var y = Onnx_ValueInfoProto()
        y.name = "Y"
        g.output = [y]
        let m = try IntegerSemanticsTests.importing(ModelBuilding.model(g))
        #expect(m.inputs.isEmpty)
        let run = try Machine(program: try Fixtures.assemble(m)).run(inputs: [])
        #expect(run.outputs[0].values == [1.5, 0, 0.25])
    }
}
