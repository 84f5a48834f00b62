import Assembler
import Foundation
@testable import Importer
import ISA
import ONNXProto
import Testing
import VM

/// ONNX integer tensors keep ONNX's meaning or are refused with the node
/// (Spec/onnx-import.md §3.5), and comparisons are exact on the
/// fixed-point values.
@Suite struct IntegerSemanticsTests {
    /// A graph of `nodes` over the float or int64 input X of `shape`, with
    /// int64 or float initializers, whose output is Y.
    static func model(_ nodes: [(op: String, inputs: [String], output: String, to: Int?)], input: Int32 = 1,
                      shape: [Int] = [1, 4], integers: [String: [Int64]] = [:], floats: [String: [Float]] = [:]) -> Onnx_ModelProto {
        var g = Onnx_GraphProto()
        g.input = [ModelBuilding.input("X", elemType: input, dims: ModelBuilding.dims(shape))]
        g.initializer = integers.sorted { $0.key < $1.key }.map { ModelBuilding.initializer($0.key, integers: $0.value) }
            + floats.sorted { $0.key < $1.key }.map { ModelBuilding.initializer($0.key, floats: $0.value) }
        g.node = nodes.enumerated().map { i, n in
            ModelBuilding.node(n.op, n.inputs, n.output, name: "n\(i)_\(n.op)", attributes: n.to.map { ["to": $0] } ?? [:])
        }
        var y = Onnx_ValueInfoProto()
        y.name = "Y"
        g.output = [y]
        return ModelBuilding.model(g)
    }

    static func importing(_ m: Onnx_ModelProto) throws -> ImportedModel {
        let graph = try ModelLoader.decode(try m.serializedData(), folder: nil, inputShapes: [:])
        return try Importer.importGraph(graph, name: "test.onnx", calibration: nil, options: .init(), weightFolder: "w")
    }

    static func error(_ m: Onnx_ModelProto) -> String {
        do { _ = try importing(m); return "" } catch { return "\(error)" }
    }

    /// Constant integer division truncates towards zero, as ONNX does:
    /// 7 / 2 = 3 and −7 / 2 = −3, so Y = X · (3, −3, 3, −3).
    @Test func constantIntegerDivisionTruncates() throws {
        let m = try Self.importing(Self.model([
            ("Div", ["A", "B"], "Q", nil), ("Cast", ["Q"], "F", 1), ("Mul", ["X", "F"], "Y", nil),
        ], integers: ["A": [7, -7, 7, -7], "B": [2]]))
        #expect(m.floatValues([[1, 1, 1, 1]])[m.outputs[0].zkasm] == [3, -3, 3, -3])
    }

    /// A cast of a computed real to an integer type would be proved with a
    /// real meaning: it is refused with the node that asks for it.
    @Test func castsOfComputedRealsToIntegersAreRefused() {
        let cast = Self.error(Self.model([("Cast", ["X"], "Y", 7)]))
        #expect(cast.contains("n0_Cast") && cast.contains("cast of a computed real tensor to an integer type"), "\(cast)")
        // An integer input that only moves and adds stays allowed, and a boolean cast back to float too.
        #expect(Self.error(Self.model([("Add", ["X", "X"], "S", nil), ("Cast", ["S"], "Y", 1)], input: 7)) == "")
        #expect(Self.error(Self.model([("Greater", ["X", "Z"], "G", nil), ("Cast", ["G"], "Y", 1)], floats: ["Z": [0]])) == "")
    }

