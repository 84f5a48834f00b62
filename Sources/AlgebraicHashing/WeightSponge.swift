import Field

/// The sponge that commits to a model's weights (Spec/hashing.md §7,
/// Spec/zk.md §4): Poseidon2 with rate 8 (lanes 0…7) and capacity 4
/// (lanes 8…11).
///
/// The state starts as zero except capacity lanes 8, 9 and 10, which hold
/// the number of absorbed elements N, the tag "zkvm" (0x7A6B766D) and the layout
/// element (`layoutElement`: the committed tensors' shapes and scales), so
/// inputs of different lengths or layouts never share a state. The absorbed sequence is the
/// salt (4 elements) then the N elements that encode the weights (one
/// weight, or three 16-bit weights packed by the caller,
/// `CommitmentTable.units` in VMArithmetization), zero-padded to a multiple of 8;
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

    /// The element that names the weights' layout: the first word of
    /// `Poseidon2.wordStream("zkvm/weight-layout/v2" ‖ description)`, where
    /// the caller's description encodes the committed tensors' shapes,
    /// scales and widths and the absorbed units' cells
    /// (`CommitmentTable.layoutDescription` in VMArithmetization).
    public static func layoutElement(_ description: [UInt8]) -> Goldilocks {
        Poseidon2.wordStream(tag: Array("zkvm/weight-layout/v2".utf8) + description, count: 1)[0]
    }

    /// The initial state for `count` elements of layout element `layout`.
    public static func initialState(count: Int, layout: Goldilocks) -> [Goldilocks] {
        var state = [Goldilocks](repeating: .zero, count: Poseidon2.width)
        state[rate] = Goldilocks(count)
        state[rate + 1] = tag
        state[rate + 2] = layout
        return state
    }

    /// Permutations the sponge runs for `count` elements: ⌈(4 + count)/8⌉.
    public static func permutationCount(elements count: Int) -> Int { (saltCount + count + rate - 1) / rate }

    /// The absorbed sequence: salt, elements, zero padding.
    public static func absorbed(salt: [Goldilocks], elements: [Goldilocks]) -> [Goldilocks] {
        precondition(salt.count == saltCount, "the salt has 4 elements")
        let sequence = salt + elements
        return sequence + [Goldilocks](repeating: .zero, count: permutationCount(elements: elements.count) * rate - sequence.count)
    }

    /// The commitment to `elements` of layout element `layout` under `salt` (4 elements).
    public static func commit(salt: [Goldilocks], elements: [Goldilocks], layout: Goldilocks) -> [Goldilocks] {
        let blocks = absorbed(salt: salt, elements: elements)
        var state = initialState(count: elements.count, layout: layout)
        for b in stride(from: 0, to: blocks.count, by: rate) {
            for i in 0..<rate { state[i] = state[i] + blocks[b + i] }
            Poseidon2.permute(&state)
        }
        return Array(state[0..<digestCount])
    }
}
