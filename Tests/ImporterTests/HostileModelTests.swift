import Foundation
@testable import Importer
import ONNXProto
import Testing

/// Hostile and malformed models (Spec/onnx-import.md §5): every one is an
/// `ImportError` naming the problem, never a trap or an unbounded allocation.
@Suite struct HostileModelTests {
    /// Y = X · W + B with X [1, 4] (the seed every test mutates).
    static func model(inputDims: [Onnx_TensorShapeProto.Dimension]? = nil, weights: [Float] = [1, 2, 3, 4, 5, 6, 7, 8],
                      op: String = "MatMul") -> Onnx_ModelProto {
        var g = Onnx_GraphProto()
        g.input = [ModelBuilding.input("X", elemType: 1, dims: inputDims ?? ModelBuilding.dims([1, 4]))]
        var w = Onnx_TensorProto()
        w.name = "W"
        w.dims = [4, 2]
        w.dataType = 1
        w.floatData = weights
        g.initializer = [w]
        var node = Onnx_NodeProto()
        node.name = "layer1"
        node.opType = op
        node.input = ["X", "W"]
        node.output = ["Y"]
        g.node = [node]
        var y = Onnx_ValueInfoProto()
        y.name = "Y"
        g.output = [y]
        return ModelBuilding.model(g)
    }

    static func importing(_ m: Onnx_ModelProto, folder: URL? = nil, shapes: [String: [Int]] = [:]) throws -> ImportedModel {
        let graph = try ModelLoader.decode(try m.serializedData(), folder: folder, inputShapes: shapes)
        return try Importer.importGraph(graph, name: "test.onnx", calibration: nil, options: .init(), weightFolder: "w")
    }

    static func error(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func theSeedImports() throws {
        let m = try Self.importing(Self.model())
        #expect(m.source.contains("matmul"))
        #expect(m.floatValues([[1, 0, 0, 1]])[m.outputs[0].zkasm] == [8, 10])
    }

    @Test func truncationsAndBitFlipsNeverTrap() throws {
        let bytes = try Self.model().serializedData()
        var failures = 0
        for n in 0..<bytes.count {
            do { _ = try ModelLoader.decode(bytes.prefix(n), folder: nil) } catch { failures += 1 }
        }
        #expect(failures >= bytes.count - 2, "almost every truncation must fail")
        for i in 0..<bytes.count {
            var flipped = bytes
            flipped[i] ^= 1 << UInt8(i % 8)
            // Decoding and importing either succeed or throw; a trap fails the whole run.
            if let graph = try? ModelLoader.decode(flipped, folder: nil) {
                _ = try? Importer.importGraph(graph, name: "x", calibration: nil, options: .init(), weightFolder: "w")
            }
        }
        #expect(Self.error { _ = try ModelLoader.decode(Data("not a model".utf8), folder: nil) }.contains("not a valid ONNX model"))
    }

    @Test func nonFiniteWeightsAreRefused() {
        let message = Self.error { _ = try Self.importing(Self.model(weights: [1, 2, .nan, 4, 5, 6, 7, 8])) }
        #expect(message.contains("initializer 'W'") && message.contains("element 2") && message.contains("nan"))
        // An infinity loads (it may be an attention mask) but cannot become stored weights.
        let infinite = Self.error { _ = try Self.importing(Self.model(weights: [1, 2, 3, 4, 5, 6, 7, .infinity])) }
        #expect(infinite.contains("a constant holds inf at element 7") && infinite.contains("only as a Where mask"), "\(infinite)")
    }

    @Test func absurdShapesAreRefusedBeforeAllocating() {
        var m = Self.model()
        m.graph.initializer[0].dims = [1 << 20, 1 << 20]   // 2^40 elements, no data
        #expect(Self.error { _ = try Self.importing(m) }.contains("more than"))
        let bomb = (0..<100).map { _ in var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = 1; return d }
        #expect(Self.error { _ = try Self.importing(Self.model(inputDims: bomb)) }.contains("rank 100"))
        var negative = Self.model()
        negative.graph.initializer[0].dims = [-4, 2]
        #expect(Self.error { _ = try Self.importing(negative) }.contains("negative dimension"))
        var mismatch = Self.model()
        mismatch.graph.initializer[0].dims = [4, 3]
        #expect(Self.error { _ = try Self.importing(mismatch) }.contains("8 values for shape [4, 3]"))
    }

    @Test func dynamicDimensionsNeedAConcreteShape() throws {
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "N"
        var four = Onnx_TensorShapeProto.Dimension()
        four.dimValue = 4
        let m = Self.model(inputDims: [batch, four])
        let message = Self.error { _ = try Self.importing(m) }
        #expect(message.contains("dynamic dimension 0 ('N')") && message.contains("--input-shape X="))
        #expect(try Self.importing(m, shapes: ["X": [1, 4]]).inputs[0].shape == [1, 4])
        #expect(Self.error { _ = try Self.importing(m, shapes: ["Z": [1, 4]]) }.contains("not a graph input"))
    }

    @Test func unsupportedOperatorsNameTheNodeAndTheSupportedList() {
        let message = Self.error { _ = try Self.importing(Self.model(op: "Loop")) }
        #expect(message.hasPrefix("node 'layer1' (Loop): operator Loop is not supported (supported: Abs, Add, And, ArgMax"))
        var wrongShape = Self.model()
        wrongShape.graph.initializer[0].dims = [2, 4]
        #expect(Self.error { _ = try Self.importing(wrongShape) }.hasPrefix("node 'layer1' (MatMul): inner dimensions differ"))
        var foreign = Self.model()
        foreign.graph.node[0].domain = "ai.onnx.ml"
        #expect(Self.error { _ = try Self.importing(foreign) }.contains("operator MatMul of the ai.onnx.ml domain is not supported"))
        foreign.graph.node[0].domain = "com.microsoft"
        #expect(Self.error { _ = try Self.importing(foreign) }.contains("operator domain 'com.microsoft' is not supported"))
    }

    @Test func externalDataStaysInsideTheModelsFolder() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("zkvm-import-\(UUID().uuidString)")
        let folder = base.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let weights = (1...8).map { Float($0) }
        let bytes = weights.withUnsafeBufferPointer { Data(buffer: $0) }
        try bytes.write(to: folder.appendingPathComponent("w.bin"))
        try bytes.write(to: base.appendingPathComponent("outside.bin"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.bin"),
                                                   withDestinationURL: base.appendingPathComponent("outside.bin"))
        func external(_ location: String) -> Onnx_ModelProto {
            var m = Self.model()
            m.graph.initializer[0].floatData = []
            m.graph.initializer[0].dataLocation = .external
            var entry = Onnx_StringStringEntryProto()
            entry.key = "location"
            entry.value = location
            m.graph.initializer[0].externalData = [entry]
            return m
        }
        let inside = try Self.importing(external("w.bin"), folder: folder)
        #expect(inside.floatValues([[1, 0, 0, 0]])[inside.outputs[0].zkasm] == [1, 2])
        for hostile in ["../outside.bin", "/etc/passwd", "sub/../../outside.bin", "link.bin"] {
            #expect(Self.error { _ = try Self.importing(external(hostile), folder: folder) }.contains("leaves the model's folder"),
                    "\(hostile) was read")
        }
        #expect(Self.error { _ = try Self.importing(external("missing.bin"), folder: folder) }.contains("cannot"))
    }
}

