import AIR
import Field
import Foundation
import Hashing
import Prover
import STARK
import Testing
import Verifier

/// Zero knowledge at the proof-system level (Spec/zk.md): randomized proofs
/// that verify, every new part bound by a check (a changed salt, mask,
/// chunk, blind or flag is rejected), and a verifier's view that does not
/// depend on the private witness.
@Suite struct ZeroKnowledgeTests {
    /// h = 6 + 2·12 = 30, so tables need ≥ 8h = 240 → 2^8 rows (the toy range table has 256).
    static let options = ProofOptions(logBlowup: 2, queries: 12, logFoldingArity: 2, grindingBits: 0,
                                      logFinalPolynomialLength: 1, zeroKnowledge: true)

    /// Witness A, and witness B: the same statement with the `values`
    /// table's rows rotated (different private rows, same multisets on the buses).
    static func witnesses() -> (ToyAIRs.LookupWitness, ToyAIRs.LookupWitness) {
        let a = ToyAIRs.lookupWitness(logHeight: 8, logSink: 8)
        var b = a
        b.main[0] = a.main[0].map { Array($0[37...] + $0[..<37]) }
        return (a, b)
    }

    static func prove(_ w: ToyAIRs.LookupWitness, options: ProofOptions = options, target: GoldilocksExt3 = .zero,
                      checkWitness: Bool = true) throws -> Proof {
        let air = try ToyAIRs.lookups()
        var input = ToyAIRs.proverInput(air, w)
        input.blindingTarget = target
        return try Prover.prove(input, options: options, checkWitness: checkWitness).proof
    }

    static func verify(_ proof: Proof, _ w: ToyAIRs.LookupWitness) throws {
        try Verifier.verify(proof, input: ToyAIRs.verifierInput(try ToyAIRs.lookups(), w), policy: .insecureTesting)
    }

    @Test func theSameStatementTwiceGivesDifferentProofsThatBothVerify() throws {
        let (a, _) = Self.witnesses()
        let first = try Self.prove(a), second = try Self.prove(a)
        try Self.verify(first, a)
        try Self.verify(second, a)
        #expect(first.encoded() != second.encoded())
        #expect(first.main?.root != second.main?.root)
        #expect(first.tables.map(\.claimedSum) != second.tables.map(\.claimedSum), "per-table LogUp sums are blinded")
        // A round-trip keeps the flag; transparent proofs stay deterministic.
        #expect(try Proof.decode(first.encoded()).options.zeroKnowledge)
        let transparent = Self.options.with(zeroKnowledge: false)
        #expect(try Self.prove(a, options: transparent).encoded() == Self.prove(a, options: transparent).encoded())
        // A table without interactions (no blind) is masked all the same.
        let fibonacci = try ToyAIRs.fibonacci()
        let f = ToyAIRs.fibonacciWitness(logHeight: 8)
        let input = ProverInput(air: fibonacci, main: [f.main], preprocessed: [[]], publicValues: f.publicValues, boundary: [], statement: [9])
        let proof = try Prover.prove(input, options: Self.options).proof
        try Verifier.verify(proof, input: VerifierInput(air: fibonacci, preprocessed: [[]], publicValues: f.publicValues,
                                                        boundary: [], statement: [9]), policy: .insecureTesting)
    }

    @Test func blindsThatDoNotCancelAreRejected() throws {
        let (a, _) = Self.witnesses()
        let proof = try Self.prove(a, target: GoldilocksExt3(.one, .zero, .zero), checkWitness: false)
        #expect(throws: STARKError.rejected(check: "LogUp sums do not cancel")) { try Self.verify(proof, a) }
    }

    /// The check that rejects a proof, or nil if it verifies.
    static func rejection(_ proof: Proof, _ w: ToyAIRs.LookupWitness) -> String? {
        do {
            try verify(try Proof.decode(proof.encoded()), w)
            return nil
        } catch let error as STARKError {
            if case .rejected(let check) = error { return check }
            return "\(error)"
        } catch {
            return "\(error)"
        }
    }

