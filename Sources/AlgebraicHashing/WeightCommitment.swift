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

    /// Decodes 32 bytes (`ByteReader.readElement`); nil for another length or a non-canonical word.
    public init?(bytes: some Collection<UInt8>) {
        var r = ByteReader(Array(bytes))
        guard let elements = try? (0..<4).map({ _ in try r.readElement() }), (try? r.finish()) != nil else { return nil }
        self.elements = elements
    }

    public var bytes: [UInt8] {
        var w = ByteWriter()
        for x in elements { w.write(x) }
        return w.bytes
    }

    /// 64 lower-case hexadecimal digits of `bytes`.
    public var description: String { Digest(bytes: bytes)!.description }
}