/// Models that trapped the importer before review fixes
/// (Fixtures/hostile, written by Tools/make_hostile_models.py): each is an
/// error naming the problem now.
@Suite struct ReviewedHostileModelTests {
    static let expected: [String: String] = [
        "A1_concat_scalar": "axis 0 is out of range for rank 0",
        "A2_gather_scalar": "axis 0 is out of range for rank 0",
        "A3_argmax_scalar": "axis 0 is out of range for rank 0",
        "A4_concat_scalar_consts": "axis 0 is out of range for rank 0",
        "B_matmul_scalar": "operands must have rank ≥ 1",
        "C1_pad_huge": "padding must be in 0…2^20",
        "C2_pad_product": "padding must be in 0…2^20",
        "C3_expand_huge": "is too large",
        "D1_expand_const": "exceeds 16777216 elements",
        "E_range_neg": "empty tensors are not supported",
        "F2_clip7_nan": "clip bounds must not be NaN",
        "G_neg_noinput": "missing input 0",
        "H1_bn_after_conv_1input": "needs an input and constant weights",
        "H2_bn_zero_channels": "empty tensors are not supported",
        "I1_slice_empty": "empty tensors are not supported",
        "I2_relu_zero_dim": "empty tensors are not supported",
        "L_mul_by_3e38": "cannot be represented in the VM's range",
    ]

    @Test(arguments: expected.keys.sorted())
    func reviewedModelIsRefusedWithAMessage(_ name: String) throws {
        let url = Fixtures.root.appendingPathComponent("hostile/\(name).onnx")
        let message = HostileModelTests.error { _ = try Importer.importModel(url) }
        #expect(message.contains(Self.expected[name]!), "\(name): \(message)")
    }
}

/// Random byte mutations of a model that uses most operators (the `ops`
/// fixture): decoding, folding, lowering and quantization either succeed or
/// throw; a trap would end the test run (SECURITY-PLAN G.16).
@Suite struct ImporterMutationFuzzTests {
    @Test func mutatedModelsNeverTrap() throws {
        let seed = try Data(contentsOf: Fixtures.model("ops"))
        var rng = SplitMix64(seed: 0xF022)
        var imported = 0, refused = 0
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<(1 + Int(rng.next() % 6)) {
                let i = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[i] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
                case 1: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                default: bytes[i] = [0x00, 0x7F, 0x80, 0xFF][Int(rng.next() % 4)]
                }
            }
            do {
                let graph = try ModelLoader.decode(bytes, folder: nil)
                _ = try Importer.importGraph(graph, name: "fuzz", calibration: nil, options: .init(), weightFolder: "w")
                imported += 1
            } catch {
                refused += 1
            }
        }
        #expect(imported + refused == 3000)
        #expect(imported > 0, "some mutations (in weights) must still import")
        #expect(refused > 0, "mutations must be refused sometimes")
    }
}
