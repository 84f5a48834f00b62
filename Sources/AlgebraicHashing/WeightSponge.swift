import Field

/// The sponge that commits to a model's weights (Spec/hashing.md §7,
/// Spec/zk.md §4): Poseidon2 with rate 8 (lanes 0…7) and capacity 4
/// (lanes 8…11).
///
/// The state starts as zero except capacity lanes 8 and 9, which hold the
/// number of weights N and the tag "zkvm" (0x7A6B766D), so inputs of
/// different lengths never share a state. The absorbed sequence is the
/// salt (4 elements) then the N weights, zero-padded to a multiple of 8;
/// block k is added to lanes 0…7 and the state permuted. The commitment
/// is lanes 0…3 of the final state: 256 bits, 128-bit collision
/// resistance from the 256-bit capacity.
///
/// With a uniform secret salt the commitment hides the weights (Poseidon2
/// modelled as a random permutation); the AIR recomputes the same sponge
/// (`CommitmentTable` in VMArithmetization), so a proof binds to it.
public enum WeightSponge {
    public static let rate = 8
    public static let saltCount = 4
    public static let digestCount = 4
    public static let tag = Goldilocks(canonicalUnchecked: 0x7A6B_766D)

    /// The salt a secret seed stands for: the first 4 words of
    /// `Poseidon2.wordStream("zkvm/weight-salt/v1" ‖ seed)` — uniform
    /// elements, so a 32-byte random seed gives a 256-bit salt.
    public static func salt(fromSeed seed: [UInt8]) -> [Goldilocks] {
        Poseidon2.wordStream(tag: Array("zkvm/weight-salt/v1".utf8) + seed, count: saltCount)
    }

    /// The initial state for `count` weights.
    public static func initialState(count: Int) -> [Goldilocks] {
        var state = [Goldilocks](repeating: .zero, count: Poseidon2.width)
        state[rate] = Goldilocks(count)
        state[rate + 1] = tag
        return state
    }

    /// Permutations the sponge runs for `count` weights: ⌈(4 + count)/8⌉.
    public static func permutationCount(weights count: Int) -> Int { (saltCount + count + rate - 1) / rate }

    /// The absorbed sequence: salt, weights, zero padding.
    public static func absorbed(salt: [Goldilocks], weights: [Goldilocks]) -> [Goldilocks] {
        precondition(salt.count == saltCount, "the salt has 4 elements")
        let elements = salt + weights
        return elements + [Goldilocks](repeating: .zero, count: permutationCount(weights: weights.count) * rate - elements.count)
    }

    /// The commitment to `weights` under `salt` (4 elements).
    public static func commit(salt: [Goldilocks], weights: [Goldilocks]) -> [Goldilocks] {
        let blocks = absorbed(salt: salt, weights: weights)
        var state = initialState(count: weights.count)
        for b in stride(from: 0, to: blocks.count, by: rate) {
            for i in 0..<rate { state[i] = state[i] + blocks[b + i] }
            Poseidon2.permute(&state)
        }
        return Array(state[0..<digestCount])
    }
}
