import Foundation
@testable import Importer
import ONNXProto
import Testing
import VM

/// Tree ensembles in the GEMM form against a plain walk down each tree,
/// on inputs that sit exactly on every threshold (so each branch mode's
/// tie goes the way ONNX says), and malformed ensembles refused with the
/// node and the reason (Spec/onnx-import.md §3.7). The exporters' own
/// models are checked against onnxruntime on the classic-ML fixtures.
@Suite struct ClassicMLTests {
    struct Branch { var id: Int, feature: Int, threshold: Double, mode: String, yes: Int, no: Int }

    /// Two trees over three features using all six branch modes; leaves
    /// carry weights for two targets.
    static let trees: [[Branch]] = [
        [Branch(id: 0, feature: 0, threshold: 0.5, mode: "BRANCH_LEQ", yes: 1, no: 2),
         Branch(id: 1, feature: 1, threshold: 0.25, mode: "BRANCH_LT", yes: 3, no: 4),
         Branch(id: 2, feature: 2, threshold: -0.5, mode: "BRANCH_GTE", yes: 5, no: 6),
         Branch(id: 5, feature: 0, threshold: 1.0, mode: "BRANCH_EQ", yes: 7, no: 8)],
        [Branch(id: 0, feature: 2, threshold: 0, mode: "BRANCH_GT", yes: 1, no: 2),
         Branch(id: 2, feature: 1, threshold: 0.5, mode: "BRANCH_NEQ", yes: 3, no: 4)],
    ]
    static let leaves: [[Int]] = [[3, 4, 6, 7, 8], [1, 3, 4]]
    static let base = [0.5, -1.0]

    /// Leaf (tree t, node id) has weight (id + 1)·(t + 1)·0.25 on target (id % 2), and −0.125 on the other.
    static func weights(_ tree: Int, _ leaf: Int) -> [Double] {
        var w = [-0.125, -0.125]
        w[leaf % 2] = Double(leaf + 1) * Double(tree + 1) * 0.25
        return w
    }

    /// The plain walk: from the root, follow each branch's test to a leaf.
    static func walk(_ x: [Double], shift: Double = 0) -> [Double] {
        var out = base
        for (t, branches) in trees.enumerated() {
            var id = 0
            while let b = branches.first(where: { $0.id == id }) {
                let v = x[b.feature], th = Double(Float(b.threshold + shift))
                let yes: Bool
                switch b.mode {
                case "BRANCH_LEQ": yes = v <= th
                case "BRANCH_LT": yes = v < th
                case "BRANCH_GTE": yes = v >= th
                case "BRANCH_GT": yes = v > th
                case "BRANCH_EQ": yes = v == th
                default: yes = v != th
                }
                id = yes ? b.yes : b.no
            }
            for k in 0..<2 { out[k] += weights(t, id)[k] }
        }
        return out
    }

