import Field

/// Constraint expressions compiled to straight-line code with common
/// subexpressions shared: what the prover interprets block by block over the
/// quotient domain and the verifier and debug checker evaluate at one point.
///
/// Invariant: every operand index is smaller than the index of the node that
/// uses it, so evaluating nodes in order is always valid.
public struct ConstraintProgram: Sendable {
    public enum Node: Hashable, Sendable {
        case load(Variable)
        case constant(Goldilocks)
        case add(Int, Int)
        case subtract(Int, Int)
        case multiply(Int, Int)
        case negate(Int)
    }

    /// The nodes in evaluation order.
    public let nodes: [Node]
    /// Whether node i takes extension-field values (base otherwise).
    public let isExtension: [Bool]
    /// Position of node i in its register file (base or extension).
    public let slot: [Int]
    /// Number of base and extension registers.
    public let baseRegisterCount: Int
    public let extensionRegisterCount: Int
    /// Node index of each compiled expression, in input order.
    public let roots: [Int]

    /// Compiles `expressions`, sharing structurally equal subexpressions.
    public init(_ expressions: [Expression]) {
        var nodes = [Node]()
        var isExtension = [Bool]()
        var memo = NodeTable()
        func intern(_ node: Node, ext: Bool) -> Int {
            let key = node.packed
            if let found = memo.find(key) { return found }
            nodes.append(node)
            isExtension.append(ext)
            memo.insert(key, nodes.count - 1)
            return nodes.count - 1
        }
        func compile(_ e: Expression) -> Int {
            switch e {
            case .constant(let c): return intern(.constant(c), ext: false)
            case .variable(let v): return intern(.load(v), ext: v.isExtension)
            case .sum(let a, let b):
                let (x, y) = (compile(a), compile(b))
                return intern(.add(x, y), ext: isExtension[x] || isExtension[y])
            case .difference(let a, let b):
                let (x, y) = (compile(a), compile(b))
                return intern(.subtract(x, y), ext: isExtension[x] || isExtension[y])
            case .product(let a, let b):
                let (x, y) = (compile(a), compile(b))
                return intern(.multiply(x, y), ext: isExtension[x] || isExtension[y])
            case .negation(let a):
                let x = compile(a)
                return intern(.negate(x), ext: isExtension[x])
            }
        }
        let roots = expressions.map(compile)
        var slot = [Int](repeating: 0, count: nodes.count)
        var bases = 0, exts = 0
        for i in nodes.indices {
            if isExtension[i] { slot[i] = exts; exts += 1 } else { slot[i] = bases; bases += 1 }
        }
        self.nodes = nodes
        self.isExtension = isExtension
        self.slot = slot
        self.baseRegisterCount = bases
        self.extensionRegisterCount = exts
        self.roots = roots
    }

    /// Evaluates every node at one point with all values in the extension
    /// field; returns the value of each root. `load` supplies variables.
    @inlinable
    public func evaluate(_ load: (Variable) throws -> GoldilocksExt3) rethrows -> [GoldilocksExt3] {
        var values = [GoldilocksExt3](repeating: .zero, count: nodes.count)
        for (i, node) in nodes.enumerated() {
            switch node {
            case .load(let v): values[i] = try load(v)
            case .constant(let c): values[i] = GoldilocksExt3(c)
            case .add(let a, let b): values[i] = values[a] + values[b]
            case .subtract(let a, let b): values[i] = values[a] - values[b]
            case .multiply(let a, let b): values[i] = values[a] * values[b]
            case .negate(let a): values[i] = -values[a]
            }
        }
        return roots.map { values[$0] }
    }
}

