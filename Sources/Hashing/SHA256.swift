import CLibCrypto

/// SHA-256 (FIPS 180-4) through OpenSSL's libcrypto, which uses the CPU's SHA
/// extensions where present. Its low-level interface works on a caller-owned
/// context, so hashing allocates nothing — unlike swift-crypto's `SHA256`,
/// which allocates a context per call and costs ~2.3× on 64-byte Merkle nodes
/// (../shared/SWIFT-PERF.md, lesson 12). Tests check it against swift-crypto
/// and against an independent Swift implementation. (Spec/hashing.md)
public enum SHA256 {
    /// The standard hash of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Digest {
        var ctx = SHA256_CTX()
        SHA256_Init(&ctx)
        if let base = bytes.baseAddress, bytes.count > 0 { SHA256_Update(&ctx, base, bytes.count) }
        var out = Digest.zero
        _ = withUnsafeMutableBytes(of: &out.words) { SHA256_Final($0.baseAddress!.assumingMemoryBound(to: UInt8.self), &ctx) }
        return out
    }

    /// The standard hash of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> Digest {
        bytes.withUnsafeBytes { hash($0) }
    }
}

/// The SHA-256 chaining value h0…h7 and the compression function, for
/// fixed-length hashing without the final padding block (Spec/hashing.md §2).
///
/// Merkle leaves and nodes have lengths fixed by the tree's shape, so the
/// Merkle–Damgård chain needs no length padding: a collision of two
/// equal-length inputs from one IV yields a collision of the compression
/// function. Domain separation comes from distinct IVs (`tagged(_:)`).
@frozen
public struct SHA256State: Hashable, Sendable {
    /// A libcrypto context whose only meaningful part is the chaining value
    /// h0…h7; it is kept whole so each compression starts from a plain copy.
    @usableFromInline var context: SHA256_CTX

    /// The FIPS 180-4 initial hash value.
    public static let standardIV: SHA256State = {
        var ctx = SHA256_CTX()
        SHA256_Init(&ctx)
        return SHA256State(context: ctx)
    }()

    @inlinable
    init(context: SHA256_CTX) { self.context = context }

    /// The chaining value h0…h7.
    public var words: [UInt32] {
        withUnsafeBytes(of: context.h) { Array($0.bindMemory(to: UInt32.self)) }
    }

    /// The IV for a domain: the standard IV compressed once over a 64-byte
    /// block holding `tag` (UTF-8, ≤ 48 bytes) zero-padded to 56 bytes and
    /// `parameter` as 8 little-endian bytes.
    public static func tagged(_ tag: String, parameter: UInt64 = 0) -> SHA256State {
        var block = [UInt8](repeating: 0, count: 64)
        let utf8 = Array(tag.utf8)
        precondition(utf8.count <= 48, "domain tag too long")
        block.replaceSubrange(0..<utf8.count, with: utf8)
        withUnsafeBytes(of: parameter.littleEndian) { block.replaceSubrange(56..<64, with: $0) }
        var state = standardIV
        block.withUnsafeBytes { state.compress(blocks: $0.baseAddress!, byteCount: 64) }
        return state
    }

    /// Compresses `byteCount` bytes into the state, zero-padding the final
    /// partial block (no length encoding). `byteCount` may be 0.
    @inlinable
    public mutating func compress(blocks: UnsafeRawPointer, byteCount: Int) {
        precondition(byteCount >= 0, "negative byte count")
        if byteCount == 64 {
            // One block: the direct transform, no buffering logic.
            SHA256_Transform(&context, blocks.assumingMemoryBound(to: UInt8.self))
            return
        }
        let whole = byteCount & ~63
        if whole > 0 { SHA256_Update(&context, blocks, whole) }
        let rest = byteCount - whole
        if rest > 0 {
            var last: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &last) { $0.baseAddress!.copyMemory(from: blocks + whole, byteCount: rest) }
            withUnsafeBytes(of: &last) { SHA256_Transform(&context, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        }
        // Only h0…h7 matter; keep the byte counters from growing.
        context.Nl = 0
        context.Nh = 0
    }

    /// The state as a digest: h0…h7 big-endian, as in a standard SHA-256 output.
    @inlinable
    public var digest: Digest {
        var out = Digest.zero
        let h = context.h
        withUnsafeMutableBytes(of: &out.words) { dst in
            dst.storeBytes(of: h.0.bigEndian, toByteOffset: 0, as: UInt32.self)
            dst.storeBytes(of: h.1.bigEndian, toByteOffset: 4, as: UInt32.self)
            dst.storeBytes(of: h.2.bigEndian, toByteOffset: 8, as: UInt32.self)
            dst.storeBytes(of: h.3.bigEndian, toByteOffset: 12, as: UInt32.self)
            dst.storeBytes(of: h.4.bigEndian, toByteOffset: 16, as: UInt32.self)
            dst.storeBytes(of: h.5.bigEndian, toByteOffset: 20, as: UInt32.self)
            dst.storeBytes(of: h.6.bigEndian, toByteOffset: 24, as: UInt32.self)
            dst.storeBytes(of: h.7.bigEndian, toByteOffset: 28, as: UInt32.self)
        }
        return out
    }

    public static func == (a: SHA256State, b: SHA256State) -> Bool { a.digest == b.digest }
    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}

extension SHA256 {
    /// An incremental standard SHA-256 computation. A value type: copying a
    /// context after absorbing a common prefix gives a reusable midstate.
    public struct Context: Sendable {
        @usableFromInline var ctx = SHA256_CTX()

        public init() { SHA256_Init(&ctx) }

        @inlinable
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            if let base = bytes.baseAddress, bytes.count > 0 { SHA256_Update(&ctx, base, bytes.count) }
        }

        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update($0) }
        }

        /// The digest of everything absorbed; the context itself is unchanged.
        @inlinable
        public func finalized() -> Digest {
            var copy = ctx
            var out = Digest.zero
            _ = withUnsafeMutableBytes(of: &out.words) {
                SHA256_Final($0.baseAddress!.assumingMemoryBound(to: UInt8.self), &copy)
            }
            return out
        }
    }
}

extension Digest {
    /// The number of leading zero bits of the digest read as a big-endian
    /// 256-bit integer, capped at 64.
    @inlinable
    public var leadingZeroBits: Int {
        // words.0 holds bytes 0…7 in memory order; as big-endian, byte 0 is most significant.
        UInt64(littleEndian: words.0).byteSwapped.leadingZeroBitCount
    }
}
