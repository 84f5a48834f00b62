import AIR
import Field
import STARK
import Testing

/// The calculator reproduces Winterfell's own test vectors
/// (air/src/proof/security.rs @ 30c5053, linear batching) before its
/// figures for our parameters are trusted.
@Suite struct SecurityLevelTests {
    /// Winterfell's `num_fri_layers`: folds while the domain exceeds (r + 1)·B.
    func rounds(n: Double, blowup: Double, arity: Double, remainder: Double) -> Int {
        var size = n * blowup, k = 0
        while size > (remainder + 1) * blowup { size /= arity; k += 1 }
        return k
    }

    func level(field: Double, arity: Double, remainder: Double, grinding: Double, blowup: Double, queries: Double,
               logN: Int) -> SecurityLevel {
        let n = Double(1 << logN)
        var p = SecurityLevel.Parameters(traceLength: n, blowup: blowup, queries: queries, grindingBits: grinding,
                                         foldingFactor: arity,
                                         foldingRounds: rounds(n: n, blowup: blowup, arity: arity, remainder: remainder),
                                         constraintBatching: 1, polynomialBatching: 1)
        p.fieldBits = field
        return SecurityLevel(p)
    }

    @Test func winterfellHundredBitVectors() {
        #expect(level(field: 128, arity: 2, remainder: 127, grinding: 20, blowup: 4, queries: 119, logN: 20).uniqueDecodingBits == 100)
        #expect(level(field: 128, arity: 2, remainder: 127, grinding: 20, blowup: 4, queries: 119, logN: 20).listDecodingBits == 69)
        #expect(level(field: 128, arity: 2, remainder: 127, grinding: 20, blowup: 4, queries: 150, logN: 20).listDecodingBits == 69)
        #expect(level(field: 192, arity: 2, remainder: 127, grinding: 20, blowup: 4, queries: 81, logN: 20).listDecodingBits == 100)
    }

    @Test func winterfellFoldingAndRateVectors() {
        #expect(level(field: 128, arity: 2, remainder: 7, grinding: 16, blowup: 8, queries: 123, logN: 8).uniqueDecodingBits == 116)
        #expect(level(field: 128, arity: 4, remainder: 7, grinding: 16, blowup: 8, queries: 123, logN: 8).uniqueDecodingBits == 115)
        #expect(level(field: 128, arity: 2, remainder: 7, grinding: 20, blowup: 2, queries: 195, logN: 8).uniqueDecodingBits == 100)
        #expect(level(field: 192, arity: 2, remainder: 7, grinding: 20, blowup: 2, queries: 163, logN: 8).listDecodingBits == 100)
        #expect(level(field: 128, arity: 2, remainder: 7, grinding: 20, blowup: 4, queries: 119, logN: 8).uniqueDecodingBits == 100)
        #expect(level(field: 192, arity: 2, remainder: 7, grinding: 20, blowup: 4, queries: 81, logN: 8).listDecodingBits == 100)
    }

    @Test func winterfellCubicVectors() {
        #expect(level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 4, queries: 80, logN: 18).listDecodingBits == 99)
        #expect(level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 8, queries: 53, logN: 18).listDecodingBits == 99)
        #expect(level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 8, queries: 85, logN: 18).listDecodingBits == 128)
        #expect(level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 16, queries: 65, logN: 18).listDecodingBits == 128)
        #expect(level(field: 128, arity: 8, remainder: 127, grinding: 20, blowup: 8, queries: 85, logN: 18).listDecodingBits == 70)
    }

