/// Appends canonical little-endian encodings (Spec/field.md §Encoding).
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ value: UInt8) { bytes.append(value) }
    public mutating func write(_ value: UInt16) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }
    public mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func write(_ element: Goldilocks) { element.encode(into: &bytes) }
    public mutating func write(_ element: GoldilocksExt3) { element.encode(into: &bytes) }
    public mutating func write(raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }
    /// A u32 count followed by the elements.
    public mutating func write(_ elements: [Goldilocks]) {
        write(UInt32(elements.count))
        for e in elements { write(e) }
    }
}

/// Reads canonical encodings from untrusted bytes. Every failure is a
/// `FieldError` naming the byte offset; nothing traps and no allocation is
/// sized by a declared length before that length is checked against the
/// bytes remaining.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    /// The offset of the next unread byte.
    public private(set) var offset: Int = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }

    mutating func take(_ count: Int) throws(FieldError) -> Int {
        guard count >= 0, remaining >= count else {
            throw .truncated(offset: offset, needed: count, available: remaining)
        }
        let start = offset
        offset += count
        return start
    }

    public mutating func readUInt8() throws(FieldError) -> UInt8 {
        bytes[try take(1)]
    }

    public mutating func readUInt16() throws(FieldError) -> UInt16 {
        let at = try take(2)
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    public mutating func readInt64() throws(FieldError) -> Int64 {
        Int64(bitPattern: try readUInt64())
    }

    public mutating func readUInt32() throws(FieldError) -> UInt32 {
        let at = try take(4)
        var v: UInt32 = 0
        for k in (0..<4).reversed() { v = v << 8 | UInt32(bytes[at + k]) }
        return v
    }

    public mutating func readUInt64() throws(FieldError) -> UInt64 {
        let at = try take(8)
        var v: UInt64 = 0
        for k in (0..<8).reversed() { v = v << 8 | UInt64(bytes[at + k]) }
        return v
    }

    public mutating func readElement() throws(FieldError) -> Goldilocks {
        let at = offset
        let raw = try readUInt64()
        guard let e = Goldilocks(canonical: raw) else { throw .nonCanonical(value: raw, offset: at) }
        return e
    }

    public mutating func readExtensionElement() throws(FieldError) -> GoldilocksExt3 {
        GoldilocksExt3(try readElement(), try readElement(), try readElement())
    }

    public mutating func readBytes(_ count: Int) throws(FieldError) -> ArraySlice<UInt8> {
        let at = try take(count)
        return bytes[at..<at + count]
    }

    /// A u32 count, checked against `maximum` and against the bytes left
    /// (each item needs at least `minimumItemSize` bytes) before any allocation.
    public mutating func readCount(maximum: Int, minimumItemSize: Int) throws(FieldError) -> Int {
        precondition(minimumItemSize >= 1, "items must occupy at least one byte")
        let at = offset
        let declared = try readUInt32()
        let fits = remaining / minimumItemSize
        guard Int(declared) <= maximum, Int(declared) <= fits else {
            throw .lengthOutOfRange(declared: UInt64(declared), maximum: min(maximum, fits), offset: at)
        }
        return Int(declared)
    }

    /// A u32 count followed by that many elements.
    public mutating func readElements(maximum: Int) throws(FieldError) -> [Goldilocks] {
        let n = try readCount(maximum: maximum, minimumItemSize: 8)
        var out = [Goldilocks]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readElement()) }
        return out
    }

    /// Throws unless every byte has been read.
    public func finish() throws(FieldError) {
        if remaining != 0 { throw .trailingBytes(offset: offset, count: remaining) }
    }
}
