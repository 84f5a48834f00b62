/// The one error type of the importer (Spec/onnx-import.md §5). Every error
/// names where it arose: the model file, an initializer, or a node with its
/// op type, so a user can find the problem in Netron or the exporter.
public struct ImportError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The node's name (or its first output if unnamed), when a node is at fault.
    public var node: String?
    /// The node's op type, when a node is at fault.
    public var op: String?
    public var message: String

    public init(node: String? = nil, op: String? = nil, _ message: String) {
        self.node = node
        self.op = op
        self.message = message
    }

    public var description: String {
        switch (node, op) {
        case let (node?, op?): "node '\(node)' (\(op)): \(message)"
        case let (nil, op?): "\(op): \(message)"
        case let (node?, nil): "node '\(node)': \(message)"
        default: message
        }
    }
}

/// Limits that keep hostile models from exhausting memory or time.
public struct ImportLimits: Sendable {
    /// Largest model file, in bytes (protobuf plus external data).
    public var maxModelBytes = 1 << 30
    /// Largest number of elements in one tensor (the ISA's dimension limit is 2^28).
    public var maxTensorElements = 1 << 26
    /// Largest rank of any tensor.
    public var maxRank = 8
    /// Largest number of nodes in the graph.
    public var maxNodes = 100_000
    /// Largest total number of VM memory cells of the lowered program.
    public var maxMemoryCells = 1 << 27

    public init() {}
    public static let standard = ImportLimits()
}
