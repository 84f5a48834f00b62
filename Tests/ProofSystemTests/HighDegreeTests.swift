import AIR
import Field
import Prover
import STARK
import Testing
import Verifier

/// Tables whose constraints reach degree 7 (`Table.degreeLimit`, Spec/zk.md
/// §2.2): their quotient is evaluated on 7 cosets (8N points, so blowup ≥ 8)
/// and committed as 6 chunks, each masked under zero knowledge; a table of
/// the default limit beside it keeps its 2 chunks. Proofs verify with and
/// without zero knowledge, a blowup too small is refused on both sides, and
/// a changed chunk or witness cell is rejected at the out-of-domain check.
@Suite struct HighDegreeTests {
    /// `power`: y = x^7 and x' = y + 1 (degree 7); `square`: v' = v² (degree 3 with its selector, the default limit).
    static func air() throws -> AIRDefinition {
        var p = TableBuilder(name: "power", mainWidth: 2)
        let x = Expression.main(0), x2 = x * x, x4 = x2 * x2
        p.assertZero("y = x^7", .main(1) - x4 * x2 * x)
        p.assertOnTransition("x' = y + 1", .mainNext(0) - .main(1) - 1)
        p.assertOnFirstRow("x(0) = pv0", x - .publicValue(0))
        var s = TableBuilder(name: "square", mainWidth: 1)
        s.assertOnTransition("v' = v²", .mainNext(0) - .main(0) * .main(0))
        s.assertOnFirstRow("v(0) = pv0", .main(0) - .publicValue(0))
        return try AIRDefinition(name: "high-degree", tables: [try p.build(publicValueCount: 1, degreeLimit: 7),
                                                               try s.build(publicValueCount: 1)], publicValueCount: 1)
    }

    static func witness(logHeights: (Int, Int)) -> [[[Goldilocks]]] {
        var x = [Goldilocks](), y = [Goldilocks](), v = [Goldilocks]()
        var value = Goldilocks(3)
        for _ in 0..<(1 << logHeights.0) {
            let seventh = value.power(7)
            x.append(value); y.append(seventh)
            value = seventh + .one
        }
        var w = Goldilocks(3)
        for _ in 0..<(1 << logHeights.1) { v.append(w); w = w * w }
        return [[x, y], [v]]
    }

    static let publicValues = [Goldilocks(3)]

    static func options(zeroKnowledge: Bool, logBlowup: Int = 3) -> ProofOptions {
        ProofOptions(logBlowup: logBlowup, queries: 12, logFoldingArity: 2, grindingBits: 0, logFinalPolynomialLength: 1,
                     zeroKnowledge: zeroKnowledge)
    }

    static func prove(_ main: [[[Goldilocks]]], options: ProofOptions) throws -> Proof {
        let input = ProverInput(air: try air(), main: main, preprocessed: [[], []], publicValues: publicValues, statement: [7])
        return try Prover.prove(input, options: options, checkWitness: false).proof
    }

    static func verify(_ proof: Proof) throws {
        let input = VerifierInput(air: try air(), preprocessed: [[], []], publicValues: publicValues, boundary: [], statement: [7])
        _ = try Verifier.verify(proof, input: input, policy: .insecureTesting)
    }

    @Test(arguments: [false, true]) func degreeSevenProvesAndVerifies(zeroKnowledge: Bool) throws {
        let air = try Self.air()
        #expect(air.tables[0].constraintDegree == 7 && air.tables[1].constraintDegree == 3)
        let layout = CommitmentLayout(options: Self.options(zeroKnowledge: zeroKnowledge))
        #expect(layout.quotientChunks(for: air.tables[0]) == 6 && layout.quotientChunks(for: air.tables[1]) == 2)
        #expect(layout.quotientLogRatio(for: air.tables[0]) == 3)
        for heights in [(6, 5), (12, 4)] {
            let proof = try Self.prove(Self.witness(logHeights: heights), options: Self.options(zeroKnowledge: zeroKnowledge))
            #expect(proof.tables[0].openings.quotientAtZ.count == 18 && proof.tables[1].openings.quotientAtZ.count == 6)
            try Self.verify(proof)
            try Self.verify(try Proof.decode(proof.encoded()))
        }
    }

    @Test func aBlowupTooSmallIsRefused() throws {
        let main = Self.witness(logHeights: (6, 5))
        #expect(throws: STARKError.invalidOptions("table power has constraints of degree up to 7: it needs a blowup of at least 8")) {
            _ = try Self.prove(main, options: Self.options(zeroKnowledge: true, logBlowup: 2))
        }
        // A proof that claims blowup 4 is refused by its shape, before any cryptographic work.
        let proof = try Self.prove(main, options: Self.options(zeroKnowledge: false))
        var bytes = proof.encoded()
        #expect(bytes[6] == 3)   // "ZKPF", u16 version, then u8 logBlowup
        bytes[6] = 2
        let forged = try Proof.decode(bytes)
        #expect(throws: STARKError.rejected(check: "the proof's blowup 2^2 is below what the AIR's constraint degrees need")) {
            try Self.verify(forged)
        }
    }

    /// A witness that breaks y = x^7 in one row, proven without the
    /// prover's check, and a proof with one quotient chunk value changed:
    /// both rejected at the out-of-domain check of the power table.
    @Test(arguments: [false, true]) func brokenWitnessesAndChunksAreRejected(zeroKnowledge: Bool) throws {
        let check = "table power: constraints do not hold at the out-of-domain point"
        var main = Self.witness(logHeights: (6, 5))
        main[0][1][9] = main[0][1][9] + .one
        main[0][0][10] = main[0][1][9] + .one   // keep x' = y + 1, break only y = x^7
        #expect(throws: STARKError.rejected(check: check)) {
            try Self.verify(try Self.prove(main, options: Self.options(zeroKnowledge: zeroKnowledge)))
        }
        var proof = try Self.prove(Self.witness(logHeights: (6, 5)), options: Self.options(zeroKnowledge: zeroKnowledge))
        for k in [0, 8, 17] {
            var changed = proof
            changed.tables[0].openings.quotientAtZ[k] = changed.tables[0].openings.quotientAtZ[k] + .one
            #expect(throws: STARKError.rejected(check: check), "chunk value \(k)") { try Self.verify(changed) }
        }
        proof.tables[1].openings.quotientAtZ[4] = proof.tables[1].openings.quotientAtZ[4] + .one
        #expect(throws: STARKError.rejected(check: "table square: constraints do not hold at the out-of-domain point")) {
            try Self.verify(proof)
        }
    }
}