    static func attribute(_ name: String, ints: [Int]? = nil, floats: [Double]? = nil, strings: [String]? = nil) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        if let ints { a.type = .ints; a.ints = ints.map(Int64.init) }
        if let floats { a.type = .floats; a.floats = floats.map(Float.init) }
        if let strings { a.type = .strings; a.strings = strings.map { Data($0.utf8) } }
        return a
    }

    /// A TreeEnsembleRegressor over X: [1, 3] with `trees`, edited by `change`.
    static func model(op: String = "TreeEnsembleRegressor", domain: String = "ai.onnx.ml",
                      change: (inout [String: Onnx_AttributeProto]) -> Void = { _ in }) -> Onnx_ModelProto {
        var treeIDs = [Int](), nodeIDs = [Int](), features = [Int](), values = [Double](), modes = [String](), yes = [Int](), no = [Int]()
        var targetTrees = [Int](), targetNodes = [Int](), targetIDs = [Int](), targetWeights = [Double]()
        for (t, branches) in trees.enumerated() {
            for b in branches {
                treeIDs.append(t); nodeIDs.append(b.id); features.append(b.feature); values.append(b.threshold)
                modes.append(b.mode); yes.append(b.yes); no.append(b.no)
            }
            for leaf in leaves[t] {
                treeIDs.append(t); nodeIDs.append(leaf); features.append(0); values.append(0); modes.append("LEAF"); yes.append(0); no.append(0)
                for k in 0..<2 {
                    targetTrees.append(t); targetNodes.append(leaf); targetIDs.append(k); targetWeights.append(weights(t, leaf)[k])
                }
            }
        }
        var attributes: [String: Onnx_AttributeProto] = [
            "nodes_treeids": attribute("nodes_treeids", ints: treeIDs), "nodes_nodeids": attribute("nodes_nodeids", ints: nodeIDs),
            "nodes_featureids": attribute("nodes_featureids", ints: features), "nodes_values": attribute("nodes_values", floats: values),
            "nodes_modes": attribute("nodes_modes", strings: modes), "nodes_truenodeids": attribute("nodes_truenodeids", ints: yes),
            "nodes_falsenodeids": attribute("nodes_falsenodeids", ints: no), "target_treeids": attribute("target_treeids", ints: targetTrees),
            "target_nodeids": attribute("target_nodeids", ints: targetNodes), "target_ids": attribute("target_ids", ints: targetIDs),
            "target_weights": attribute("target_weights", floats: targetWeights), "n_targets": { var a = Onnx_AttributeProto()
                a.name = "n_targets"; a.type = .int; a.i = 2; return a }(),
            "base_values": attribute("base_values", floats: base),
        ]
        change(&attributes)
        var node = Onnx_NodeProto()
        node.name = "ensemble"
        node.opType = op
        node.domain = domain
        node.input = ["X"]
        node.output = ["Y"]
        node.attribute = attributes.keys.sorted().map { attributes[$0]! }
        var g = Onnx_GraphProto()
        g.input = [ModelBuilding.input("X", elemType: 1, dims: ModelBuilding.dims([1, 3]))]
        g.node = [node]
        var y = Onnx_ValueInfoProto()
        y.name = "Y"
        g.output = [y]
        var m = ModelBuilding.model(g)
        var ml = Onnx_OperatorSetIdProto()
        ml.domain = "ai.onnx.ml"
        ml.version = 3
        m.opsetImport.append(ml)
        return m
    }

    static func error(_ m: Onnx_ModelProto) -> String { IntegerSemanticsTests.error(m) }

    /// Every input on a 0.25 grid that contains each threshold: ties and
    /// the EQ/NEQ tests are decided exactly, in the float model and the VM.
    @Test func gemmFormEqualsAWalkDownEachTree() throws {
        let m = try IntegerSemanticsTests.importing(Self.model())
        let program = try Fixtures.assemble(m)
        let machine = Machine(program: program)
        let grid = stride(from: -1.0, through: 1.5, by: 0.25).map { $0 }
        var checked = 0
        for a in grid where Int(a * 4) % 2 == 0 {
            for b in grid {
                for c in grid where Int(c * 4) % 2 == 0 {
                    let x = [a, b, c], expected = Self.walk(x)
                    #expect(m.floatValues([x])[m.outputs[0].zkasm]! == expected, "float at \(x)")
                    let run = try machine.run(inputs: [x]).outputs[0].values
                    #expect(zip(run, expected).allSatisfy { abs($0 - $1) <= 1.0 / 1024 }, "VM at \(x): \(run) vs \(expected)")
                    checked += 1
                }
            }
        }
        #expect(checked > 200)
    }

    /// Thresholds 10^−5 off the grid points the inputs sit on, far below
    /// the input quantum 2^−12: each decision is still the tree's own on
    /// the quantized input (thresholds round down for x > t, up for x < t).
    @Test(arguments: [1e-5, -1e-5]) func decisionsAreExactNextToThresholds(_ shift: Double) throws {
        let m = try IntegerSemanticsTests.importing(Self.model { a in
            a["nodes_values"]!.floats = a["nodes_values"]!.floats.map { Float(Double($0) + shift) }
        })
        let machine = Machine(program: try Fixtures.assemble(m))
        let grid = stride(from: -1.0, through: 1.5, by: 0.25).map { $0 }
        for a in grid where Int(a * 4) % 2 == 0 {
            for b in grid {
                let x = [a, b, 0.5 * a], expected = Self.walk(x, shift: shift)
                let run = try machine.run(inputs: [x]).outputs[0].values
                #expect(zip(run, expected).allSatisfy { abs($0 - $1) <= 1.0 / 1024 }, "VM at \(x): \(run) vs \(expected)")
            }
        }
    }

    @Test func malformedEnsemblesAreRefused() {
        func refused(_ expected: String, _ change: @escaping (inout [String: Onnx_AttributeProto]) -> Void) {
            let message = Self.error(Self.model(change: change))
            #expect(message.contains("'ensemble'") && message.contains(expected), "\(message)")
        }
        // Tree 1's branch 2 also points at leaf 1, so leaf 3 hangs free: not a tree.
        refused("tree 1 has 2 roots") { a in
            a["nodes_truenodeids"]!.ints[10] = 1
        }
        refused("points to a missing node 42") { a in
            a["nodes_truenodeids"]!.ints[0] = 42
        }
        refused("tests feature 3") { a in
            a["nodes_featureids"]!.ints[1] = 3
        }
        refused("is not a reachable leaf") { a in
            a["target_nodeids"]!.ints[0] = 0   // a branch
        }
        refused("node mode 'BRANCH_SOMETIMES'") { a in
            a["nodes_modes"]!.strings[0] = Data("BRANCH_SOMETIMES".utf8)
        }
        refused("names no output column") { a in
            a["target_ids"]!.ints[0] = 2
        }
        refused("must all list the same number") { a in a["nodes_values"]!.floats.removeLast() }
        refused("aggregate_function MAX is not supported") { a in
            var f = Onnx_AttributeProto()
            f.name = "aggregate_function"
            f.type = .string
            f.s = Data("MAX".utf8)
            a["aggregate_function"] = f
        }
    }

    /// Each ai.onnx.ml operator only from its own domain, and the domain's
    /// other operators named when refused.
    @Test func classicMLOperatorsComeFromTheirDomain() {
        let defaultDomain = Self.error(Self.model(domain: ""))
        #expect(defaultDomain.contains("TreeEnsembleRegressor belongs to the ai.onnx.ml domain"), "\(defaultDomain)")
        let zipMap = Self.error(Self.model(op: "ZipMap"))
        #expect(zipMap.contains("operator ZipMap of the ai.onnx.ml domain is not supported"), "\(zipMap)")
        let other = Self.error(Self.model(domain: "com.microsoft"))
        #expect(other.contains("operator domain 'com.microsoft' is not supported"), "\(other)")
    }
}
