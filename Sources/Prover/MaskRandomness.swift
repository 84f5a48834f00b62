import Field
import Hashing

/// The randomness of one zero-knowledge proof (Spec/zk.md §2): masks,
/// blinds and salts, each drawn from its own AES-CTR stream under one secret
/// seed from the system CSPRNG. Streams are named by (purpose, table,
/// index), so a prover that recomputes a commitment (segments drop their
/// LDE between phases) regenerates exactly the same values. The seed never
/// leaves the prover.
struct MaskRandomness: Sendable {
    enum Purpose: UInt64 {
        case blind = 1, mainMask, auxiliaryMask, quotientMask, friMask, mainSalt, auxiliarySalt, quotientSalt, blindColumn
    }

    let seed: [UInt8]

    init(seed: [UInt8] = SecureRandom.seed()) { self.seed = seed }

    /// SHA-256("zkvm/masks/v1" ‖ seed ‖ statement): one proof's key.
    static func key(seed: [UInt8], statement: [UInt8]) -> [UInt8] {
        var context = SHA256.Context()
        context.update(Array("zkvm/masks/v1".utf8))
        context.update(seed)
        context.update(statement)
        return context.finalized().bytes
    }

    /// `count` uniform field elements (64-bit words ≥ p are rejected and redrawn).
    func elements(_ purpose: Purpose, table: Int, index: Int, count: Int) -> [Goldilocks] {
        [Goldilocks](unsafeUninitializedCapacity: count) { out, initialized in
            fill(out.baseAddress!, count: count, purpose, table: table, index: index)
            initialized = count
        }
    }

    /// Writes `count` uniform field elements to `out` (uninitialized memory is fine).
    func fill(_ out: UnsafeMutablePointer<Goldilocks>, count: Int, _ purpose: Purpose, table: Int, index: Int) {
        guard count > 0 else { return }
        let stream = KeyedStream(key: seed, stream: (purpose.rawValue << 32 | UInt64(table), UInt64(index)))
        // Goldilocks is a canonical UInt64 (a trivial type): the stream's
        // words, once all below p, are valid elements in place.
        out.withMemoryRebound(to: UInt64.self, capacity: count) { words in
            stream.fill(UnsafeMutableRawPointer(words), count: 8 * count)
            var spare: UInt64 = 0
            for i in 0..<count where words[i] >= Goldilocks.modulus {
                repeat { stream.fill(&spare, count: 8) } while spare >= Goldilocks.modulus
                words[i] = spare
            }
        }
    }
}
