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

    /// The table's width and constraint count are what Spec/vm-air.md §9 states.
    @Test func shapeMatchesTheSpec() throws {
        let table = try CommitmentTable.definition()
        #expect(table.mainWidth == 256 && table.preprocessedWidth == 19)
        #expect(table.interactions.count == 8)
        let degrees = table.constraints.map(\.expression.degree)
        #expect(degrees.max() == 3)
    }
}
