import Foundation
import ONNXProto
import SwiftProtobuf

/// Reads an ONNX model (Spec/onnx-import.md §1): protobuf decoding with size
/// limits, initializers (inline or external data inside the model's
/// folder), attributes, and concrete input shapes. Hostile files give an
/// `ImportError`, never a trap.
public enum ModelLoader {
    /// Loads `url`. `inputShapes` fixes dynamic input dimensions by input name.
    public static func load(_ url: URL, inputShapes: [String: [Int]] = [:], batch: Int? = nil,
                            limits: ImportLimits = .standard) throws(ImportError) -> Graph {
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            guard size <= limits.maxModelBytes else { throw ImportError("\(url.lastPathComponent): \(size) bytes, more than the limit \(limits.maxModelBytes)") }
            data = try Data(contentsOf: url)
        } catch let e as ImportError {
            throw e
        } catch {
            throw ImportError("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try decode(data, folder: url.deletingLastPathComponent(), inputShapes: inputShapes, batch: batch, limits: limits)
    }

    /// Decodes model bytes; external data paths resolve inside `folder` (nil: refused).
    /// - Parameter batch: the first dimension of every input without an
    ///   explicit shape, which must be dynamic or 1 (one proof of a batch).
    public static func decode(_ data: Data, folder: URL?, inputShapes: [String: [Int]] = [:], batch: Int? = nil,
                              limits: ImportLimits = .standard) throws(ImportError) -> Graph {
        let model: Onnx_ModelProto
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            model = try Onnx_ModelProto(serializedBytes: data, options: options)
        } catch {
            throw ImportError("not a valid ONNX model (protobuf decoding failed: \(error))")
        }
        guard model.hasGraph else { throw ImportError("the model has no graph") }
        let g = model.graph
        guard g.node.count <= limits.maxNodes else { throw ImportError("\(g.node.count) nodes, more than the limit \(limits.maxNodes)") }
        // A graph of ai.onnx.ml operators alone may import no default-domain
        // opset (onnxmltools' XGBoost models); its version then matters to none.
        let onlyClassicML = g.node.allSatisfy { $0.domain == "ai.onnx.ml" }
        let opset = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }.map { Int($0.version) }
            ?? (onlyClassicML ? 21 : 0)
        guard opset >= 7 else { throw ImportError("opset \(opset) is too old (7 or later is supported)") }
        let reader = TensorReader(folder: folder, limits: limits)

        var initializers = [String: ConstTensor]()
        for t in g.initializer { initializers[t.name] = try reader.read(t, what: "initializer '\(t.name)'") }
        let inputNames = g.input.map(\.name).filter { initializers[$0] == nil }
        for name in inputShapes.keys.sorted() where !inputNames.contains(name) {
            throw ImportError("--input-shape names '\(name)', which is not a graph input (inputs: \(inputNames.joined(separator: ", ")))")
        }
        var inputs = [Graph.Value]()
        for v in g.input where initializers[v.name] == nil {
            var input = Graph.Value(name: v.name, shape: try shape(of: v, override: inputShapes[v.name], batch: batch, limits: limits))
            if case .tensorType(let t)? = v.type.value {
                input.elementType = Int(t.elemType)
            }
            inputs.append(input)
        }
        // A graph without inputs computes constants; its program proves them.
        var nodes = [Node]()
        for n in g.node {
            let label = n.name.isEmpty ? (n.output.first ?? "?") : n.name
            // The classic-ML operators are told apart from the default
            // domain's by name, so each must come from its own domain.
            let classicML = Lowering.supportedClassicML.contains(n.opType)
            switch n.domain {
            case "", "ai.onnx":
                if classicML { throw ImportError(node: label, op: n.opType, "\(n.opType) belongs to the ai.onnx.ml domain") }
            case "ai.onnx.ml":
                guard classicML else {
                    throw ImportError(node: label, op: n.opType, "operator \(n.opType) of the ai.onnx.ml domain is not supported (supported: \(Lowering.supportedClassicML.joined(separator: ", ")))")
                }
            default:
                throw ImportError(node: label, op: n.opType, "operator domain '\(n.domain)' is not supported (only the default ONNX domain and ai.onnx.ml)")
            }
            var attributes = [String: Attribute]()
            for a in n.attribute {
                attributes[a.name] = try attribute(a, reader: reader, node: label, op: n.opType)
            }
            nodes.append(Node(name: n.name, op: n.opType, inputs: n.input, outputs: n.output, attributes: attributes))
        }
        guard !g.output.isEmpty else { throw ImportError("the graph has no outputs") }
        return Graph(inputs: inputs, initializers: initializers, nodes: nodes, outputs: g.output.map(\.name), opsetVersion: opset)
    }

    static func shape(of v: Onnx_ValueInfoProto, override: [Int]?, batch: Int? = nil, limits: ImportLimits) throws(ImportError) -> [Int] {
        guard case .tensorType(let t)? = v.type.value else { throw ImportError("input '\(v.name)' is not a tensor") }
        var dims = t.shape.dim
        if let batch, override == nil {
            guard batch >= 1 else { throw ImportError("--batch must be at least 1") }
            guard let first = dims.first else { throw ImportError("--batch \(batch): input '\(v.name)' has no batch dimension (it is a scalar)") }
            if case .dimValue(let d)? = first.value, d != 1 {
                throw ImportError("--batch \(batch): input '\(v.name)' has a fixed first dimension \(d), not a batch of 1")
            }
            dims[0].dimValue = Int64(batch)
        }
        if let override {
            guard override.count == dims.count || !t.hasShape else {
                throw ImportError("--input-shape for '\(v.name)' has rank \(override.count); the model says \(dims.count)")
            }
            try checkShape(override, what: "input '\(v.name)'", limits: limits)
            return override
        }
        var out = [Int]()
        for (i, d) in dims.enumerated() {
            switch d.value {
            case .dimValue(let x)?: out.append(Int(x))
            default:
                let name = d.dimParam.isEmpty ? "?" : d.dimParam
                throw ImportError("input '\(v.name)' has a dynamic dimension \(i) ('\(name)'); give a concrete shape with --input-shape \(v.name)=…")
            }
        }
        try checkShape(out, what: "input '\(v.name)'", limits: limits)
        return out
    }

    static func checkShape(_ shape: [Int], what: String, limits: ImportLimits) throws(ImportError) {
        guard shape.count <= limits.maxRank else { throw ImportError("\(what): rank \(shape.count) exceeds \(limits.maxRank)") }
        var count = 1
        for d in shape {
            guard d >= 0 else { throw ImportError("\(what): negative dimension \(d)") }
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= limits.maxTensorElements else {
                throw ImportError("\(what): shape \(shape) has more than \(limits.maxTensorElements) elements")
            }
            count = p
        }
    }

    static func attribute(_ a: Onnx_AttributeProto, reader: TensorReader, node: String, op: String) throws(ImportError) -> Attribute {
        switch a.type {
        case .int: return .int(Int(clamping: a.i))
        case .float: return .float(Double(a.f))
        case .ints: return .ints(a.ints.map { Int(clamping: $0) })
        case .floats: return .floats(a.floats.map(Double.init))
        case .string: return .string(String(decoding: a.s, as: UTF8.self))
        case .strings: return .strings(a.strings.map { String(decoding: $0, as: UTF8.self) })
        case .tensor: return .tensor(try reader.read(a.t, what: "attribute '\(a.name)' of node '\(node)' (\(op))"))
        default:
            // Graph-valued and other attributes belong to unsupported operators
            // (If, Loop, …); the operator check reports them by name.
            return .string("<\(a.type)>")
        }
    }
}