    /// One changed value in each part zero knowledge adds, and in the flag,
    /// each rejected by the check that binds it — on tables committed at
    /// their own height (2^8 rows) and on tables committed on a larger
    /// domain (2^3 rows).
    @Test(arguments: [8, 3]) func everyZeroKnowledgePartIsBound(logHeight: Int) throws {
        let a = logHeight == 8 ? Self.witnesses().0 : ToyAIRs.lookupWitness(logHeight: 3, logSink: 3)
        let proof = try Self.prove(a)
        #expect(Self.rejection(proof, a) == nil)
        let air = try ToyAIRs.lookups().blinded()
        let values = air.tables[0]
        let merkle = "main Merkle opening invalid (rootMismatch)"
        let outOfDomain = "table values: constraints do not hold at the out-of-domain point"
        var cases = [(String, String, Proof)]()
        func tampered(_ name: String, _ check: String, _ change: (inout Proof) -> Void) {
            var p = proof
            change(&p)
            cases.append((name, check, p))
        }
        tampered("salt of an opened main row", merkle) { $0.main!.rows[0][0][values.mainWidth] += .one }
        tampered("FRI mask of an opened quotient row", merkle.replacingOccurrences(of: "main", with: "quotient")) {
            $0.quotient.rows[0][0][6] += .one
        }
        tampered("salt of an opened quotient row", merkle.replacingOccurrences(of: "main", with: "quotient")) {
            $0.quotient.rows[0][0][9] += .one
        }
        tampered("second quotient chunk at z", outOfDomain) {
            $0.tables[0].openings.quotientAtZ[3] += GoldilocksExt3(.one)
        }
        tampered("blinding column at z", outOfDomain) {
            $0.tables[0].openings.mainAtZ[values.mainWidth - 1] += GoldilocksExt3(.one)
        }
        // The sums are in the transcript before the constraint coefficients
        // and z, so the first check to fail is the first table's at z.
        tampered("a blinded claimed sum", outOfDomain) { $0.tables[2].claimedSum! += GoldilocksExt3(.one) }
        tampered("final polynomial one short", "final polynomial length") { $0.finalPolynomial.removeLast() }
        tampered("final polynomial one long", "final polynomial length") { $0.finalPolynomial.append(.zero) }
        tampered("claimed transparent", "table values: opened value counts") { $0.options.zeroKnowledge = false }
        for (name, check, p) in cases {
            let rejected = Self.rejection(p, a)
            #expect(rejected?.contains(check) == true, "\(name): \(rejected ?? "accepted")")
        }
        // The flag byte is 0 or 1.
        var writer = ByteWriter()
        Self.options.encode(into: &writer)
        var bytes = writer.bytes
        bytes[bytes.count - 1] = 2
        var reader = ByteReader(bytes)
        #expect(throws: STARKError.self) { _ = try ProofOptions.decode(from: &reader) }
    }

    /// Tables below 4E rows are committed on a larger domain of N points,
    /// the smallest power of two with n + E ≤ 1.25·N (Spec/zk.md §3), not
    /// padded: an 8-row table proves and verifies, its masked values at z
    /// match neither of two witnesses, and a transparent proof of the same
    /// tables relabelled as zero knowledge is rejected.
    @Test func smallTablesAreCommittedOnALargerDomain() throws {
        let layout = CommitmentLayout(options: Self.options)
        let e = layout.degreeExcess
        let k = layout.logDomain(logHeight: 3)
        #expect(4 * (8 + e) <= 5 << k && 4 * (8 + e) > 5 << (k - 1) && k > 3)
        #expect(layout.logDomain(logHeight: 10) == 10)

        let small = ToyAIRs.lookupWitness(logHeight: 3, logSink: 3)
        var other = small
        other.main[0] = small.main[0].map { Array($0[3...] + $0[..<3]) }
        let proof = try Self.prove(small)
        try Self.verify(proof, small)
        #expect(proof.tables[0].logHeight == 3)
        #expect(try !Self.matches(proof, candidate: small, options: Self.options))
        #expect(try !Self.matches(proof, candidate: other, options: Self.options))

        var relabelled = try Self.prove(small, options: Self.options.with(zeroKnowledge: false))
        relabelled.options.zeroKnowledge = true
        #expect(throws: STARKError.rejected(check: "table values: opened value counts")) { try Self.verify(relabelled, small) }
    }

    /// Tables of different heights on one domain (2^3 and 2^4 rows, both on
    /// 2^6 points): each keeps its own next-row point zω_n in the DEEP
    /// composition, so a changed next-row value, an opened row of the other
    /// table, or a height relabelled to the other one on the same domain is
    /// rejected. The values at z and the heights are in the transcript
    /// before the queries, so a change there moves the query positions and
    /// the first round's opening no longer authenticates (the values
    /// table's constraints do not read column 0's next row, so its check at
    /// z still holds).
    @Test func tablesOfTwoHeightsOnOneDomainKeepTheirOwnRows() throws {
        let w = ToyAIRs.lookupWitness(logHeight: 3, logSink: 4)
        let layout = CommitmentLayout(options: Self.options)
        #expect(layout.logDomain(logHeight: 3) == layout.logDomain(logHeight: 4))
        let proof = try Self.prove(w)
        #expect(Self.rejection(proof, w) == nil)
        var next = proof
        next.tables[0].openings.mainAtNext[0] += GoldilocksExt3(.one)
        #expect(Self.rejection(next, w)?.hasPrefix("preprocessed Merkle opening invalid") == true)
        var row = proof
        row.main!.rows[2][0][0] += .one
        #expect(Self.rejection(row, w) == "main Merkle opening invalid (rootMismatch)")
        var relabelled = proof
        relabelled.tables[0].logHeight = 4
        let check = Self.rejection(relabelled, w) ?? "accepted"
        #expect(check.hasPrefix("preprocessed Merkle opening invalid") || check.hasPrefix("table values"), "\(check)")
    }

