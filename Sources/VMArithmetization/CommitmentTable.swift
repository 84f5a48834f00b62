import AIR
import AlgebraicHashing
import Field
import ISA

/// The weight-commitment table (Spec/vm-air.md §9, Spec/zk.md §4): it
/// recomputes `WeightSponge` over the salt and the elements that encode the
/// committed weights (`units`), one Poseidon2 permutation per row, and pins
/// the digest to public values 5…8. Each element it absorbs arrives on the
/// commitment bus from the memory table's initial value of the unit's one
/// cell, or packed from the weights row that holds the unit's lane group
/// (Spec/vm-air.md §10a), so the model that ran is the model that was
/// committed. Every trace cell is masked afresh in
/// each zero-knowledge proof: unlike a Merkle root of the weights, the
/// commitment stays hiding however many proofs are made against it.
///
/// Row r absorbs block r (lanes 0…7 of the absorbed sequence) into the
/// state: before(r) = after(r − 1) + block(r), before(0) = IV + block(0).
/// Rows after the last block keep permuting zero blocks; only the row the
/// preprocessed digest flag marks is pinned to the commitment.
public enum CommitmentTable: VMTableComponent {
    /// Main columns: block (8), state before the permutation (12), and each
    /// S-box output (x + c)^7: 12 per external round, one per internal
    /// round. Every other lane value is a linear form of these cells, so one
    /// degree-7 constraint per S-box defines it (the table's degree limit is
    /// 7: its quotient needs blowup 8, Spec/vm-air.md §9).
    package enum Main {
        package static let block = 0, before = 8
        package static func fullOutput(_ round: Int, _ lane: Int) -> Int { 20 + round * Poseidon2.width + lane }
        package static func partialOutput(_ round: Int) -> Int { 20 + Poseidon2.fullRounds * Poseidon2.width + round }
        package static let width = 20 + Poseidon2.fullRounds * Poseidon2.width + Poseidon2.partialRounds
    }

    /// The S-box degree, the table's degree limit.
    static let degree = 7

