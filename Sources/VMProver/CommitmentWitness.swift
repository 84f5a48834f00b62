import AlgebraicHashing
import Field
import ISA
import VMArithmetization

/// The commitment table's main columns (Spec/vm-air.md §9): the salted
/// Poseidon2 sponge over the program's committed weights, one permutation
/// per row with every round's intermediate values.
enum CommitmentWitness {
    typealias Main = CommitmentTable.Main

    /// The main columns: the sponge over `salt` and `program`'s committed
    /// weights absorbed as `units` (`VMAir.commitmentUnits`), or — `salt`
    /// nil, the other segments — zero blocks from the
    /// IV of zero weights and layout 0.
    static func columns(_ program: Program, units allUnits: [CommitmentTable.Unit], salt: [Goldilocks]?,
                        logHeight: Int) -> [[Goldilocks]] {
        let units = salt == nil ? [] : allUnits
        let values = CommitmentTable.elements(program, units: units)
        let absorbed = salt.map { WeightSponge.absorbed(salt: $0, elements: values) } ?? []
        let n = 1 << logHeight, rate = WeightSponge.rate
        precondition(absorbed.count % rate == 0 && absorbed.count / rate <= n)
        var c = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Main.width)
        var state = WeightSponge.initialState(count: values.count, layout: salt == nil ? .zero : CommitmentTable.layoutElement(program, units: units))
        var rounds = Poseidon2.Rounds()
        for row in 0..<n {
            for j in 0..<rate {
                let value = row * rate + j < absorbed.count ? absorbed[row * rate + j] : .zero
                c[Main.block + j][row] = value
                state[j] = state[j] + value
            }
            for i in 0..<Poseidon2.width { c[Main.before + i][row] = state[i] }
            Poseidon2.permute(&state, recording: &rounds)
            for f in 0..<Poseidon2.fullRounds {
                for i in 0..<Poseidon2.width { c[Main.fullOutput(f, i)][row] = rounds.fullOutputs[f * Poseidon2.width + i] }
            }
            for p in 0..<Poseidon2.partialRounds { c[Main.partialOutput(p)][row] = rounds.partialOutputs[p] }
        }
        return c
    }
}
