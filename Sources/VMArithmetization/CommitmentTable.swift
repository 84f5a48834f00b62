import AIR
import AlgebraicHashing
import Field
import ISA

/// The weight-commitment table (Spec/vm-air.md §9, Spec/zk.md §4): it
/// recomputes `WeightSponge` over the salt and the committed weights, one
/// Poseidon2 permutation per row, and pins the digest to public values
/// 5…8. Each weight it absorbs arrives on the commitment bus from the
/// memory table's initial value of the same address, or from the weights
/// table's lane that holds it (Spec/vm-air.md §10a), so the model that ran
/// is the model that was committed. Every trace cell is masked afresh in
/// each zero-knowledge proof: unlike a Merkle root of the weights, the
/// commitment stays hiding however many proofs are made against it.
///
/// Row r absorbs block r (lanes 0…7 of the absorbed sequence) into the
/// state: before(r) = after(r − 1) + block(r), before(0) = IV + block(0).
/// Rows after the last block keep permuting zero blocks; only the row the
/// preprocessed digest flag marks is pinned to the commitment.
public enum CommitmentTable: VMTableComponent {
    /// Main columns: block (8), state before the permutation (12), per
    /// external round 12 cubes (xᵢ + cᵢ)³ and the 12-lane state after the
    /// round, per internal round the cube and S-box output of lane 0.
    package enum Main {
        package static let block = 0, before = 8
        package static func fullCube(_ round: Int, _ lane: Int) -> Int { 20 + round * 24 + lane }
        package static func fullState(_ round: Int, _ lane: Int) -> Int { 20 + round * 24 + 12 + lane }
        package static func partialCube(_ round: Int) -> Int { 20 + Poseidon2.fullRounds * 24 + 2 * round }
        package static func partialOutput(_ round: Int) -> Int { partialCube(round) + 1 }
        /// The state after the permutation: the last external round's state.
        package static func after(_ lane: Int) -> Int { fullState(Poseidon2.fullRounds - 1, lane) }
        package static let width = 20 + Poseidon2.fullRounds * 24 + Poseidon2.partialRounds * 2
    }

    /// Preprocessed columns: the memory address of each lane's weight (8),
    /// each lane's weight flag (8), the digest-row flag, and on every row the
    /// weight count N and the layout element (the sponge's capacity lanes 8 and 10).
    enum Fixed {
        static let address = 0, isWeight = 8, isDigest = 16, count = 17, layout = 18, width = 19
    }

