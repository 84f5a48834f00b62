/// What a tensor is for: it decides who supplies its values (Spec/isa.md §2).
public enum TensorKind: UInt8, Sendable, Codable, CaseIterable {
    /// Supplied at run time from input.json, in declaration order.
    case input = 1
    /// Constant data inside the program (model weights, biases, constants).
    case weights = 2
    /// Produced by the program; reported after `halt`.
    case output = 3
    /// Scratch memory, zero at start.
    case buffer = 4

    public var name: String { String(describing: self) }
}

/// Whether a tensor's values are part of the public statement
/// (Spec/isa.md §2, Spec/zk.md §4).
public enum Visibility: UInt8, Sendable, Codable, CaseIterable {
    /// In the statement (public inputs and outputs) or the program digest (public weights).
    case `public` = 1
    /// Hidden in a zero-knowledge proof; a private weight may be any value.
    case `private` = 2
    /// Hidden, and bound to a commitment published before any proof (weights only).
    case committed = 3

    public var name: String { String(describing: self) }
}

/// A named region of memory: `shape.product` cells starting at `address`,
/// row-major, each a raw fixed-point value at `scale` fractional bits.
public struct TensorDeclaration: Hashable, Sendable {
    public var name: String
    public var shape: [Int]
    public var scale: Int
    public var kind: TensorKind
    public var visibility: Visibility
    public var address: Int64
    /// Initial values for `weights` (exactly `count` values in V); nil
    /// otherwise, and nil for hidden weights in a program's public part.
    public var data: [Int64]?
    /// The declared width of a weights tensor's values: 32 (any value in V)
    /// or 16 (every value in [−2^15, 2^15)). Public, in the digest: the
    /// weights table packs three 16-bit committed weights into one absorbed
    /// element (Spec/isa.md §2, Spec/vm-air.md §10a).
    public var bits: Int

    /// The widths a tensor may declare.
    public static let allowedBits = [16, 32]

    public init(name: String, shape: [Int], scale: Int, kind: TensorKind, visibility: Visibility,
                address: Int64, data: [Int64]? = nil, bits: Int = 32) {
        self.name = name; self.shape = shape; self.scale = scale; self.kind = kind
        self.visibility = visibility; self.address = address; self.data = data; self.bits = bits
    }

    /// Whether `value` fits the declared width.
    public func fits(_ value: Int64) -> Bool { Self.fits(value, bits: bits) }

    /// Whether `value` is in [−2^(bits−1), 2^(bits−1)).
    public static func fits(_ value: Int64, bits: Int) -> Bool {
        value >= -(Int64(1) << (bits - 1)) && value < Int64(1) << (bits - 1)
    }

    /// Number of cells (1 for a scalar of shape []).
    public var count: Int { shape.reduce(1, *) }
}

/// A complete program: memory layout, lookup tables, tensor-instruction
/// descriptors and code. Source positions are debugging aids, outside the
/// canonical encoding and the digest.
public struct Program: Hashable, Sendable {
    /// Cells of memory (addresses 0 ..< memorySize).
    public var memorySize: Int64
    public var tensors: [TensorDeclaration]
    public var tables: [LookupTableSpec]
    public var descriptors: [TensorOperation]
    public var code: [Instruction]
    /// `sourceLines[pc]`: the .zkasm line of instruction pc, if known.
    public var sourceLines: [Int]

    /// Upper bounds the decoder and validator enforce (Spec/isa.md §6).
    public static let maxMemory: Int64 = 1 << 28
    public static let maxCode = 1 << 24
    public static let maxTensors = 1 << 16
    public static let maxRank = 8
    public static let maxTables = 256
    /// Multiply-accumulates one matmul may perform (m·k·n ≤ 2^32).
    public static let maxMatmulWork: Int64 = 1 << 32

    public init(memorySize: Int64, tensors: [TensorDeclaration], tables: [LookupTableSpec],
                descriptors: [TensorOperation], code: [Instruction], sourceLines: [Int] = []) {
        self.memorySize = memorySize; self.tensors = tensors; self.tables = tables
        self.descriptors = descriptors; self.code = code; self.sourceLines = sourceLines
    }

    public static func == (a: Program, b: Program) -> Bool { a.encoded() == b.encoded() }
    public func hash(into hasher: inout Hasher) { hasher.combine(encoded()) }

    public func tensor(named name: String) -> TensorDeclaration? { tensors.first { $0.name == name } }
}
