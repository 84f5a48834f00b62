import Foundation
@testable import Importer
import ONNXProto
import Testing
import VM

/// Bitwise operations, shifts and truncating division of integer tensors
/// (Spec/onnx-import.md §3.8) against Swift's own fixed-width integer
/// operations, run by the VM on the quantized program: exact on every
/// value, the extremes of V included.
@Suite struct BitwiseAndDivisionTests {
    /// A graph over the integer inputs `inputs` (name, ONNX type) of shape
    /// [1, n] whose nodes' results are cast to float and concatenated into Y.
    static func model(inputs: [(String, Int32)], n: Int,
                      nodes: [(op: String, inputs: [String], attributes: [String: Any])],
                      initializers: [Onnx_TensorProto] = []) -> Onnx_ModelProto {
        var g = Onnx_GraphProto()
        g.input = inputs.map { ModelBuilding.input($0.0, elemType: $0.1, dims: ModelBuilding.dims([1, n])) }
        g.initializer = initializers
        var results = [String]()
        for (i, spec) in nodes.enumerated() {
            g.node += [ModelBuilding.node(spec.op, spec.inputs, "r\(i)", name: "n\(i)_\(spec.op)", attributes: spec.attributes),
                       ModelBuilding.node("Cast", ["r\(i)"], "f\(i)", name: "c\(i)", attributes: ["to": 1])]
            results.append("f\(i)")
        }
        g.node.append(ModelBuilding.node("Concat", results, "Y", name: "concat", attributes: ["axis": 1]))
        var y = Onnx_ValueInfoProto()
        y.name = "Y"
        g.output = [y]
        return ModelBuilding.model(g)
    }

    /// Imports with `calibration` (one sample: every input's values), runs
    /// the VM on each sample, and checks the float reference agrees.
    static func run(_ m: Onnx_ModelProto, calibration: [[Double]], samples: [[[Double]]]) throws -> [[Double]] {
        let graph = try ModelLoader.decode(try m.serializedData(), folder: nil, inputShapes: [:])
        let imported = try Importer.importGraph(graph, name: "test.onnx", calibration: calibration.flatMap { $0 }.isEmpty ? nil : calibration.map { $0 },
                                                options: .init(), weightFolder: "w")
        let machine = Machine(program: try Fixtures.assemble(imported))
        return try samples.map { x in
            let out = try machine.run(inputs: x).outputs[0].values
            #expect(out == imported.floatValues(x)[imported.outputs[0].zkasm]!, "the float reference differs from the VM")
            return out
        }
    }

    /// Values across V: its extremes but −2^31 (whose floor steps leave V), powers of two and their neighbours, random ones.
    static func extremes(_ count: Int, seed: UInt64) -> [Int32] {
        var rng = SplitMix64(seed: seed)
        let fixed: [Int32] = [Int32.max, Int32.min + 1, -1, 0, 1, 1 << 30, -(1 << 30), (1 << 30) - 1, 255, -256, 0x5555_5555, -0x5555_5555]
        return fixed + (0..<(count - fixed.count)).map { _ in Int32(truncatingIfNeeded: rng.next()) | 1 }.map { $0 == Int32.min ? 1 : $0 }
    }

    @Test func bitwiseOperationsAreTwosComplementExact() throws {
        let n = 24
        let m = Self.model(inputs: [("A", 6), ("B", 6)], n: n, nodes: [
            ("BitwiseAnd", ["A", "B"], [:]), ("BitwiseOr", ["A", "B"], [:]), ("BitwiseXor", ["A", "B"], [:]), ("BitwiseNot", ["A"], [:]),
        ])
        let a = Self.extremes(n, seed: 1), b = Self.extremes(n, seed: 2).reversed().map { $0 }
        let calibration = [a.map(Double.init), b.map(Double.init)]
        let out = try Self.run(m, calibration: calibration, samples: [calibration])[0]
        let expected = zip(a, b).map { Double($0 & $1) } + zip(a, b).map { Double($0 | $1) } + zip(a, b).map { Double($0 ^ $1) }
            + a.map { Double(~$0) }
        #expect(out == expected)
    }

