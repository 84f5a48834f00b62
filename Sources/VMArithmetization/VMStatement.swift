import AlgebraicHashing
import Field
import Hashing
import ISA

/// What a VM proof claims (Spec/proof-format.md §Statement): this program
/// (by digest), with the weights of this commitment (if it has committed
/// weights), run on these public inputs, produced these public outputs.
/// Private inputs appear nowhere in it.
public struct VMStatement: Sendable, Equatable {
    public var programDigest: Digest
    /// The commitment to the committed weights: present exactly when the
    /// program has committed weights.
    public var weightCommitment: WeightCommitment?
    /// Raw values of each public input tensor, in declaration order.
    public var publicInputs: [[Int64]]
    /// Raw values of each public output tensor, in declaration order.
    public var publicOutputs: [[Int64]]

    public init(programDigest: Digest, weightCommitment: WeightCommitment? = nil, publicInputs: [[Int64]], publicOutputs: [[Int64]]) {
        self.programDigest = programDigest
        self.weightCommitment = weightCommitment
        self.publicInputs = publicInputs
        self.publicOutputs = publicOutputs
    }

    /// Throws unless the statement fits the program: digest, tensor counts,
    /// sizes, and every value in V.
    public func validate(against program: Program) throws(VMArithmetizationError) {
        guard programDigest == program.digest else { throw .statement("the proof is for another program (digest mismatch)") }
        let hasCommitted = program.hasCommittedWeights
        guard hasCommitted == (weightCommitment != nil) else {
            throw .statement(hasCommitted ? "the program has committed weights but the statement names no commitment"
                                          : "the statement names a weight commitment but the program has no committed weights")
        }
        try validate(layout: PublicLayout(program: program))
    }

    /// Throws unless the public inputs and outputs fit `layout`: tensor
    /// counts, sizes, and every value in V.
    public func validate(layout: PublicLayout) throws(VMArithmetizationError) {
        func fits(_ values: [[Int64]], _ tensors: [PublicLayout.Tensor]) -> Bool {
            values.count == tensors.count && zip(values, tensors).allSatisfy { $0.count == Int($1.count) }
        }
        guard fits(publicInputs, layout.inputs) else {
            throw .statement("public inputs do not match the program's public input tensors")
        }
        guard fits(publicOutputs, layout.outputs) else {
            throw .statement("public outputs do not match the program's public output tensors")
        }
        for v in (publicInputs + publicOutputs).joined() where !FixedPoint.inRange(v) {
            throw .statement("public value \(v) outside the value range")
        }
    }

    static let tag = Array("zkvm/vm-statement/v2".utf8)

    /// Canonical bytes: a tag, the digest, u8 1 and the 32-byte weight
    /// commitment (or u8 0), then each tensor as u32 count + i64 values.
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: Self.tag)
        w.write(raw: programDigest.bytes)
        if let weightCommitment {
            w.write(UInt8(1))
            w.write(raw: weightCommitment.bytes)
        } else {
            w.write(UInt8(0))
        }
        for group in [publicInputs, publicOutputs] {
            w.write(UInt32(group.count))
            for tensor in group {
                w.write(UInt32(tensor.count))
                for v in tensor { w.write(v) }
            }
        }
        return w.bytes
    }

    public static func decode(from r: inout ByteReader) throws(FieldError) -> VMStatement {
        guard Array(try r.readBytes(tag.count)) == tag else { throw .nonCanonical(value: 0, offset: r.offset) }
        let digest = Digest(bytes: try r.readBytes(Digest.byteCount))!
        let flagOffset = r.offset
        let flag = try r.readUInt8()
        guard flag <= 1 else { throw .nonCanonical(value: UInt64(flag), offset: flagOffset) }
        var weightCommitment: WeightCommitment?
        if flag == 1 {
            let offset = r.offset
            guard let c = WeightCommitment(bytes: try r.readBytes(WeightCommitment.byteCount)) else {
                throw .nonCanonical(value: 0, offset: offset)
            }
            weightCommitment = c
        }
        var groups = [[[Int64]]]()
        for _ in 0..<2 {
            let count = try r.readCount(maximum: Program.maxTensors, minimumItemSize: 4)
            var group = [[Int64]]()
            for _ in 0..<count {
                let n = try r.readCount(maximum: Int(Program.maxMemory), minimumItemSize: 8)
                var tensor = [Int64]()
                tensor.reserveCapacity(n)
                for _ in 0..<n { tensor.append(try r.readInt64()) }
                group.append(tensor)
            }
            groups.append(group)
        }
        return VMStatement(programDigest: digest, weightCommitment: weightCommitment, publicInputs: groups[0], publicOutputs: groups[1])
    }
}

/// Errors of the VM arithmetization.
public enum VMArithmetizationError: Error, Equatable, Sendable, CustomStringConvertible {
    case statement(String)
    case unsupported(String)
    case witness(String)
    /// A secret seed file that cannot be made, read or pinned, or whose pin refuses this use.
    case secret(String)
    /// A corrupt commitment or verification-key file (the message names the byte offset).
    case malformed(String)
    /// A model-file mismatch (commitment for another program, missing commitment).
    case invalidKey(String)

    /// The message without the case's prefix.
    public var detail: String {
        switch self {
        case .malformed(let d), .invalidKey(let d), .statement(let d), .unsupported(let d), .witness(let d), .secret(let d): return d
        }
    }

    public var description: String {
        switch self {
        case .malformed(let d): return "malformed \(d)"
        case .invalidKey(let d): return d
        case .statement(let d): return "statement: \(d)"
        case .unsupported(let d): return "not provable yet: \(d)"
        case .witness(let d): return "witness: \(d)"
        case .secret(let d): return d
        }
    }
}
