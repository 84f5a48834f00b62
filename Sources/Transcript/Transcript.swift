import Field
import Hashing

/// The Fiat–Shamir transcript: a hash chain over SHA-256 that absorbs every
/// value the verifier uses and derives all challenges from it
/// (Spec/transcript.md).
///
/// * Absorbing appends a self-delimiting record — kind byte, label, payload —
///   to a pending buffer; nothing is hashed yet.
/// * Before the first challenge after any absorption the state is ratcheted:
///   `state ← SHA-256(T_absorb ‖ state ‖ pending)`, and the squeeze counter
///   restarts at 0. So every absorbed record changes every later challenge.
/// * Challenge bytes come from blocks `SHA-256(T_squeeze ‖ state ‖ counter)`;
///   each sampling call starts a fresh block, so consecutive samples differ.
/// T_absorb and T_squeeze are distinct 64-byte tag blocks, so the two uses of
/// SHA-256 never share an input prefix.
public struct Transcript: Sendable {
    /// Current chaining value.
    public private(set) var state: Digest
    var pending: [UInt8] = []
    var counter: UInt64 = 0

    static let absorbPrefix = tagBlock("zkvm/transcript/absorb/v1")
    static let squeezePrefix = tagBlock("zkvm/transcript/squeeze/v1")
    static let powPrefix = tagBlock("zkvm/transcript/pow/v1")

    /// A transcript for one protocol; `domain` names the protocol and version
    /// (e.g. "zkvm-stark-v1") and becomes the first input of the chain.
    public init(domain: String) {
        var ctx = SHA256.Context()
        ctx.update(Transcript.tagBlock("zkvm/transcript/init/v1"))
        ctx.update(Array(domain.utf8))
        state = ctx.finalized()
    }

    /// A 64-byte block holding a UTF-8 tag, zero-padded.
    static func tagBlock(_ tag: String) -> [UInt8] {
        var block = Array(tag.utf8)
        precondition(block.count <= 64)
        block += [UInt8](repeating: 0, count: 64 - block.count)
        return block
    }

    // MARK: Record kinds (Spec/transcript.md §Records)

    enum Kind: UInt8 {
        case element = 1, extensionElement = 2, digest = 3, integer = 4, bytes = 5,
             elements = 6, extensionElements = 7, proofOfWork = 8
    }

    mutating func beginRecord(_ kind: Kind, _ label: String) {
        let utf8 = Array(label.utf8)
        precondition(utf8.count <= 255, "transcript labels are at most 255 bytes")
        pending.append(kind.rawValue)
        pending.append(UInt8(utf8.count))
        pending.append(contentsOf: utf8)
    }

    mutating func appendWord(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { pending.append(contentsOf: $0) }
    }

    // MARK: Absorbing

    public mutating func absorb(_ label: String, _ element: Goldilocks) {
        beginRecord(.element, label)
        element.encode(into: &pending)
    }

    public mutating func absorb(_ label: String, _ element: GoldilocksExt3) {
        beginRecord(.extensionElement, label)
        element.encode(into: &pending)
    }

    /// A length-prefixed sequence of base-field elements.
    public mutating func absorb(_ label: String, _ elements: [Goldilocks]) {
        beginRecord(.elements, label)
        appendWord(UInt64(elements.count))
        for e in elements { e.encode(into: &pending) }
    }

    /// A length-prefixed sequence of extension elements.
    public mutating func absorb(_ label: String, _ elements: [GoldilocksExt3]) {
        beginRecord(.extensionElements, label)
        appendWord(UInt64(elements.count))
        for e in elements { e.encode(into: &pending) }
    }

    public mutating func absorb(_ label: String, _ digest: Digest) {
        beginRecord(.digest, label)
        pending.append(contentsOf: digest.bytes)
    }

    /// An integer: a length, count, index or protocol parameter.
    public mutating func absorb(_ label: String, integer: UInt64) {
        beginRecord(.integer, label)
        appendWord(integer)
    }

    /// Length-prefixed raw bytes.
    public mutating func absorb(_ label: String, bytes: [UInt8]) {
        beginRecord(.bytes, label)
        appendWord(UInt64(bytes.count))
        pending.append(contentsOf: bytes)
    }

    // MARK: Squeezing

    /// Folds pending records into the state (no-op if none).
    mutating func ratchet() {
        guard !pending.isEmpty else { return }
        var ctx = SHA256.Context()
        ctx.update(Transcript.absorbPrefix)
        state.withUnsafeBytes { ctx.update($0) }
        ctx.update(pending)
        state = ctx.finalized()
        pending.removeAll(keepingCapacity: true)
        counter = 0
    }

    /// The next 32 challenge bytes.
    mutating func nextBlock() -> [UInt8] {
        var ctx = SHA256.Context()
        ctx.update(Transcript.squeezePrefix)
        state.withUnsafeBytes { ctx.update($0) }
        withUnsafeBytes(of: counter.littleEndian) { ctx.update($0) }
        counter += 1
        return ctx.finalized().bytes
    }

    /// A stream of uniformly random 64-bit words for one sampling call.
    mutating func words(_ body: (inout WordSource) -> Void) {
        ratchet()
        var source = WordSource(transcript: self)
        body(&source)
        self = source.transcript
    }

    struct WordSource {
        var transcript: Transcript
        var buffer: [UInt8] = []
        var position = 0

        mutating func next() -> UInt64 {
            if position + 8 > buffer.count {
                buffer = transcript.nextBlock()
                position = 0
            }
            var v: UInt64 = 0
            for k in (0..<8).reversed() { v = v << 8 | UInt64(buffer[position + k]) }
            position += 8
            return v
        }
    }
}