    @Test func integerDivisionTruncatesAndModFollowsFmod() throws {
        let n = 24
        var rng = SplitMix64(seed: 3)
        let a = Self.extremes(n, seed: 4)
        // Divisors of every sign and size below 2^30 (long division's bound), never 0.
        let b: [Int32] = (0..<n).map { i in
            let magnitude = Int32(truncatingIfNeeded: rng.next() % UInt64(1 << (1 + i % 29))) + 1
            return i % 2 == 0 ? magnitude : -magnitude
        }
        let m = Self.model(inputs: [("A", 6), ("B", 6)], n: n, nodes: [
            ("Div", ["A", "B"], [:]), ("Mod", ["A", "B"], ["fmod": 1]), ("Mod", ["A", "B"], [:]),
            ("Div", ["A", "Seven"], [:]), ("Mod", ["A", "MinusFour"], [:]),
        ], initializers: [Self.int32("Seven", [7]), Self.int32("MinusFour", [-4])])
        let calibration = [a.map(Double.init), b.map(Double.init)]
        let out = try Self.run(m, calibration: calibration, samples: [calibration])[0]
        /// Python's remainder: the divisor's sign.
        func floorMod(_ x: Int32, _ y: Int32) -> Int32 { let r = x % y; return r != 0 && (r < 0) != (y < 0) ? r + y : r }
        let expected = zip(a, b).map { Double($0 / $1) } + zip(a, b).map { Double($0 % $1) } + zip(a, b).map { Double(floorMod($0, $1)) }
            + a.map { Double($0 / 7) } + a.map { Double(floorMod($0, -4)) }
        #expect(out == expected)
    }

