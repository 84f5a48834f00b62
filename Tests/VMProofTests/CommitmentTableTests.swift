import AIR
import AlgebraicHashing
import Field
import Testing
@testable import VMArithmetization

/// The commitment table's expressions against the native permutation.
@Suite struct CommitmentTableTests {
    /// The addition-chain M_E of the constraints equals `Poseidon2.externalLayer`.
    @Test func externalLayerExpressionsMatchTheNativeLayer() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let x = (0..<12).map { _ in Goldilocks(reducing: generator.next()) }
            var native = x
            Poseidon2.externalLayer(&native)
            let program = ConstraintProgram(CommitmentTable.externalLayer((0..<12).map { Expression.main($0) }))
            let values = program.evaluate { variable in
                guard case .main(let c, next: false) = variable else { fatalError("only main cells") }
                return GoldilocksExt3(x[c])
            }
            #expect(values == native.map { GoldilocksExt3($0) })
        }
    }

    /// On a row filled from the native permutation (its input in `before`,
    /// every recorded S-box output in its column), every S-box constraint
    /// holds and the linear forms of `after` give the native output; one
    /// changed output breaks a constraint.
    @Test func permutationConstraintsMatchTheNativePermutation() throws {
        typealias M = CommitmentTable.Main
        var builder = TableBuilder(name: "permutation", mainWidth: M.width)
        let after = CommitmentTable.addPermutation(&builder)
        let table = try builder.build(degreeLimit: CommitmentTable.degree)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4 {
            let input = (0..<12).map { _ in Goldilocks(reducing: generator.next()) }
            var output = input
            var rounds = Poseidon2.Rounds()
            Poseidon2.permute(&output, recording: &rounds)
            var row = [Goldilocks](repeating: .zero, count: M.width)
            for i in 0..<12 { row[M.before + i] = input[i] }
            for f in 0..<Poseidon2.fullRounds { for i in 0..<12 { row[M.fullOutput(f, i)] = rounds.fullOutputs[f * 12 + i] } }
            for p in 0..<Poseidon2.partialRounds { row[M.partialOutput(p)] = rounds.partialOutputs[p] }
            func evaluate(_ program: ConstraintProgram, _ row: [Goldilocks]) -> [GoldilocksExt3] {
                program.evaluate { variable in
                    guard case .main(let c, next: false) = variable else { fatalError("only this row's main cells") }
                    return GoldilocksExt3(row[c])
                }
            }
            let values = evaluate(table.program, row)
            #expect(values.allSatisfy { $0.isZero })
            #expect(evaluate(ConstraintProgram(after), row) == output.map { GoldilocksExt3($0) })
            var changed = row
            changed[M.fullOutput(3, 7)] = changed[M.fullOutput(3, 7)] + .one
            #expect(evaluate(table.program, changed).contains { !$0.isZero })
        }
    }

    /// The table's width and constraint count are what Spec/vm-air.md §9 states.
    @Test func shapeMatchesTheSpec() throws {
        let table = try CommitmentTable.definition()
        #expect(table.mainWidth == 138 && table.preprocessedWidth == 19)
        #expect(table.interactions.count == 8)
        let degrees = table.constraints.map(\.expression.degree)
        #expect(degrees.max() == 7 && table.degreeLimit == 7)
        // One S-box constraint of degree 7 per S-box: 8 × 12 external, 22 internal.
        #expect(degrees.count { $0 == 7 } == 8 * 12 + 22)
    }
}
