import Field
import Hashing

/// A model's weight commitment: the four field elements `WeightSponge`
/// outputs (Spec/zk.md §4). Encoded as 32 bytes, four little-endian u64
/// words; a word ≥ p is non-canonical and rejected, so every commitment
/// has exactly one encoding.
public struct WeightCommitment: Sendable, Hashable, CustomStringConvertible {
    /// Four canonical elements.
    public let elements: [Goldilocks]

    public static let byteCount = 32

    public init(elements: [Goldilocks]) {
        precondition(elements.count == WeightSponge.digestCount, "a weight commitment has 4 elements")
        self.elements = elements
    }

    /// Decodes 32 bytes; nil for another length or a non-canonical word.
    public init?(bytes: some Collection<UInt8>) {
        let b = Array(bytes)
        guard b.count == Self.byteCount else { return nil }
        var elements = [Goldilocks]()
        for k in 0..<4 {
            var word: UInt64 = 0
            for i in 0..<8 { word |= UInt64(b[8 * k + i]) << (8 * i) }
            guard let x = Goldilocks(canonical: word) else { return nil }
            elements.append(x)
        }
        self.elements = elements
    }

    public var bytes: [UInt8] {
        elements.flatMap { x in (0..<8).map { UInt8(truncatingIfNeeded: x.value >> (8 * $0)) } }
    }

    /// 64 lower-case hexadecimal digits of `bytes`.
    public var description: String { Digest(bytes: bytes)!.description }
}