    @Test func shiftsOfUnsignedIntegersWrapToTheirWidth() throws {
        let n = 16
        let u: [UInt8] = [0, 1, 2, 127, 128, 129, 200, 255, 254, 3, 64, 37, 99, 250, 17, 85]
        let k: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1, 0]
        let m = Self.model(inputs: [("U", 2), ("K", 2)], n: n, nodes: [
            ("BitShift", ["U", "K"], ["direction": "LEFT"]), ("BitShift", ["U", "K"], ["direction": "RIGHT"]),
            ("BitShift", ["U", "Three"], ["direction": "LEFT"]), ("BitwiseNot", ["U"], [:]),
        ], initializers: [Self.uint8("Three", [3])])
        let calibration = [u.map(Double.init), k.map(Double.init)]
        let out = try Self.run(m, calibration: calibration, samples: [calibration])[0]
        let expected = zip(u, k).map { Double($0 << $1) } + zip(u, k).map { Double($0 >> $1) } + u.map { Double($0 << 3) }
            + u.map { Double(~$0) }
        #expect(out == expected)
    }

    /// Constants fold in their type's width; what needs a width it cannot
    /// know, or a direction it does not have, is refused with the node.
    @Test func foldingAndRefusals() throws {
        let folded = Self.model(inputs: [("U", 2)], n: 2, nodes: [
            ("Add", ["U", "NotC"], [:]),
        ], initializers: [Self.uint8("C", [5, 250])])
        var g = folded.graph
        g.node.insert(ModelBuilding.node("BitwiseNot", ["C"], "NotC", name: "fold_not"), at: 0)
        var m = folded
        m.graph = g
        let out = try Self.run(m, calibration: [[0, 3]], samples: [[[1, 2]]])[0]
        #expect(out == [1 + 250, 2 + 5])

        let wide = IntegerSemanticsTests.error(Self.model(inputs: [("A", 13)], n: 2, nodes: [("BitwiseNot", ["A"], [:])]))
        #expect(wide.contains("n0_BitwiseNot") && wide.contains("uint64"), "\(wide)")
        let direction = IntegerSemanticsTests.error(Self.model(inputs: [("U", 2)], n: 2, nodes: [("BitShift", ["U", "U"], ["direction": "UP"])]))
        #expect(direction.contains("n0_BitShift") && direction.contains("LEFT or RIGHT"), "\(direction)")
    }

    /// Integer arithmetic in a type narrower than 32 bits wraps to its
    /// width as onnxruntime computes it — computed or folded — and an input
    /// outside its type is read as the type holds it.
    @Test func narrowIntegerArithmeticWraps() throws {
        let m = Self.model(inputs: [("U", 2), ("V", 2), ("S", 3), ("T", 3)], n: 3, nodes: [
            ("Sub", ["U", "V"], [:]), ("Add", ["U", "V"], [:]), ("Mul", ["U", "V"], [:]),
            ("Div", ["S", "T"], [:]), ("Neg", ["S"], [:]), ("Abs", ["S"], [:]), ("Add", ["U", "Folded"], [:]),
            ("Identity", ["U"], [:]),
        ], initializers: [Self.uint8("Big", [200, 200, 200]), Self.uint8("More", [100, 100, 100])])
        var g = m.graph
        g.node.insert(ModelBuilding.node("Add", ["Big", "More"], "Folded", name: "fold_add"), at: 0)
        var model = m
        model.graph = g
        let (u, v, a, b): ([Double], [Double], [Double], [Double]) = ([1, 200, 255], [10, 100, 2], [-128, 100, -7], [-1, 3, 2])
        let out = try Self.run(model, calibration: [u, v, a, b], samples: [[u, v, a, b], [[300, -1, 7], v, a, b]])
        func u8(_ x: Int) -> Double { Double(UInt8(truncatingIfNeeded: x)) }
        func i8(_ x: Int) -> Double { Double(Int8(truncatingIfNeeded: x)) }
        let expected: [Double] = zip(u, v).map { u8(Int($0) - Int($1)) } + zip(u, v).map { u8(Int($0) + Int($1)) }
            + zip(u, v).map { u8(Int($0) * Int($1)) } + zip(a, b).map { i8(Int($0) / Int($1)) } + a.map { i8(-Int($0)) }
            + a.map { i8(abs(Int($0))) } + u.map { u8(Int($0) + 44) } + u
        #expect(out[0] == expected)
        // 300 and −1 are not uint8 values: they are read as 44 and 255.
        #expect(Array(out[1].suffix(3)) == [44, 255, 7])
    }

    /// What the VM would compute with another meaning is refused, naming the node.
    @Test func integerOperationsOutsideTheirDomainAreRefused() throws {
        func error(_ inputs: [(String, Int32)], _ nodes: [(op: String, inputs: [String], attributes: [String: Any])],
                   _ initializers: [Onnx_TensorProto] = []) -> String {
            IntegerSemanticsTests.error(Self.model(inputs: inputs, n: 2, nodes: nodes, initializers: initializers))
        }
        #expect(error([("B", 9)], [("BitwiseNot", ["B"], [:])]).contains("not booleans"))
        #expect(error([("B", 9), ("C", 9)], [("Div", ["B", "C"], [:])]).contains("not booleans"))
        #expect(error([("A", 6)], [("BitShift", ["A", "A"], ["direction": "RIGHT"])]).contains("unsigned integers"))
        #expect(error([("W", 12)], [("BitwiseNot", ["W"], [:])]).contains("uint32"))
        #expect(error([("W", 12), ("K", 12)], [("BitShift", ["W", "K"], ["direction": "LEFT"])]).contains("computed amount"))
        #expect(error([("X", 6)], [("Resize", ["X", "", "Scales"], ["mode": "linear"])],
                      [ModelBuilding.initializer("Scales", floats: [1, 2])]).contains("nearest"))
        var big = Onnx_TensorProto()
        big.name = "Big"
        big.dataType = 7
        big.dims = [1]
        big.int64Data = [(1 << 62) + 7]
        let folded = IntegerSemanticsTests.error(Self.foldedAnd(big))
        #expect(folded.contains("beyond ±2^53"), "\(folded)")
    }

    /// Bitwise And of a 2^62 + 7 constant with itself, folded, added to the input.
    static func foldedAnd(_ big: Onnx_TensorProto) -> Onnx_ModelProto {
        var m = Self.model(inputs: [("A", 7)], n: 1, nodes: [("Add", ["A", "M"], [:])], initializers: [big])
        m.graph.node.insert(ModelBuilding.node("BitwiseAnd", ["Big", "Big"], "M", name: "fold_and"), at: 0)
        return m
    }

    /// OneHot's values, not its indices, give its type: float values divide as reals.
    @Test func oneHotTakesItsValuesType() throws {
        var one = Onnx_TensorProto()
        one.name = "Depth"
        one.dataType = 7
        one.dims = []
        one.int64Data = [2]
        let m = Self.model(inputs: [("I", 7)], n: 1, nodes: [
            ("OneHot", ["I", "Depth", "Values"], [:]),
        ], initializers: [one, ModelBuilding.initializer("Values", floats: [1.5, 7.5])])
        var g = m.graph
        g.node[0].output = ["H"]
        g.node.insert(ModelBuilding.node("Div", ["H", "Two"], "r0", name: "halve"), at: 1)
        g.initializer.append(ModelBuilding.initializer("Two", floats: [2]))
        var model = m
        model.graph = g
        let out = try Self.run(model, calibration: [[0, 1]], samples: [[[1]]])[0]
        #expect(out == [0.75, 3.75])
    }

    static func int32(_ name: String, _ values: [Int32]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = 6
        t.dims = [Int64(values.count)]
        t.int32Data = values
        return t
    }

    static func uint8(_ name: String, _ values: [UInt8]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = 2
        t.dims = [Int64(values.count)]
        t.int32Data = values.map(Int32.init)
        return t
    }
}
