/// Errors reading or writing trace dumps; offsets are byte offsets in the file.
public enum TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    case io(String)
    case badMagic
    case unsupportedVersion(UInt16)
    case truncated(offset: Int)
    case corrupt(offset: Int, reason: String)

    public var description: String {
        switch self {
        case .io(let m): return m
        case .badMagic: return "not a .zkt trace (bad magic)"
        case .unsupportedVersion(let v): return "unsupported trace version \(v)"
        case .truncated(let offset): return "truncated trace at byte offset \(offset)"
        case .corrupt(let offset, let reason): return "corrupt trace at byte offset \(offset): \(reason)"
        }
    }
}
