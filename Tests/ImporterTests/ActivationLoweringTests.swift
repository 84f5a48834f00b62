import Foundation
@testable import Importer
import ISA
import ONNXProto
import Testing
import VM
import VMArithmetization

/// Activations lowered by cost and by known ranges (Spec/onnx-import.md
/// §3.2, §4.1): a small GELU is ReLU minus a closed residual table, a large
/// one a single lookup; a logarithm of a sigmoid plus a constant gets a
/// closed table from the range the sigmoid bounds. Each keeps following the
/// float model, beyond the calibration too.
@Suite struct ActivationLoweringTests {
    /// X [1, n] → the nodes in order (each one input, one output) → Y; constants as initializers.
    static func chain(_ n: Int, _ ops: [(op: String, constant: Float?)]) -> Onnx_ModelProto {
        var m = HostileModelTests.model(op: "Relu")
        m.opsetImport[0].version = 20
        var dim = Onnx_TensorShapeProto.Dimension()
        dim.dimValue = 1
        var width = Onnx_TensorShapeProto.Dimension()
        width.dimValue = Int64(n)
        m.graph.input[0].type.tensorType.shape.dim = [dim, width]
        m.graph.initializer = []
        m.graph.node = []
        var previous = "X"
        for (k, step) in ops.enumerated() {
            var node = Onnx_NodeProto()
            node.name = "n\(k)"
            node.opType = step.op
            node.input = [previous]
            if let c = step.constant {
                var t = Onnx_TensorProto()
                t.name = "c\(k)"
                t.dataType = 1
                t.floatData = [c]
                m.graph.initializer.append(t)
                node.input.append(t.name)
            }
            previous = k == ops.count - 1 ? "Y" : "t\(k)"
            node.output = [previous]
            m.graph.node.append(node)
        }
        return m
    }

    static func worstError(_ m: ImportedModel, _ inputs: [[Double]]) throws -> Double {
        let program = try Fixtures.assemble(m)
        var worst = 0.0
        for x in inputs {
            let float = m.floatValues([x])[m.outputs[0].zkasm]!
            let run = try Machine(program: program).run(inputs: [x]).outputs[0].values
            worst = max(worst, zip(run, float).map { abs($0 - $1) }.max()!)
        }
        return worst
    }

    @Test func geluIsReLUMinusAClosedResidualUpToItsLimit() throws {
        for n in [12, Lowering.residualGeluLimit + 1] {
            let m = try HostileModelTests.importing(Self.chain(n, [("Gelu", nil)]))
            let program = try Fixtures.assemble(m)
            let functions = program.tables.map(\.function)
            if n <= Lowering.residualGeluLimit {
                #expect(functions == [.geluResidual] && m.source.contains("clamp, lo=0") && m.source.contains("sub"))
                #expect(try VMAir(program: program).activationDomains[0].count <= 1 << 13)
            } else {
                #expect(functions == [.gelu] && !m.source.contains("gelu_residual"))
            }
            // From −6 to 6: beyond the residual table's domain (±4.4) and the calibration's [−1, 1].
            let x = (0..<n).map { -6 + 12 * Double($0) / Double(n - 1) }
            #expect(try Self.worstError(m, [x]) <= 3.0 / 4096, "n = \(n)")
        }
    }

    @Test func aSigmoidPlusAConstantBoundsTheLogarithmsTable() throws {
        let m = try HostileModelTests.importing(Self.chain(8, [("Sigmoid", nil), ("Add", 0.25), ("Log", nil)]))
        let program = try Fixtures.assemble(m)
        let log = try #require(program.tables.first { $0.function == .log })
        // [0.25, 1.25] at the table's input scale, give or take the margin: closed on both sides.
        let width = Double(log.inputHigh - log.inputLow) / Double(1 << log.inputScale)
        #expect(log.inputLow > LookupTableSpec.domainMin && log.inputHigh < LookupTableSpec.domainMax && width < 1.01, "\(log)")
        let x = (0..<8).map { -40 + 80 * Double($0) / 7 }
        #expect(try Self.worstError(m, [x]) <= 4.0 / 4096)
    }
}
