import CLibCrypto

/// Cryptographic randomness for zero-knowledge masks and salts (Spec/zk.md §5).
///
/// `seed()` draws from OpenSSL's CSPRNG (`RAND_bytes`, seeded by the
/// operating system). `KeyedStream` expands a secret 32-byte key and a
/// 128-bit stream identifier with AES-256 in counter mode, so a prover can
/// regenerate exactly the same masks when it recomputes a commitment, at
/// gigabytes per second with AES-NI.
public enum SecureRandom {
    /// 32 fresh random bytes from the system CSPRNG.
    /// - Precondition: the CSPRNG works (OpenSSL fails only when the OS has no entropy source).
    public static func seed() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, 32) }
        precondition(ok == 1, "the system random number generator failed")
        return bytes
    }
}

/// AES-256-CTR keystream of a secret key under one 128-bit stream identifier.
public final class KeyedStream {
    private let context: OpaquePointer

    /// - Precondition: `key` has 32 bytes.
    public init(key: [UInt8], stream: (UInt64, UInt64)) {
        precondition(key.count == 32, "a stream key has 32 bytes")
        guard let context = EVP_CIPHER_CTX_new() else { preconditionFailure("out of memory") }
        var iv = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { iv[i] = UInt8(truncatingIfNeeded: stream.0 >> (8 * i)); iv[8 + i] = UInt8(truncatingIfNeeded: stream.1 >> (8 * i)) }
        // The counter occupies the IV's low bytes; stream ids keep their
        // high 64 bits distinct, and no stream is anywhere near 2^64 blocks.
        let ok = key.withUnsafeBufferPointer { k in
            iv.withUnsafeBufferPointer { v in EVP_EncryptInit_ex(context, EVP_aes_256_ctr(), nil, k.baseAddress, v.baseAddress) }
        }
        precondition(ok == 1, "AES-256-CTR is unavailable")
        self.context = context
    }

    /// Overwrites `count` bytes at `buffer` with the next keystream bytes.
    public func fill(_ buffer: UnsafeMutableRawPointer, count: Int) {
        memsetZero(buffer, count)
        var done = 0
        while done < count {
            let step = Int32(min(count - done, 1 << 30))
            var written: Int32 = 0
            let p = buffer.advanced(by: done).assumingMemoryBound(to: UInt8.self)
            let ok = EVP_EncryptUpdate(context, p, &written, p, step)
            precondition(ok == 1 && written == step, "AES-256-CTR failed")
            done += Int(step)
        }
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    private func memsetZero(_ p: UnsafeMutableRawPointer, _ count: Int) {
        p.initializeMemory(as: UInt8.self, repeating: 0, count: count)
    }
}