    /// Comparisons are exact on the fixed-point values: one step of the
    /// operands' scale apart is enough, equal raw values are equal, and a
    /// selection copies the chosen value exactly.
    @Test func comparisonsAreExactInFixedPoint() throws {
        let m = try Self.importing(Self.model([
            ("Greater", ["X", "Z"], "G", nil), ("Equal", ["X", "Z"], "E", nil), ("LessOrEqual", ["X", "Z"], "L", nil),
            ("Cast", ["G"], "GF", 1), ("Cast", ["E"], "EF", 1), ("Cast", ["L"], "LF", 1),
            ("Where", ["G", "X", "Z"], "W", nil), ("Concat", ["GF", "EF", "LF", "W"], "Y", nil),
        ], floats: ["Z": [0.5]]))
        let program = try Fixtures.assemble(m)
        let machine = Machine(program: program)
        let scale = program.tensors.first { $0.kind == .input }!.scale
        let step = 1.0 / Double(1 << scale)
        let x = [0.5 + step, 0.5, 0.5 - step, 2]
        let out = try machine.run(inputs: [x]).outputs[0].values
        #expect(Array(out[0..<4]) == [1, 0, 0, 1], "Greater")
        #expect(Array(out[4..<8]) == [0, 1, 0, 0], "Equal")
        #expect(Array(out[8..<12]) == [0, 1, 1, 0], "LessOrEqual")
        #expect(Array(out[12..<16]) == [0.5 + step, 0.5, 0.5, 2], "Where")
    }

