import Foundation
import ONNXProto

/// Small ONNX models built in code for the importer's tests.
enum ModelBuilding {
    /// An opset-17 model around `graph` (IR version 8).
    static func model(_ graph: Onnx_GraphProto) -> Onnx_ModelProto {
        var m = Onnx_ModelProto()
        m.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        m.opsetImport = [opset]
        m.graph = graph
        return m
    }

    /// Concrete dimensions.
    static func dims(_ shape: [Int]) -> [Onnx_TensorShapeProto.Dimension] {
        shape.map { d in var dim = Onnx_TensorShapeProto.Dimension(); dim.dimValue = Int64(d); return dim }
    }

    /// A tensor input `name` of ONNX element type `elemType` with dimensions `dims`.
    static func input(_ name: String, elemType: Int32, dims: [Onnx_TensorShapeProto.Dimension]) -> Onnx_ValueInfoProto {
        var x = Onnx_ValueInfoProto()
        x.name = name
        var type = Onnx_TypeProto.Tensor()
        type.elemType = elemType
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims
        type.shape = shape
        x.type.tensorType = type
        return x
    }

    /// A node `op(inputs) → output`, named `name` (else its output), with
    /// attributes of Int, [Int] or String values.
    static func node(_ op: String, _ inputs: [String], _ output: String, name: String? = nil,
                     attributes: [String: Any] = [:]) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        (n.name, n.opType, n.input, n.output) = (name ?? output, op, inputs, [output])
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = key
            if let i = value as? Int { (a.type, a.i) = (.int, Int64(i)) }
            if let list = value as? [Int] { (a.type, a.ints) = (.ints, list.map(Int64.init)) }
            if let s = value as? String { (a.type, a.s) = (.string, Data(s.utf8)) }
            n.attribute.append(a)
        }
        return n
    }

    /// A one-dimensional initializer: int64 values, or float ones.
    static func initializer(_ name: String, integers: [Int64]? = nil, floats: [Float]? = nil) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        if let integers { t.dataType = 7; t.dims = [Int64(integers.count)]; t.int64Data = integers }
        if let floats { t.dataType = 1; t.dims = [Int64(floats.count)]; t.floatData = floats }
        return t
    }

    /// A graph of `nodes` over the float input X of `shape` with
    /// `initializers`, whose output is Y.
    static func graph(input shape: [Int], nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto]) -> Onnx_ModelProto {
        var g = Onnx_GraphProto()
        g.input = [input("X", elemType: 1, dims: dims(shape))]
        g.initializer = initializers
        g.node = nodes
        var y = Onnx_ValueInfoProto()
        y.name = "Y"
        g.output = [y]
        return model(g)
    }
}
