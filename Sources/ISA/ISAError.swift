/// Errors from building, encoding and decoding programs.
public enum ISAError: Error, Equatable, Sendable {
    /// The binary does not start with the `.zkbin` magic.
    case badMagic
    /// The binary's format version is not supported.
    case unsupportedVersion(UInt16)
    /// The binary ended early; `offset` is where more bytes were needed.
    case truncated(offset: Int)
    /// A field holds a value outside its documented range.
    case invalidField(name: String, value: Int64, offset: Int)
    /// Bytes remain after the program.
    case trailingBytes(offset: Int)
    /// A structural rule of a program is broken (message says which).
    case invalidProgram(String)
}

extension ISAError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .badMagic: return "not a .zkbin file (bad magic)"
        case .unsupportedVersion(let v): return "unsupported .zkbin version \(v) at byte offset 4 (this zkvm reads version \(Program.formatVersion))"
        case .truncated(let offset): return "truncated .zkbin at byte offset \(offset)"
        case .invalidField(let name, let value, let offset): return "invalid \(name) \(value) at byte offset \(offset)"
        case .trailingBytes(let offset): return "unexpected trailing bytes at byte offset \(offset)"
        case .invalidProgram(let message): return "invalid program: \(message)"
        }
    }
}
