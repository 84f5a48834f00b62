import Field
import Hashing
import Parallel

/// Proof-of-work grinding (Spec/transcript.md §Grinding): a nonce n is valid
/// for `bits` if SHA-256(T_pow ‖ state ‖ n as 8 LE bytes) has at least `bits`
/// leading zero bits, where `state` is the ratcheted state after everything
/// absorbed so far. The nonce is then absorbed, so later challenges (the
/// queries) depend on it. Each attempt costs one SHA-256 compression after a
/// shared midstate.
extension Transcript {
    /// Largest supported difficulty.
    public static let maxProofOfWorkBits = 40

    func powContext() -> SHA256.Context {
        var ctx = SHA256.Context()
        ctx.update(Transcript.powPrefix)
        state.withUnsafeBytes { ctx.update($0) }
        return ctx
    }

    static func powWork(_ prefix: SHA256.Context, nonce: UInt64) -> Int {
        var ctx = prefix
        withUnsafeBytes(of: nonce.littleEndian) { ctx.update($0) }
        return ctx.finalized().leadingZeroBits
    }

    /// Finds the smallest valid nonce (deterministic at any thread count),
    /// absorbs it, and returns it.
    /// - Throws: `TranscriptError.unsupported` if bits > `maxProofOfWorkBits`.
    public mutating func grind(bits: Int, threads: Int = Parallel.defaultThreads) throws(TranscriptError) -> UInt64 {
        guard bits >= 0, bits <= Transcript.maxProofOfWorkBits else {
            throw .unsupported("proof-of-work of \(bits) bits (maximum \(Transcript.maxProofOfWorkBits))")
        }
        ratchet()
        let prefix = powContext()
        var nonce: UInt64 = 0
        if bits > 0 {
            let chunk: UInt64 = 1 << 12
            let workers = min(max(1, threads), Parallel.maxThreads)
            var base: UInt64 = 0
            search: while true {
                let found = FoundNonces(count: workers)
                let start = base
                Parallel.forEach(workers, threads: workers) { w in
                    var n = start + UInt64(w) * chunk
                    let end = n + chunk
                    while n < end {
                        if Transcript.powWork(prefix, nonce: n) >= bits { found.record(n, worker: w); return }
                        n += 1
                    }
                }
                if let best = found.smallest { nonce = best; break search }
                base += chunk * UInt64(workers)
            }
        }
        absorbNonce(nonce, bits: bits)
        return nonce
    }

    /// Checks a nonce against `bits` and absorbs it.
    /// - Throws: `TranscriptError.insufficientProofOfWork` if it falls short.
    public mutating func verifyProofOfWork(nonce: UInt64, bits: Int) throws(TranscriptError) {
        guard bits >= 0, bits <= Transcript.maxProofOfWorkBits else {
            throw .unsupported("proof-of-work of \(bits) bits (maximum \(Transcript.maxProofOfWorkBits))")
        }
        ratchet()
        let achieved = Transcript.powWork(powContext(), nonce: nonce)
        guard achieved >= bits else { throw .insufficientProofOfWork(required: bits, achieved: achieved) }
        absorbNonce(nonce, bits: bits)
    }

    mutating func absorbNonce(_ nonce: UInt64, bits: Int) {
        beginRecord(.proofOfWork, "pow")
        appendWord(UInt64(bits))
        appendWord(nonce)
    }
}

/// Per-worker slots for nonces found in one grinding round.
final class FoundNonces: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<UInt64>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: .max, count: count)
    }

    deinit { slots.deallocate() }

    /// Each worker writes only its own slot.
    func record(_ nonce: UInt64, worker: Int) { slots[worker] = nonce }

    var smallest: UInt64? {
        let m = (0..<count).map { slots[$0] }.min()!
        return m == .max ? nil : m
    }
}
