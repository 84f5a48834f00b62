/// Canonical byte encoding: 8 bytes, little-endian, value < p (Spec/field.md).
/// Decoders reject every encoding of an integer ≥ p, so each element has
/// exactly one encoding.
extension Goldilocks {
    /// Encoded size in bytes.
    public static let byteCount = 8

    /// Appends the 8-byte little-endian encoding.
    @inlinable
    public func encode(into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// The 8-byte little-endian encoding.
    @inlinable
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(8)
        encode(into: &out)
        return out
    }

    /// Decodes the element at `offset` of `bytes`.
    /// - Throws: `FieldError.truncated` or `FieldError.nonCanonical` (with the offset).
    @inlinable
    public static func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(FieldError) -> Goldilocks {
        guard offset >= 0, offset <= bytes.count, bytes.count - offset >= 8 else {
            throw .truncated(offset: offset, needed: 8, available: max(0, bytes.count - max(0, offset)))
        }
        let raw = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        guard let element = Goldilocks(canonical: raw) else {
            throw .nonCanonical(value: raw, offset: offset)
        }
        return element
    }

    /// Decodes the element at `offset` of `bytes` (see the pointer overload).
    @inlinable
    public static func decode(_ bytes: [UInt8], at offset: Int) throws(FieldError) -> Goldilocks {
        guard offset >= 0, offset <= bytes.count, bytes.count - offset >= 8 else {
            throw .truncated(offset: offset, needed: 8, available: max(0, bytes.count - max(0, offset)))
        }
        var raw: UInt64 = 0
        for k in (0..<8).reversed() { raw = raw << 8 | UInt64(bytes[offset + k]) }
        guard let element = Goldilocks(canonical: raw) else {
            throw .nonCanonical(value: raw, offset: offset)
        }
        return element
    }
}
