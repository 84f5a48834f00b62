/// Instruction opcodes (Spec/isa.md §3). Raw values are the binary encoding.
public enum Opcode: UInt8, CaseIterable, Sendable, Codable {
    case halt = 0x00
    // Scalar ALU on registers.
    case li = 0x01, mov = 0x02, add = 0x03, addi = 0x04, sub = 0x05, mul = 0x06
    case mulr = 0x07, rescale = 0x08, lt = 0x09, eq = 0x0A, select = 0x0B
    case min = 0x0C, max = 0x0D, lut = 0x0E
    // Control flow.
    case jmp = 0x10, bnz = 0x11, bz = 0x12
    // Memory.
    case ld = 0x18, st = 0x19
    // Tensor instructions (imm = descriptor index).
    case matmul = 0x20, map = 0x21, zip = 0x22, reduce = 0x23, copy = 0x24

    /// The assembly mnemonic.
    public var mnemonic: String { String(describing: self) }

    /// Which instruction fields the opcode reads.
    public var layout: OperandLayout {
        switch self {
        case .halt: .none
        case .li: .rdImm
        case .mov: .rdRa
        case .add, .sub, .mul, .lt, .eq, .min, .max: .rdRaRb
        case .addi, .rescale, .lut: .rdRaImm
        case .mulr: .rdRaRbImm
        case .select: .rdRcRaRb
        case .jmp: .target
        case .bnz, .bz: .rcTarget
        case .ld: .load
        case .st: .store
        case .matmul, .map, .zip, .reduce, .copy: .tensor
        }
    }

    public var isTensor: Bool { layout == .tensor }
}

/// The operand shape of an opcode: which of rd, ra, rb, rc, imm are used.
public enum OperandLayout: Sendable, Equatable {
    case none, rdImm, rdRa, rdRaRb, rdRaImm, rdRaRbImm, rdRcRaRb, target, rcTarget, load, store, tensor
}

/// One instruction: an opcode, four register fields (r0…r15) and a 64-bit
/// immediate. Unused fields are zero in the canonical encoding (16 bytes:
/// op, rd, ra, rb, rc, three zero bytes, imm as 8 little-endian bytes).
public struct Instruction: Hashable, Sendable {
    public var opcode: Opcode
    public var rd: UInt8
    public var ra: UInt8
    public var rb: UInt8
    public var rc: UInt8
    public var imm: Int64

    /// Registers r0…r15; r0 always reads 0.
    public static let registerCount = 16

    public init(_ opcode: Opcode, rd: UInt8 = 0, ra: UInt8 = 0, rb: UInt8 = 0, rc: UInt8 = 0, imm: Int64 = 0) {
        self.opcode = opcode
        self.rd = rd
        self.ra = ra
        self.rb = rb
        self.rc = rc
        self.imm = imm
    }
}