    /// Integers stay integers through every operator that keeps its data
    /// input's type (a clamp, a matmul), so a later division still
    /// truncates; operators whose integer results ONNX rounds are refused on
    /// integers; casts to bool or to a narrower type are refused on
    /// computed integers, and fold with onnxruntime's wrapping on constants.
    @Test func integerTypesFollowTheDataInput() throws {
        let clipped = try Self.importing(Self.model([("Clip", ["X", "Z"], "C", nil), ("Div", ["C", "B"], "Y", nil)], input: 7,
                                                    integers: ["B": [2], "Z": [0]]))
        #expect(clipped.floatValues([[7, -3, 5, 9]])[clipped.outputs[0].zkasm] == [3, 0, 2, 4])
        let mean = Self.error(Self.model([("ReduceMean", ["X"], "Y", nil)], input: 7))
        #expect(mean.contains("ReduceMean on an integer tensor"), "\(mean)")
        let toBool = Self.error(Self.model([("Cast", ["X"], "B", 9), ("Cast", ["B"], "Y", 1)], input: 7))
        #expect(toBool.contains("to bool"), "\(toBool)")
        let narrow = Self.error(Self.model([("Cast", ["X"], "N", 2), ("Cast", ["N"], "Y", 1)], input: 7))
        #expect(narrow.contains("narrower than int32"), "\(narrow)")
        // A comparison's result casts to bool and back; int64 to int32 keeps V.
        #expect(Self.error(Self.model([("Greater", ["X", "Z"], "G", nil), ("Cast", ["G"], "B", 9), ("Cast", ["B"], "Y", 1)],
                                      floats: ["Z": [0]])) == "")
        #expect(Self.error(Self.model([("Cast", ["X"], "I", 6), ("Cast", ["I"], "Y", 1)], input: 7)) == "")
        // Constants wrap as onnxruntime does: 300 → uint8 44, −1 → uint8 255, 200 → int8 −56.
        let m = try Self.importing(Self.model([
            ("Cast", ["A"], "U", 2), ("Cast", ["U"], "F", 1), ("Mul", ["X", "F"], "Y", nil),
        ], shape: [1, 3], integers: ["A": [300, -1, 200]]))
        #expect(m.floatValues([[1, 1, 1]])[m.outputs[0].zkasm] == [44, 255, 200])
        let signed = try Self.importing(Self.model([
            ("Cast", ["A"], "U", 3), ("Cast", ["U"], "F", 1), ("Mul", ["X", "F"], "Y", nil),
        ], shape: [1, 3], integers: ["A": [300, -1, 200]]))
        #expect(signed.floatValues([[1, 1, 1]])[signed.outputs[0].zkasm] == [44, -1, -56])
    }

    /// Whole exponents go by products, so a negative base keeps ONNX's sign:
    /// (−2)^5 = −32 and (−2)^−3 = −1/8.
    @Test func wholePowersOfNegativeBases() throws {
        for (p, expected) in [(5.0, -32.0), (-3.0, -0.125), (2.0, 4.0)] {
            let m = try Self.importing(Self.model([("Pow", ["X", "P"], "Y", nil)], shape: [1, 1], floats: ["P": [Float(p)]]))
            let y = m.floatValues([[-2]])[m.outputs[0].zkasm]!
            #expect(abs(y[0] - expected) < 1e-12, "(−2)^\(p) = \(y[0])")
        }
    }

    /// Tile and Trilu fold on constants (a causal mask is a constant) and
    /// run as a copy and a masked product on computed tensors, as numpy's
    /// tile and triu: the upper triangle of a 3×3 from k = 0, and [a, b]
    /// tiled twice.
    @Test func tileAndTriluFoldAndRun() throws {
        let mask = try Self.importing(Self.model([("Reshape", ["C", "S"], "C2", nil), ("Trilu", ["C2", "K"], "M", nil),
                                                  ("Mul", ["X", "M"], "Y", nil)], shape: [3, 3],
                                                 integers: ["K": [0], "S": [3, 3]], floats: ["C": [Float](repeating: 1, count: 9)]))
        #expect(mask.floatValues([[1, 2, 3, 4, 5, 6, 7, 8, 9]])[mask.outputs[0].zkasm] == [1, 2, 3, 0, 5, 6, 0, 0, 9])
        let folded = try Self.importing(Self.model([("Trilu", ["X", "K"], "Y", nil)], shape: [3, 3], integers: ["K": [1]]))
        #expect(folded.floatValues([[1, 2, 3, 4, 5, 6, 7, 8, 9]])[folded.outputs[0].zkasm] == [0, 2, 3, 0, 0, 6, 0, 0, 0])
        let tiled = try Self.importing(Self.model([("Tile", ["X", "R"], "Y", nil)], shape: [1, 2], integers: ["R": [1, 2]]))
        #expect(tiled.floatValues([[5, 7]])[tiled.outputs[0].zkasm] == [5, 7, 5, 7])
        #expect(tiled.source.contains("copy"))
    }

    /// An integer input is declared at scale 0, so its values are whole
    /// numbers in the program and the proof (2.6 arrives as 3).
    @Test func integerInputsAreWholeNumbers() throws {
        let m = try Self.importing(Self.model([("Gather", ["T", "X"], "Y", nil)], input: 7, floats: ["T": [10, 11, 12, 13, 14]]))
        #expect(m.source.contains("scale=0"), "\(m.source)")
        #expect(try Machine.run(m, [2.6, 0.2, -1.4, 4]) == [13, 10, 14, 14])
    }

    /// A whole-number input does not coarsen what it meets: X + 0.3 and
    /// (X − 127.5)/127.5 keep their fractions.
    @Test func integerInputsKeepTheScaleOfWhatTheyMeet() throws {
        let m = try Self.importing(Self.model([
            ("Cast", ["X"], "F", 1), ("Add", ["F", "C"], "Y", nil),
        ], input: 7, floats: ["C": [0.3]]))
        let run = try Machine.run(m, [3, 0, -2, 100])
        #expect(zip(run, [3.3, 0.3, -1.7, 100.3]).allSatisfy { abs($0 - $1) < 0.001 }, "\(run)")
        let centered = try Self.importing(Self.model([
            ("Cast", ["X"], "F", 1), ("Sub", ["F", "M"], "D", nil), ("Div", ["D", "M"], "Y", nil),
        ], input: 2, floats: ["M": [127.5]]))
        let values = try Machine.run(centered, [128, 127, 255, 0])
        #expect(zip(values, [0.5, -0.5, 127.5, -127.5].map { $0 / 127.5 }).allSatisfy { abs($0 - $1) < 0.001 }, "\(values)")
    }

    /// A boolean input reads any value ≠ 0 as true, as ONNX does.
    @Test func booleanInputsAreTrueWhenNonZero() throws {
        let m = try Self.importing(Self.model([("Where", ["X", "A", "B"], "Y", nil)], input: 9,
                                              floats: ["A": [5], "B": [-5]]))
        #expect(try Machine.run(m, [2, 0, -3, 1]) == [5, -5, 5, 5])
    }
}
