/// A constant tensor: row-major values with a shape. Integer tensors (shape
/// arithmetic, indices) are held as doubles too; ONNX shape values stay far
/// below 2^53, where doubles are exact.
public struct ConstTensor: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Double]
    /// An ONNX integer or boolean tensor: arithmetic on it keeps ONNX's
    /// integer semantics (Div truncates towards zero).
    public var isInteger: Bool
    /// The ONNX element type (TensorProto.DataType) when it is known: read
    /// from the model, or carried by a fold that keeps it; nil otherwise.
    /// Bitwise negation and left shifts of unsigned integers need it.
    public var elementType: Int?

    public init(shape: [Int], values: [Double], isInteger: Bool = false, elementType: Int? = nil) {
        precondition(shape.reduce(1, *) == values.count, "shape and values disagree")
        self.shape = shape
        self.values = values
        self.isInteger = isInteger
        self.elementType = elementType
    }

    public static func scalar(_ x: Double) -> ConstTensor { ConstTensor(shape: [], values: [x]) }
    public var count: Int { values.count }
}

/// One attribute of a node, reduced to the kinds the supported operators use.
public enum Attribute: Equatable, Sendable {
    case int(Int)
    case float(Double)
    case ints([Int])
    case floats([Double])
    case string(String)
    case strings([String])
    case tensor(ConstTensor)
}

/// One ONNX node: op type, named inputs (empty name = omitted optional
/// input) and outputs, attributes.
public struct Node: Sendable {
    public var name: String
    public var op: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: Attribute]

    /// The node's name for messages: its own, or its first output's.
    public var label: String { name.isEmpty ? (outputs.first ?? "?") : name }

    func error(_ message: String) -> ImportError { ImportError(node: label, op: op, message) }

    func int(_ key: String, default value: Int) throws(ImportError) -> Int {
        switch attributes[key] {
        case nil: return value
        case .int(let v)?: return v
        default: throw error("attribute '\(key)' must be an integer")
        }
    }

    func float(_ key: String, default value: Double) throws(ImportError) -> Double {
        switch attributes[key] {
        case nil: return value
        case .float(let v)?: return v
        case .int(let v)?: return Double(v)
        default: throw error("attribute '\(key)' must be a float")
        }
    }

    func ints(_ key: String) throws(ImportError) -> [Int]? {
        switch attributes[key] {
        case nil: return nil
        case .ints(let v)?: return v
        case .int(let v)?: return [v]
        default: throw error("attribute '\(key)' must be a list of integers")
        }
    }

    func string(_ key: String, default value: String) throws(ImportError) -> String {
        switch attributes[key] {
        case nil: return value
        case .string(let v)?: return v
        default: throw error("attribute '\(key)' must be a string")
        }
    }

    func floats(_ key: String) throws(ImportError) -> [Double]? {
        switch attributes[key] {
        case nil: return nil
        case .floats(let v)?: return v
        case .float(let v)?: return [v]
        default: throw error("attribute '\(key)' must be a list of floats")
        }
    }

    func strings(_ key: String) throws(ImportError) -> [String]? {
        switch attributes[key] {
        case nil: return nil
        case .strings(let v)?: return v
        case .string(let v)?: return [v]
        default: throw error("attribute '\(key)' must be a list of strings")
        }
    }

    /// Input `i`, or nil when absent or empty (an omitted optional input).
    func input(_ i: Int) -> String? {
        i < inputs.count && !inputs[i].isEmpty ? inputs[i] : nil
    }
}

/// A model graph after loading: graph inputs with concrete shapes,
/// initializers, nodes in topological order, and graph outputs.
public struct Graph: Sendable {
    public struct Value: Sendable, Equatable {
        public var name: String
        /// Concrete dimensions (dynamic dimensions are an error unless
        /// the user supplies a shape).
        public var shape: [Int]
        /// The ONNX element type (TensorProto.DataType; 1 is float).
        public var elementType = 1
        /// An integer or boolean input (its values are whole numbers).
        public var isInteger: Bool { IntegerSemantics.integerTypes.contains(elementType) }
        /// A boolean input: ONNX reads any value ≠ 0 as true.
        public var isBoolean: Bool { elementType == 9 }
    }
    public var inputs: [Value]
    public var initializers: [String: ConstTensor]
    public var nodes: [Node]
    public var outputs: [String]
    public var opsetVersion: Int
}

extension ConstTensor {
    /// The values as integers (shapes, axes, indices, pads): each must be
    /// finite, integral and within ±2^62, else an error naming the node.
    func integers(_ node: Node, _ what: String) throws(ImportError) -> [Int] {
        try values.map { (v: Double) throws(ImportError) -> Int in
            guard v.isFinite, v == v.rounded(.towardZero), abs(v) <= 0x1p62 else {
                throw node.error("\(what) must be integers, found \(v)")
            }
            return Int(v)
        }
    }
}

/// The element count of `shape`, refusing negative dimensions and overflow.
func elementCount(_ shape: [Int], node: Node) throws(ImportError) -> Int {
    var count = 1
    for d in shape {
        guard d >= 0 else { throw node.error("negative dimension in \(shape)") }
        let (p, overflow) = count.multipliedReportingOverflow(by: d)
        guard !overflow, p <= 1 << 40 else { throw node.error("shape \(shape) is too large") }
        count = p
    }
    return count
}
