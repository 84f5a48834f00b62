import AIR
import AlgebraicHashing
import Field
import Testing
@testable import VMArithmetization

/// The commitment table's expressions against the native permutation.
@Suite struct CommitmentTableTests {
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