    /// Everything the verifier sees of the committed polynomials: the
    /// out-of-domain values and the opened rows (salt excluded), as base
    /// elements.
    static func view(_ proof: Proof) -> [Goldilocks] {
        var out = [Goldilocks]()
        for t in proof.tables {
            let o = t.openings
            for v in o.mainAtZ + o.mainAtNext + o.auxiliaryAtZ + o.auxiliaryAtNext + o.quotientAtZ {
                out += [v.c0, v.c1, v.c2]
            }
        }
        for round in [proof.main, proof.auxiliary, proof.quotient].compactMap({ $0 }) {
            for rows in round.rows { for row in rows { out += row.dropLast(CommitmentLayout.saltWidth) } }
        }
        return out
    }

    /// Does the proof's opening of the `values` table at z equal the
    /// interpolant of `candidate`'s columns at z? The verifier can compute
    /// this for any guessed witness: on a transparent proof it identifies
    /// the witness exactly; with masking it must hold for neither witness.
    static func matches(_ proof: Proof, candidate: ToyAIRs.LookupWitness, options: ProofOptions) throws -> Bool {
        let air = options.zeroKnowledge ? try ToyAIRs.lookups().blinded() : try ToyAIRs.lookups()
        let key = PreprocessedTrace(columns: candidate.preprocessed, logBlowup: options.logBlowup,
                                    degreeExcess: CommitmentLayout(options: options).degreeExcess).key
        let z = ProtocolTranscript.outOfDomainPoint(of: proof, air: air, statement: [1, 2, 3],
                                                    publicValues: candidate.publicValues, boundary: candidate.boundary,
                                                    preprocessed: key)
        let weights = try DomainEvaluation.BarycentricWeights(at: z, logHeight: proof.tables[0].logHeight)
        let (atZ, _) = DomainEvaluation.dots(weights, columns: candidate.main[0])
        return Array(proof.tables[0].openings.mainAtZ.prefix(3)) == atZ
    }

    /// Two private witnesses with the same statement: the guessing
    /// distinguisher that identifies a transparent proof's witness every
    /// time has no hit on masked proofs, and the opened values of both are
    /// uniform and alike (χ² on their low bytes, 255 degrees of freedom:
    /// mean 255, sd 22.6; the bound 360 is p ≈ 10⁻⁵).
    @Test func theVerifiersViewDoesNotDependOnThePrivateWitness() throws {
        let (a, b) = Self.witnesses()
        let transparent = Self.options.with(zeroKnowledge: false)
        let pa = try Self.prove(a, options: transparent), pb = try Self.prove(b, options: transparent)
        #expect(try Self.matches(pa, candidate: a, options: transparent))
        #expect(try !Self.matches(pb, candidate: a, options: transparent))
        #expect(try Self.matches(pb, candidate: b, options: transparent))

        var low = [[Int]](repeating: [Int](repeating: 0, count: 256), count: 2)
        for _ in 0..<8 {
            for (k, w) in [a, b].enumerated() {
                let proof = try Self.prove(w)
                #expect(try !Self.matches(proof, candidate: a, options: Self.options))
                #expect(try !Self.matches(proof, candidate: b, options: Self.options))
                for v in Self.view(proof) { low[k][Int(v.value & 0xFF)] += 1 }
            }
        }
        for counts in low {
            let total = Double(counts.reduce(0, +))
            #expect(total > 5000)
            let expected = total / 256
            let chi = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
            #expect(chi < 360, "low bytes are not uniform: χ² = \(chi)")
        }
        // Homogeneity of the two samples (χ² over 2 × 256 cells, 255 degrees of freedom).
        let totals = low.map { Double($0.reduce(0, +)) }, all = totals.reduce(0, +)
        var chi = 0.0
        for cell in 0..<256 {
            let column = Double(low[0][cell] + low[1][cell])
            for k in 0..<2 {
                let expected = totals[k] * column / all
                chi += (Double(low[k][cell]) - expected) * (Double(low[k][cell]) - expected) / expected
            }
        }
        #expect(chi < 360, "the two witnesses' views differ: χ² = \(chi)")
    }
}
