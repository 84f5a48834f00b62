/// A 32-byte SHA-256 output, stored as its bytes in order (byte 0 first).
///
/// Every 32-byte string is a valid digest, so decoding never rejects content,
/// only short input.
@frozen
public struct Digest: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes as four little-endian words of memory order: word k holds
    /// bytes 8k…8k+7.
    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64)

    public static let byteCount = 32
    public static let zero = Digest(words: (0, 0, 0, 0))

    @inlinable
    init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// The digest with the given 32 bytes, or nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &w) { dst in
            for (i, b) in bytes.enumerated() { dst[i] = b }
        }
        words = w
    }

    /// The digest in 32 contiguous bytes (the fast path for decoders).
    public init?(bytes: ArraySlice<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        bytes.withUnsafeBytes { src in withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: src) } }
        words = w
    }

    /// The 32 bytes.
    public var bytes: [UInt8] { Swift.withUnsafeBytes(of: words) { Array($0) } }

    /// Calls `body` with the 32 bytes.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    public static func == (a: Digest, b: Digest) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0); hasher.combine(words.1); hasher.combine(words.2); hasher.combine(words.3)
    }

    /// Lower-case hexadecimal.
    public var description: String {
        bytes.map { b in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }.joined()
    }

    /// Parses 64 hexadecimal digits.
    public init?(hex: String) {
        let chars = Array(hex.utf8)
        // Exactly 64 lower-case hex digits: one accepted spelling per digest.
        guard chars.count == 64, chars.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        var out = [UInt8]()
        for i in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        self.init(bytes: out)
    }
}
