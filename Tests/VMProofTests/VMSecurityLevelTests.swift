import STARK
import Testing
import VMArithmetization

/// The default options on the VM's own AIR (every optional table, its real
/// interactions and message widths): ≥ 110 proven bits with a different
/// height for every table, where the LogUp term pays for the prover's
/// list-decoding choice at each height (Spec/security.md §4–5). The
/// default query counts are the fewest that give this.
@Suite struct VMSecurityLevelTests {
    static let shape = VMShape(hasLookupTables: true, hasTensorInstructions: true, hasCommittedWeights: true)

    @Test func defaultsKeepTheMarginWithEveryTableAtItsOwnHeight() throws {
        let zk = try Self.shape.air(blinded: true)
        #expect(zk.tables.count == 10)
        let zkLevel = SecurityLevel(options: .standard, air: zk, logHeights: [11, 12, 13, 14, 15, 16, 16, 18, 20, 22])
        #expect(zkLevel.provenBits >= 110, "\(zkLevel)")
        let plain = try Self.shape.air()
        let level = SecurityLevel(options: .transparent, air: plain, logHeights: [3, 5, 8, 11, 14, 16, 15, 16, 18, 20])
        #expect(level.provenBits >= 110, "\(level)")
        // Zero-knowledge tables below 4E rows, on their larger domains
        // (`CommitmentLayout.logDomain`: 2^9 and 2^10 points here).
        let small = SecurityLevel(options: .standard, air: zk, logHeights: [3, 3, 5, 8, 9, 3, 11, 14, 16, 20])
        #expect(small.provenBits >= 110, "\(small)")
        // The largest tables the policy allows.
        let large = SecurityLevel(options: .standard, air: zk, logHeights: [11, 14, 16, 16, 18, 16, 20, 22, 24, 26])
        #expect(large.provenBits >= 110, "\(large)")
        // The defaults are the fewest queries that do this: one fewer misses.
        var fewer = ProofOptions.standard, fewerPlain = ProofOptions.transparent
        fewer.queries -= 1
        fewerPlain.queries -= 1
        #expect(SecurityLevel(options: fewer, air: zk, logHeights: [11, 12, 13, 14, 15, 16, 16, 18, 20, 22]).provenBits < 110)
        #expect(SecurityLevel(options: fewerPlain, air: plain, logHeights: [3, 5, 8, 11, 14, 16, 15, 16, 18, 20]).provenBits < 110)
    }
}