    /// Public value index of digest element 0 (then 1, 2, 3).
    static let digestPublicValue = SegmentBoundary.Index.count

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "commitment", mainWidth: Main.width, preprocessedWidth: Fixed.width)
        let rate = WeightSponge.rate, width = Poseidon2.width

        // Lanes carry weights where flagged, the salt in lanes 0…3 of row 0,
        // zero elsewhere; each weight comes from memory over the bus.
        for j in 0..<rate {
            let free = j < WeightSponge.saltCount ? Expression.fixed(Fixed.isWeight + j) + .isFirstRow : .fixed(Fixed.isWeight + j)
            t.assertZero("lane \(j) is zero unless it absorbs", (1 - free) * .main(Main.block + j))
            t.receive("weight lane \(j)", bus: Bus.commitment, [.fixed(Fixed.address + j), .main(Main.block + j)],
                      multiplicity: .fixed(Fixed.isWeight + j))
        }
        // The sponge chain.
        for i in 0..<width {
            let absorbed: Expression = i < rate ? .main(Main.block + i) : 0
            let nextAbsorbed: Expression = i < rate ? .mainNext(Main.block + i) : 0
            let iv: Expression = i == rate ? .fixed(Fixed.count) : i == rate + 1 ? .constant(WeightSponge.tag)
                : i == rate + 2 ? .fixed(Fixed.layout) : 0
            t.assertOnFirstRow("state \(i) starts at IV + block", .main(Main.before + i) - iv - absorbed)
            t.assertOnTransition("state \(i) carries to the next row",
                                 .mainNext(Main.before + i) - .main(Main.after(i)) - nextAbsorbed)
        }
        for i in 0..<WeightSponge.digestCount {
            t.assertZero("digest \(i) is public", .fixed(Fixed.isDigest) * (.main(Main.after(i)) - .publicValue(digestPublicValue + i)))
        }
        addPermutation(&t)
        return try t.build(publicValueCount: digestPublicValue + WeightSponge.digestCount, blinded: blinded)
    }

    /// The permutation's constraints, all of degree ≤ 3: lanes are tracked as
    /// linear forms over committed cells and only materialized where a
    /// cube is taken, so expressions stay flat.
    static func addPermutation(_ t: inout TableBuilder) {
        let constants = Poseidon2.roundConstants
        var x = LinearForm.apply(LinearForm.externalMatrix, to: (0..<Poseidon2.width).map { LinearForm(column: Main.before + $0) })
        var k = 0, full = 0, partial = 0
        for round in 0..<Poseidon2.rounds {
            if Poseidon2.isFull(round) {
                var outputs = [Expression]()
                for i in 0..<Poseidon2.width {
                    let input = (x[i] + LinearForm(constant: constants[k + i])).expression
                    let cube = Expression.main(Main.fullCube(full, i))
                    t.assertZero("round \(round) lane \(i) cube", cube - input * input * input)
                    outputs.append(cube * cube * input)
                }
                let mixed = externalLayer(outputs)
                for i in 0..<Poseidon2.width {
                    t.assertZero("round \(round) lane \(i) state", .main(Main.fullState(full, i)) - mixed[i])
                }
                x = (0..<Poseidon2.width).map { LinearForm(column: Main.fullState(full, $0)) }
                k += Poseidon2.width
                full += 1
            } else {
                let input = (x[0] + LinearForm(constant: constants[k])).expression
                let cube = Expression.main(Main.partialCube(partial)), output = Expression.main(Main.partialOutput(partial))
                t.assertZero("round \(round) cube", cube - input * input * input)
                t.assertZero("round \(round) S-box", output - cube * cube * input)
                x[0] = LinearForm(column: Main.partialOutput(partial))
                x = LinearForm.internalLayer(x)
                k += 1
                partial += 1
            }
        }
    }

    /// M_E·x as expressions of additions and doublings (about 70 nodes
    /// instead of 144 products and 144 sums): M4 on each block of four by the Poseidon2 paper's
    /// addition chain (§5.1: t0 = x0 + x1, t1 = x2 + x3, t2 = 2x1 + t1,
    /// t3 = 2x3 + t0, t4 = 4t1 + t3, t5 = 4t0 + t2, M4·x = (t3 + t5, t5,
    /// t2 + t4, t4)), then each block plus the sum of all blocks. Equal to
    /// `Poseidon2.externalLayer` (the honest proofs check it).
    static func externalLayer(_ x: [Expression]) -> [Expression] {
        // Doubling by a constant keeps each operand once in the tree (a + a
        // would copy it, and nested copies slow compilation down).
        func double(_ e: Expression) -> Expression { .constant(Goldilocks(2)) * e }
        var y = [Expression]()
        for b in 0..<3 {
            let x0 = x[4 * b], x1 = x[4 * b + 1], x2 = x[4 * b + 2], x3 = x[4 * b + 3]
            let t0 = x0 + x1, t1 = x2 + x3
            let t2 = double(x1) + t1, t3 = double(x3) + t0
            let t4 = double(double(t1)) + t3, t5 = double(double(t0)) + t2
            y += [t3 + t5, t5, t2 + t4, t4]
        }
        return (0..<12).map { i in
            let lane = i % 4
            return y[i] + (y[lane] + y[lane + 4] + y[lane + 8])
        }
    }

    /// The memory addresses of the committed weights, in commitment order:
    /// committed tensors in declaration order, each tensor's cells in order.
    public static func weightAddresses(_ program: Program) -> [Int] {
        program.committedWeights
            .flatMap { t in (0..<t.count).map { Int(t.address) + $0 } }
    }

    /// The committed tensors' layout, in commitment order: u32 count, then
    /// per tensor u32 rank, u32 dimensions, i32 scale (`WeightSponge.layoutElement`).
    public static func layoutDescription(_ program: Program) -> [UInt8] {
        let tensors = program.committedWeights
        var w = ByteWriter()
        w.write(UInt32(tensors.count))
        for t in tensors {
            w.write(UInt32(t.shape.count))
            for d in t.shape { w.write(UInt32(d)) }
            w.write(UInt32(bitPattern: Int32(t.scale)))
        }
        return w.bytes
    }

    /// The layout element of `program`'s committed weights.
    public static func layoutElement(_ program: Program) -> Goldilocks { WeightSponge.layoutElement(layoutDescription(program)) }

    /// The committed weights' values in commitment order (matching `weightAddresses`).
    public static func weights(_ program: Program) -> [Goldilocks] {
        program.committedWeights.flatMap { ($0.data ?? []).map { Goldilocks($0) } }
    }

    /// The commitment to `program`'s committed weights under `salt` (4 elements).
    public static func commitment(_ program: Program, salt: [Goldilocks]) -> WeightCommitment {
        WeightCommitment(elements: WeightSponge.commit(salt: salt, weights: weights(program), layout: layoutElement(program)))
    }

    /// Rows the sponge needs: one per absorbed block.
    static func rows(_ program: Program) -> Int { WeightSponge.permutationCount(weights: weightAddresses(program).count) }

    /// The preprocessed columns; `isLastSegment` false gives the empty
    /// variant (no weights, no digest row) of the other segments.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        fixedColumns(air.program, logHeight: air.commitmentLogHeight(isLastSegment: isLastSegment), isLastSegment: isLastSegment)
    }

    static func fixedColumns(_ program: Program, logHeight: Int, isLastSegment: Bool) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var c = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Fixed.width)
        guard isLastSegment else { return c }
        let addresses = weightAddresses(program)
        for (k, address) in addresses.enumerated() {
            let position = WeightSponge.saltCount + k
            c[Fixed.address + position % WeightSponge.rate][position / WeightSponge.rate] = Goldilocks(address)
            c[Fixed.isWeight + position % WeightSponge.rate][position / WeightSponge.rate] = .one
        }
        c[Fixed.isDigest][WeightSponge.permutationCount(weights: addresses.count) - 1] = .one
        c[Fixed.count] = [Goldilocks](repeating: Goldilocks(addresses.count), count: n)
        c[Fixed.layout] = [Goldilocks](repeating: layoutElement(program), count: n)
        return c
    }
}