    /// Preprocessed columns: the address of each lane's unit (8), each
    /// lane's flag (1 where it absorbs a unit's element, 8), the digest-row
    /// flag, and on every row the element count N and the layout element
    /// (the sponge's capacity lanes 8 and 10).
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
        // The sponge chain: the state after a permutation is a linear form
        // of the last external round's outputs.
        let after = addPermutation(&t)
        for i in 0..<width {
            let absorbed: Expression = i < rate ? .main(Main.block + i) : 0
            let nextAbsorbed: Expression = i < rate ? .mainNext(Main.block + i) : 0
            let iv: Expression = i == rate ? .fixed(Fixed.count) : i == rate + 1 ? .constant(WeightSponge.tag)
                : i == rate + 2 ? .fixed(Fixed.layout) : 0
            t.assertOnFirstRow("state \(i) starts at IV + block", .main(Main.before + i) - iv - absorbed)
            t.assertOnTransition("state \(i) carries to the next row", .mainNext(Main.before + i) - after[i] - nextAbsorbed)
        }
        for i in 0..<WeightSponge.digestCount {
            t.assertZero("digest \(i) is public", .fixed(Fixed.isDigest) * (after[i] - .publicValue(digestPublicValue + i)))
        }
        return try t.build(publicValueCount: digestPublicValue + WeightSponge.digestCount, blinded: blinded, degreeLimit: degree)
    }

    /// The permutation's constraints, one of degree 7 per S-box; returns
    /// the state after the permutation. A full round's inputs are M_E of
    /// committed cells (`before`, or the previous full round's outputs) by
    /// the addition chain `externalLayer`; the internal rounds carry lanes
    /// as linear forms (`LinearForm`) and materialize them where an S-box
    /// takes one.
    static func addPermutation(_ t: inout TableBuilder) -> [Expression] {
        let constants = Poseidon2.roundConstants
        func sbox(_ label: String, _ input: Expression, output column: Int) {
            let square = input * input, fourth = square * square
            t.assertZero(label, .main(column) - fourth * square * input)
        }
        func columns(_ c: [Int]) -> [Expression] { c.map { Expression.main($0) } }
        // Lanes entering the next round: expressions after a full round or
        // at the start, linear forms through the internal rounds.
        var x = externalLayer(columns((0..<Poseidon2.width).map { Main.before + $0 }))
        var forms = [LinearForm]()
        var k = 0, full = 0, partial = 0
        for round in 0..<Poseidon2.rounds {
            if Poseidon2.isFull(round) {
                let inputs = forms.isEmpty ? x : forms.map(\.expression)
                for i in 0..<Poseidon2.width {
                    sbox("round \(round) lane \(i) S-box", inputs[i] + .constant(constants[k + i]), output: Main.fullOutput(full, i))
                }
                let outputs = (0..<Poseidon2.width).map { Main.fullOutput(full, $0) }
                forms = []
                if round + 1 < Poseidon2.rounds, !Poseidon2.isFull(round + 1) {
                    // The internal rounds need linear forms of the outputs.
                    forms = LinearForm.apply(LinearForm.externalMatrix, to: outputs.map { LinearForm(column: $0) })
                } else {
                    x = externalLayer(columns(outputs))
                }
                k += Poseidon2.width
                full += 1
            } else {
                sbox("round \(round) S-box", (forms[0] + LinearForm(constant: constants[k])).expression,
                     output: Main.partialOutput(partial))
                forms[0] = LinearForm(column: Main.partialOutput(partial))
                forms = LinearForm.internalLayer(forms)
                k += 1
                partial += 1
            }
        }
        return x
    }

    /// M_E·x as expressions of additions and doublings (about 70 nodes
    /// instead of 144 products and 144 sums): M4 on each block of four by the Poseidon2 paper's
    /// addition chain (§5.1: t0 = x0 + x1, t1 = x2 + x3, t2 = 2x1 + t1,
    /// t3 = 2x3 + t0, t4 = 4t1 + t3, t5 = 4t0 + t2, M4·x = (t3 + t5, t5,
    /// t2 + t4, t4)), then each block plus the sum of all blocks. Equal to
    /// `Poseidon2.externalLayer` (`CommitmentTableTests`).
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

    /// One element of the absorbed sequence: the committed cells it
    /// encodes (memory addresses, 1 to 3) and the address the commitment
    /// bus names it by (its first cell's).
    public struct Unit: Sendable, Equatable {
        public var cells: [Int]
        public var address: Int { cells[0] }
    }

    /// The absorbed sequence's units, in commitment order (Spec/vm-air.md
    /// §9): the committed tensors in declaration order; a tensor the weights
    /// table holds (16-bit, `HeldWeights`) as its weights rows in `DotCode`
    /// order, each row's lanes in groups of three (`WeightsTable.laneGroups`);
    /// any other tensor cell by cell in address order. Every committed cell
    /// is in exactly one unit (a held cell is one lane of one row).
    public static func units(_ program: Program, code: DotCode) -> [Unit] {
        var units = [Unit]()
        for (t, tensor) in program.tensors.enumerated() where tensor.visibility == .committed {
            if code.heldTensors[t] {
                for row in code.weightsRows where row.tensor == t {
                    for group in WeightsTable.laneGroups where group.lowerBound < row.lanes {
                        units.append(Unit(cells: group.clamped(to: 0..<row.lanes).map { Int(row.base + Int64($0) * row.stride) }))
                    }
                }
            } else {
                for cell in 0..<tensor.count { units.append(Unit(cells: [Int(tensor.address) + cell])) }
            }
        }
        return units
    }

    /// The element that encodes a unit's values v_0, v_1, v_2 (each in
    /// [−2^15, 2^15) when there are several): v_0 + Σ_{i≥1} 2^{16i}·(v_i + 2^15),
    /// an integer in [−2^15, 2^48), so distinct values give distinct
    /// elements; a single value is itself (any value in V).
    public static func element(_ values: [Int64]) -> Goldilocks {
        var e = Goldilocks(values[0])
        for i in 1..<values.count { e = e + Goldilocks(values[i] + (1 << 15)) * Goldilocks(1 << (16 * i)) }
        return e
    }

    /// The committed weights' layout, in commitment order: u32 count, then
    /// per tensor u32 rank, u32 dimensions, i32 scale, u32 bits; then u32
    /// unit count and per unit u32 cell count and each cell's u32 address
    /// (`WeightSponge.layoutElement`): the same digest never opens to the
    /// same values placed in other cells.
    public static func layoutDescription(_ program: Program, units: [Unit]) -> [UInt8] {
        let tensors = program.committedWeights
        var w = ByteWriter()
        w.write(UInt32(tensors.count))
        for t in tensors {
            w.write(UInt32(t.shape.count))
            for d in t.shape { w.write(UInt32(d)) }
            w.write(UInt32(bitPattern: Int32(t.scale)))
            w.write(UInt32(t.bits))
        }
        w.write(UInt32(units.count))
        for unit in units {
            w.write(UInt32(unit.cells.count))
            for cell in unit.cells { w.write(UInt32(cell)) }
        }
        return w.bytes
    }

    /// The layout element of `program`'s committed weights absorbed as `units`.
    public static func layoutElement(_ program: Program, units: [Unit]) -> Goldilocks {
        WeightSponge.layoutElement(layoutDescription(program, units: units))
    }

    /// The absorbed elements (the salt's excepted), one per unit of `units`.
    public static func elements(_ program: Program, units: [Unit]) -> [Goldilocks] {
        var values = [Int64](repeating: 0, count: Int(program.memorySize))
        for t in program.committedWeights { for (i, v) in (t.data ?? []).enumerated() { values[Int(t.address) + i] = v } }
        return units.map { element($0.cells.map { values[$0] }) }
    }

    /// The commitment to `program`'s committed weights under `salt` (4
    /// elements); `units` are the program's (`VMAir.commitmentUnits`) when already derived.
    public static func commitment(_ program: Program, salt: [Goldilocks], units: [Unit]? = nil) -> WeightCommitment {
        let units = units ?? Self.units(program, code: DotCode(program))
        return WeightCommitment(elements: WeightSponge.commit(salt: salt, elements: elements(program, units: units),
                                                              layout: layoutElement(program, units: units)))
    }

    /// The preprocessed columns; `isLastSegment` false gives the empty
    /// variant (no weights, no digest row) of the other segments.
    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        fixedColumns(air.program, units: isLastSegment ? air.commitmentUnits : [],
                     logHeight: air.commitmentLogHeight(isLastSegment: isLastSegment), isLastSegment: isLastSegment)
    }

    static func fixedColumns(_ program: Program, units: [Unit], logHeight: Int, isLastSegment: Bool) -> [[Goldilocks]] {
        let n = 1 << logHeight
        var c = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: Fixed.width)
        guard isLastSegment else { return c }
        for (k, unit) in units.enumerated() {
            let position = WeightSponge.saltCount + k
            c[Fixed.address + position % WeightSponge.rate][position / WeightSponge.rate] = Goldilocks(unit.address)
            c[Fixed.isWeight + position % WeightSponge.rate][position / WeightSponge.rate] = .one
        }
        c[Fixed.isDigest][WeightSponge.permutationCount(elements: units.count) - 1] = .one
        c[Fixed.count] = [Goldilocks](repeating: Goldilocks(units.count), count: n)
        c[Fixed.layout] = [Goldilocks](repeating: layoutElement(program, units: units), count: n)
        return c
    }
}