    @Test func monotoneInQueriesBlowupAndTraceLength() {
        let base = level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 8, queries: 80, logN: 20)
        #expect(base.listDecodingBits < level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 8, queries: 80, logN: 16).listDecodingBits)
        #expect(level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 8, queries: 60, logN: 20).listDecodingBits < base.listDecodingBits)
        #expect(level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 8, queries: 30, logN: 20).listDecodingBits
                < level(field: 192, arity: 8, remainder: 127, grinding: 20, blowup: 16, queries: 30, logN: 20).listDecodingBits)
    }

    /// The default options give ≥ 113 proven bits at every supported height
    /// of a realistically wide AIR (400 constraints, a bus), and ≥ 110 with
    /// six distinct table heights after the union bound (the VM's own AIR
    /// sets the query count: VMSecurityLevelTests).
    @Test func defaultsReachTheFloorUpToTheLargestTables() throws {
        var t = TableBuilder(name: "wide", mainWidth: 1)
        for i in 0..<400 { t.assertZero("c\(i)", .main(0) * .main(0) - .main(0)) }
        t.send("x", bus: 1, [.main(0)])
        let air = try AIRDefinition(name: "wide", tables: [t.build()], publicValueCount: 0)
        // Every height from 2^3 rows: zero-knowledge tables below 4E rows are
        // committed on a domain of ≥ 0.8·(n + E) points, so masking raises
        // the rate by ≤ 1/4 at any height.
        for options in [ProofOptions.transparent, .standard] {
            let minimum = Proof.minLogHeight
            for logN in minimum...Proof.maxLogHeight {
                let level = SecurityLevel(options: options, air: air, maxLogHeight: logN)
                #expect(level.provenBits >= 113, "2^\(logN): \(level)")
            }
            let mixed = SecurityLevel(options: options, air: air, logHeights: [minimum, 12, 16, 20, 24, 26])
            #expect(mixed.provenBits >= 110, "\(mixed)")
        }
        let layout = CommitmentLayout(options: .standard)
        #expect(layout.degreeExcess == 2 * (6 + 2 * 79))
        #expect((3...8).map { layout.logDomain(logHeight: $0) } == [9, 9, 9, 9, 9, 9])
        #expect((9...12).map { layout.logDomain(logHeight: $0) } == [10, 11, 11, 12])
        #expect((3...12).allSatisfy { CommitmentLayout(options: .transparent).logDomain(logHeight: $0) == $0 })
        // The rate FRI tests, finalLength/2^lf, is at least (n + E)/(8n) and
        // exactly 1/8 when transparent.
        let schedule = try FRISchedule(logHeights: [11, 16], options: .standard)
        let e = CommitmentLayout(options: .standard).degreeExcess
        #expect(schedule.finalLength == ((1 << 11) + e + (1 << 4) - 1) >> 4)
        #expect(try FRISchedule(logHeights: [3, 16], options: .transparent).finalLength == 8)
        // Tables on a larger domain enter at its level with their own bound
        // n + E, not N + E: an 8-row table on 2^9 points gives 336/4 = 84
        // coefficients at 2^10 points (N + E would give 210), and with a
        // 256-row table on the same domain 584/4 = 146.
        #expect(try FRISchedule(logHeights: [3], options: .standard).finalLength == 84)
        #expect(try FRISchedule(logHeights: [3, 8], options: .standard).finalLength == 146)
        #expect(try FRISchedule(logHeights: [3, 8, 3], options: ZeroKnowledgeTests.options).finalLength == 3)
    }

    /// Segments: the union bound costs ⌈log2 S⌉ bits, and in the list-
    /// decoding regime each segment's list size multiplies the shared LogUp
    /// error, so many segments fall back to unique decoding, which more
    /// queries restore.
    @Test func segmentsPayForTheUnionAndForListDecodingInTheSharedLogUp() throws {
        var t = TableBuilder(name: "bus", mainWidth: 2)
        t.assertZero("c", .main(0) * .main(0) - .main(0))
        for i in 0..<30 { t.send("s\(i)", bus: 1, [.main(1), .constant(Goldilocks(i))]) }
        let air = try AIRDefinition(name: "bus", tables: [t.build()], publicValueCount: 0)
        let one = SecurityLevel(options: .standard, air: air, logHeights: [18])
        #expect(SecurityLevel.segmented([one]).provenBits == one.provenBits)
        let two = SecurityLevel.segmented([one, one])
        #expect(two.provenBits == one.provenBits - 1)
        let many = SecurityLevel.segmented([SecurityLevel](repeating: one, count: 40))
        #expect(many.listDecodingBits < many.uniqueDecodingBits, "\(many)")
        #expect(many.provenBits == one.uniqueDecodingBits - 6)
        #expect(many.provenBits < 100)
        var more = ProofOptions.standard
        more.queries = 120
        let raised = SecurityLevel(options: more, air: air, logHeights: [18])
        #expect(SecurityLevel.segmented([SecurityLevel](repeating: raised, count: 40)).provenBits >= 100)
    }
}
