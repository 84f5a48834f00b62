/// Errors raised by field arithmetic and field-element decoding.
public enum FieldError: Error, Equatable, Sendable {
    /// An inverse of zero was requested (`index` locates it in a batch, or nil).
    case divisionByZero(index: Int?)
    /// A serialized element encodes an integer ≥ p; `offset` is its byte offset.
    case nonCanonical(value: UInt64, offset: Int)
    /// Fewer bytes than an element needs; `offset` is where it would start.
    case truncated(offset: Int, needed: Int, available: Int)
    /// A declared length is larger than the data could hold or a policy allows.
    case lengthOutOfRange(declared: UInt64, maximum: Int, offset: Int)
    /// Bytes remain after a complete structure was decoded.
    case trailingBytes(offset: Int, count: Int)
}

extension FieldError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .divisionByZero(let index):
            return index.map { "division by zero (element \($0) of a batch)" } ?? "division by zero"
        case .nonCanonical(let value, let offset):
            return "non-canonical field element \(value) ≥ p at byte offset \(offset)"
        case .truncated(let offset, let needed, let available):
            return "truncated data at byte offset \(offset): need \(needed) bytes, have \(available)"
        case .lengthOutOfRange(let declared, let maximum, let offset):
            return "length \(declared) at byte offset \(offset) exceeds the maximum \(maximum)"
        case .trailingBytes(let offset, let count):
            return "\(count) unexpected trailing bytes at byte offset \(offset)"
        }
    }
}
