import Field
import Hashing

/// The Poseidon2 permutation over Goldilocks that zkvm uses inside its AIR
/// (Spec/hashing.md §7): width t = 12, S-box x⁷, R_F = 8 external and
/// R_P = 22 internal rounds — the 128-bit parameters of Grassi,
/// Khovratovich and Schofnegger, "Poseidon2: A Faster Version of the
/// Poseidon Hash Function" (ePrint 2023/323, Table 1, d = 7).
///
/// Structure (paper §3): the external layer M_E on the input, then 4
/// external rounds (add a constant to every lane, S-box every lane, M_E),
/// 22 internal rounds (add a constant to lane 0, S-box lane 0, M_I), and 4
/// external rounds.
///
/// - M_E = circ(2·M4, M4, M4) with the paper's M4 (§5.1).
/// - M_I = J + diag(D): x′ᵢ = Σⱼ xⱼ + Dᵢ·xᵢ.
/// - The constants are nothing-up-my-sleeve values: the round constants are
///   the first 118 words of `wordStream("zkvm/poseidon2/goldilocks/t12/v1")`;
///   D is the first candidate c of `wordStream(diagonal tag ‖ u32 c)` whose
///   M_I has an irreducible characteristic polynomial for every power
///   1 … 24 (no invariant subspace trails; Grassi, Rechberger and
///   Schofnegger, ToSC 2021). `Tools/poseidon2_reference.py check` redoes
///   that search and finds c = 19.
public enum Poseidon2 {
    public static let width = 12
    public static let fullRounds = 8
    public static let partialRounds = 22
    /// Rounds in order: `isFull(round)` for 0 ..< `rounds`.
    public static let rounds = fullRounds + partialRounds

    static let constantTag = Array("zkvm/poseidon2/goldilocks/t12/v1".utf8)
    static let diagonalTag = Array("zkvm/poseidon2/goldilocks/t12/diagonal/v1".utf8)
    /// The diagonal candidate that passes the subspace-trail check (see above).
    static let diagonalCandidate: UInt32 = 19

    /// Whether round `round` (0 ..< 30) is an external (full) round.
    @inlinable
    public static func isFull(_ round: Int) -> Bool { round < fullRounds / 2 || round >= fullRounds / 2 + partialRounds }

    /// The round constants in round order: 12 per external round, 1 per internal round.
    public static let roundConstants: [Goldilocks] = wordStream(tag: constantTag, count: fullRounds * width + partialRounds)

    /// D of M_I = J + diag(D).
    public static let internalDiagonal: [Goldilocks] = {
        var tag = diagonalTag
        withUnsafeBytes(of: diagonalCandidate.littleEndian) { tag.append(contentsOf: $0) }
        return wordStream(tag: tag, count: width)
    }()

    /// The first `count` field elements of SHA-256(tag ‖ u32 counter) for
    /// counter = 0, 1, …: each digest read as four little-endian u64 words,
    /// words ≥ p skipped (so every value is uniform and canonical).
    public static func wordStream(tag: [UInt8], count: Int) -> [Goldilocks] {
        var out = [Goldilocks]()
        out.reserveCapacity(count)
        var counter: UInt32 = 0
        while out.count < count {
            var input = tag
            withUnsafeBytes(of: counter.littleEndian) { input.append(contentsOf: $0) }
            counter += 1
            let bytes = SHA256.hash(input).bytes
            for k in 0..<4 where out.count < count {
                var word: UInt64 = 0
                for b in 0..<8 { word |= UInt64(bytes[8 * k + b]) << (8 * b) }
                if let x = Goldilocks(canonical: word) { out.append(x) }
            }
        }
        return out
    }

    /// x⁷ (gcd(7, p − 1) = 1, so a permutation of the field).
    @inlinable
    public static func sbox(_ x: Goldilocks) -> Goldilocks {
        let x2 = x * x, x3 = x2 * x
        return x3 * x3 * x
    }

    /// y = M4·x on four lanes starting at `base` (M4 = [[5,7,1,3],[4,6,1,1],[1,3,5,7],[1,1,4,6]]).
    @inlinable
    static func m4(_ x: inout [Goldilocks], _ base: Int) {
        let a = x[base], b = x[base + 1], c = x[base + 2], d = x[base + 3]
        x[base] = a * Goldilocks(5) + b * Goldilocks(7) + c + d * Goldilocks(3)
        x[base + 1] = a * Goldilocks(4) + b * Goldilocks(6) + c + d
        x[base + 2] = a + b * Goldilocks(3) + c * Goldilocks(5) + d * Goldilocks(7)
        x[base + 3] = a + b + c * Goldilocks(4) + d * Goldilocks(6)
    }

    /// x ← M_E·x: M4 on each block of four, then every block plus the sum of all blocks.
    @inlinable
    public static func externalLayer(_ x: inout [Goldilocks]) {
        m4(&x, 0); m4(&x, 4); m4(&x, 8)
        for i in 0..<4 {
            let s = x[i] + x[i + 4] + x[i + 8]
            x[i] = x[i] + s; x[i + 4] = x[i + 4] + s; x[i + 8] = x[i + 8] + s
        }
    }

    /// x ← M_I·x = Σx + D∘x.
    @inlinable
    public static func internalLayer(_ x: inout [Goldilocks]) {
        var s = Goldilocks.zero
        for v in x { s = s + v }
        let d = internalDiagonal
        for i in 0..<width { x[i] = s + d[i] * x[i] }
    }

    /// Applies the permutation to `state` (12 lanes).
    public static func permute(_ state: inout [Goldilocks]) {
        var unused = Rounds()
        permute(&state, recording: &unused)
    }

    /// The intermediate values of one permutation that the AIR commits to
    /// (Spec/vm-air.md §9): every S-box output (xᵢ + cᵢ)^7, 12 per external
    /// round and lane 0's per internal round.
    public struct Rounds: Sendable {
        /// 8 × 12 S-box outputs, external round by external round.
        public var fullOutputs = [Goldilocks](repeating: .zero, count: fullRounds * width)
        /// 22 S-box outputs.
        public var partialOutputs = [Goldilocks](repeating: .zero, count: partialRounds)
        public init() {}
    }

    /// Applies the permutation to `state` and records its intermediate values.
    public static func permute(_ state: inout [Goldilocks], recording rounds: inout Rounds) {
        precondition(state.count == width, "Poseidon2 state has 12 lanes")
        let constants = roundConstants
        externalLayer(&state)
        var k = 0, full = 0, partial = 0
        for round in 0..<Self.rounds {
            if isFull(round) {
                for i in 0..<width {
                    let t = state[i] + constants[k + i]
                    let cube = t * t * t
                    state[i] = cube * cube * t
                    rounds.fullOutputs[full * width + i] = state[i]
                }
                k += width
                externalLayer(&state)
                full += 1
            } else {
                let t = state[0] + constants[k]
                let cube = t * t * t
                state[0] = cube * cube * t
                rounds.partialOutputs[partial] = state[0]
                k += 1
                internalLayer(&state)
                partial += 1
            }
        }
    }
}