extension ConstraintProgram.Node {
    /// The node as two words, injective over nodes whose indices and
    /// columns are below 2^32: (tag | operand a << 8 | variable kind and
    /// row bit, operand b / column / index / constant). The compiler's
    /// memo table hashes these instead of the enum.
    var packed: (UInt64, UInt64) {
        switch self {
        case .load(let v):
            let (kind, row, index): (UInt64, UInt64, Int)
            switch v {
            case .main(let c, let next): (kind, row, index) = (0, next ? 1 : 0, c)
            case .preprocessed(let c, let next): (kind, row, index) = (1, next ? 1 : 0, c)
            case .auxiliary(let c, let next): (kind, row, index) = (2, next ? 1 : 0, c)
            case .challenge(let k): (kind, row, index) = (3, 0, k)
            case .claimedSum: (kind, row, index) = (4, 0, 0)
            case .publicValue(let k): (kind, row, index) = (5, 0, k)
            case .isFirstRow: (kind, row, index) = (6, 0, 0)
            case .isLastRow: (kind, row, index) = (7, 0, 0)
            case .isTransition: (kind, row, index) = (8, 0, 0)
            }
            return (kind << 8 | row << 12, UInt64(index))
        case .constant(let c): return (1, c.value)
        case .add(let a, let b): return (2 | UInt64(a) << 8, UInt64(b))
        case .subtract(let a, let b): return (3 | UInt64(a) << 8, UInt64(b))
        case .multiply(let a, let b): return (4 | UInt64(a) << 8, UInt64(b))
        case .negate(let a): return (5 | UInt64(a) << 8, 0)
        }
    }
}

/// Open-addressing hash table from packed nodes to node indices, with a
/// multiplicative hash (the standard dictionary's SipHash dominated
/// compiling large tables). Load factor ≤ 1/2.
struct NodeTable {
    private var keys: [(UInt64, UInt64)]
    private var values: [Int]
    private var count = 0
    private var mask: Int

    init() {
        mask = (1 << 10) - 1
        keys = [(UInt64, UInt64)](repeating: (0, 0), count: mask + 1)
        values = [Int](repeating: -1, count: mask + 1)
    }

    @inline(__always)
    private func slot(_ key: (UInt64, UInt64)) -> Int {
        let h = (key.0 &* 0x9E37_79B9_7F4A_7C15) ^ (key.1 &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: (h ^ (h >> 29)) & UInt64(mask))
    }

    func find(_ key: (UInt64, UInt64)) -> Int? {
        var i = slot(key)
        while values[i] >= 0 {
            if keys[i] == key { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// - Precondition: `key` is not present.
    mutating func insert(_ key: (UInt64, UInt64), _ value: Int) {
        if 2 * (count + 1) > mask + 1 { grow() }
        var i = slot(key)
        while values[i] >= 0 { i = (i + 1) & mask }
        keys[i] = key
        values[i] = value
        count += 1
    }

    private mutating func grow() {
        let old = zip(keys, values).filter { $0.1 >= 0 }
        mask = 2 * mask + 1
        keys = [(UInt64, UInt64)](repeating: (0, 0), count: mask + 1)
        values = [Int](repeating: -1, count: mask + 1)
        count = 0
        for (k, v) in old { insert(k, v) }
    }
}

extension ConstraintProgram.Node {
    /// Canonical bytes: a tag, then operands (Spec/proof-format.md §AIR shape).
    public func encode(into writer: inout ByteWriter) {
        func variable(_ v: Variable) {
            switch v {
            case .main(let c, let next): writer.write(UInt8(0)); writer.write(UInt32(c)); writer.write(UInt8(next ? 1 : 0))
            case .preprocessed(let c, let next): writer.write(UInt8(1)); writer.write(UInt32(c)); writer.write(UInt8(next ? 1 : 0))
            case .auxiliary(let c, let next): writer.write(UInt8(2)); writer.write(UInt32(c)); writer.write(UInt8(next ? 1 : 0))
            case .challenge(let k): writer.write(UInt8(3)); writer.write(UInt32(k))
            case .claimedSum: writer.write(UInt8(4))
            case .publicValue(let k): writer.write(UInt8(5)); writer.write(UInt32(k))
            case .isFirstRow: writer.write(UInt8(6))
            case .isLastRow: writer.write(UInt8(7))
            case .isTransition: writer.write(UInt8(8))
            }
        }
        switch self {
        case .load(let v): writer.write(UInt8(0)); variable(v)
        case .constant(let c): writer.write(UInt8(1)); writer.write(c)
        case .add(let a, let b): writer.write(UInt8(2)); writer.write(UInt32(a)); writer.write(UInt32(b))
        case .subtract(let a, let b): writer.write(UInt8(3)); writer.write(UInt32(a)); writer.write(UInt32(b))
        case .multiply(let a, let b): writer.write(UInt8(4)); writer.write(UInt32(a)); writer.write(UInt32(b))
        case .negate(let a): writer.write(UInt8(5)); writer.write(UInt32(a))
        }
    }
}
