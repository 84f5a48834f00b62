import Field
import Hashing
@testable import STARK
import AIR
import Prover
import Testing
import Verifier

/// The preprocessed round (Spec/proof-system.md §3.0): the columns are
/// committed once, the key's root is absorbed before any challenge, and a
/// proof opens them at the queries and at z. Each test changes one thing and
/// names the check that rejects it.
@Suite struct PreprocessedCommitmentTests {
    let air = try! ToyAIRs.lookups()
    let witness = ToyAIRs.lookupWitness(logHeight: 6, logSink: 4)
    let options = ProofOptions(logBlowup: 2, queries: 24, logFoldingArity: 2, grindingBits: 0, logFinalPolynomialLength: 1)

    var key: PreprocessedKey { PreprocessedTrace(columns: witness.preprocessed, logBlowup: options.logBlowup, degreeExcess: 0).key }

    func prove(_ input: ProverInput? = nil) throws -> Proof {
        try Prover.prove(input ?? ToyAIRs.proverInput(air, witness), options: options, checkWitness: false).proof
    }

    func input(key: PreprocessedKey) -> VerifierInput {
        VerifierInput(air: air, preprocessedKey: key, publicValues: witness.publicValues, boundary: witness.boundary,
                      statement: [1, 2, 3])
    }

    /// The check that rejected, or nil if the proof verifies.
    func rejection(_ proof: Proof, _ input: VerifierInput) -> STARKError? {
        do {
            try Verifier.verify(proof, input: input, policy: .insecureTesting)
            return nil
        } catch {
            return error
        }
    }

    func rejectedCheck(_ proof: Proof, _ input: VerifierInput) -> String? {
        guard case .rejected(let check)? = rejection(proof, input) else { return nil }
        return check
    }

    @Test func theKeyIsDeterministicAndNamesTheColumns() throws {
        #expect(key == PreprocessedTrace(columns: witness.preprocessed, logBlowup: options.logBlowup, degreeExcess: 0, threads: 1).key)
        #expect(key.logHeights == [nil, 8, nil])
        var other = witness.preprocessed
        other[1][0][200] = Goldilocks(300)
        #expect(PreprocessedTrace(columns: other, logBlowup: options.logBlowup, degreeExcess: 0).key.root != key.root)
        #expect(PreprocessedTrace(columns: witness.preprocessed, logBlowup: 3, degreeExcess: 0).key.root != key.root)
        var w = ByteWriter()
        key.encode(into: &w)
        var r = ByteReader(w.bytes)
        #expect(try PreprocessedKey.decode(from: &r) == key)
    }

    @Test func anHonestProofVerifiesAgainstTheKeyAndTheColumns() throws {
        let proof = try prove()
        #expect(rejection(proof, input(key: key)) == nil)
        #expect(rejection(proof, ToyAIRs.verifierInput(air, witness)) == nil)
        #expect(proof.preprocessed?.rows.count == 1)
        #expect(proof.tables[1].openings.preprocessedAtZ.count == 1)
    }

    @Test func aKeyWithAnotherRootIsRejected() throws {
        let proof = try prove()
        var forged = key
        forged.root = Digest(bytes: [UInt8](repeating: 7, count: 32))
        // The root is absorbed first, so every challenge moves: z no longer fits the openings.
        #expect(rejectedCheck(proof, input(key: forged))?.contains("constraints do not hold at the out-of-domain point") == true)
        // A key of other columns (one table entry changed) likewise.
        var columns = witness.preprocessed
        columns[1][0][200] = Goldilocks(300)
        let other = PreprocessedTrace(columns: columns, logBlowup: options.logBlowup, degreeExcess: 0).key
        #expect(rejectedCheck(proof, input(key: other))?.contains("out-of-domain point") == true)
    }

    @Test func anOpenedPreprocessedRowIsAuthenticated() throws {
        var proof = try prove()
        proof.preprocessed!.rows[0][0][0] = proof.preprocessed!.rows[0][0][0] + .one
        #expect(rejectedCheck(proof, input(key: key))?.hasPrefix("preprocessed Merkle opening invalid") == true)
    }

    @Test func preprocessedValuesAtZAndZOmegaAreChecked() throws {
        var atZ = try prove()
        atZ.tables[1].openings.preprocessedAtZ[0] = atZ.tables[1].openings.preprocessedAtZ[0] + .one
        #expect(rejectedCheck(atZ, input(key: key)) == "table range: constraints do not hold at the out-of-domain point")
        // No constraint reads the next row's table value, so the query phase
        // catches this one (the value is absorbed, so the queries move too:
        // the first failure is an opening at the new positions or a fold).
        var atNext = try prove()
        atNext.tables[1].openings.preprocessedAtNext[0] = atNext.tables[1].openings.preprocessedAtNext[0] + .one
        let check = rejectedCheck(atNext, input(key: key)) ?? "accepted"
        #expect(check.contains("Merkle opening invalid") || check.hasPrefix("FRI layer"), "\(check)")
        #expect(!check.contains("out-of-domain"), "\(check)")
    }

    /// A prover that commits other columns (table entry 200 replaced by
    /// 289, so row 1 can claim v = 17, w = 289 > 255) but claims the honest
    /// key: its openings agree with each other and with its own tree, so
    /// only the key's root catches it.
    @Test func aProverLyingAboutItsColumnsIsRejectedByTheRoot() throws {
        var lie = witness
        #expect(lie.main[0][2][1] == .zero, "row 1 sends nothing on the link bus")
        lie.preprocessed[1][0][200] = Goldilocks(289)
        let (oldV, oldW) = (Int(lie.main[0][0][1].value), Int(lie.main[0][1][1].value))
        lie.main[0][0][1] = Goldilocks(17)
        lie.main[0][1][1] = Goldilocks(289)
        for (entry, change) in [(oldV, -1), (oldW, -1), (17, 1), (200, 1)] {
            lie.main[1][0][entry] = lie.main[1][0][entry] + Goldilocks(change)
        }
        let fake = PreprocessedTrace(columns: lie.preprocessed, logBlowup: options.logBlowup, degreeExcess: 0)
        // The lie is a valid proof of the fake columns…
        let ownKeyProof = try prove(ToyAIRs.proverInput(air, lie))
        #expect(rejection(ownKeyProof, input(key: fake.key)) == nil)
        // …and, claiming the honest key, fails at the root.
        var proverInput = ToyAIRs.proverInput(air, lie)
        proverInput.preprocessedTrace = fake.claiming(key)
        let proof = try prove(proverInput)
        #expect(rejectedCheck(proof, input(key: key))?.hasPrefix("preprocessed Merkle opening invalid") == true)
    }

    @Test func shapeAndPolicyMismatchesAreNamed() throws {
        let proof = try prove()
        var blowup = key
        blowup.logBlowup = 3
        #expect(rejectedCheck(proof, input(key: blowup)) == "the proof uses blowup 2^2; the preprocessed key is for 2^3")
        // A key for zero-knowledge proofs of many queries commits the
        // 2^8-row table on 2^10 points (`CommitmentLayout.logDomain`): the
        // transparent proof's options give 2^8, named before any hashing.
        let masked = PreprocessedTrace(columns: witness.preprocessed, logBlowup: options.logBlowup, degreeExcess: 1000).key
        #expect(masked.logDomains == [nil, 10, nil] && key.logDomains == [nil, 8, nil])
        #expect(masked.root != key.root)
        #expect(rejectedCheck(proof, input(key: masked))
                == "table range: the proof's options commit it on 2^8 points, the key's columns on 2^10 (a key made for other options)")
        // Relabelled with the proof's domain, the key's root enters the
        // transcript before any challenge, so the proof fails at the first table's check at z.
        var relabelled = masked
        relabelled.logDomains = key.logDomains
        #expect(rejectedCheck(proof, input(key: relabelled)) == "table values: constraints do not hold at the out-of-domain point")
        var height = key
        height.logHeights[1] = 9
        #expect(rejectedCheck(proof, input(key: height)) == "table range: height 2^8 differs from the key's 2^9")
        var missing = try prove()
        missing.preprocessed = nil
        #expect(rejectedCheck(missing, input(key: key)) == "preprocessed opening present does not match the key")
        var wrongWidth = try prove()
        wrongWidth.tables[1].openings.preprocessedAtNext.append(.one)
        #expect(rejectedCheck(wrongWidth, input(key: key)) == "table range: opened value counts")
    }

    @Test func nonCanonicalKeysAreRefused() throws {
        var w = ByteWriter()
        key.encode(into: &w)
        let bytes = w.bytes
        // Blowup 2^5, root flag 2, the range table's domain below its height
        // or above what any options give (bytes: blowup, flag, root, count,
        // then per table its height and, if it has columns, its domain).
        #expect(Array(bytes[38...]) == [0, 8, 8, 0])
        #expect(PreprocessedKey.maxLogDomain(logHeight: 8) == 11)
        for (offset, value) in [(0, UInt8(5)), (1, UInt8(2)), (40, UInt8(7)), (40, UInt8(12))] {
            var bad = bytes
            bad[offset] = value
            var r = ByteReader(bad)
            #expect(throws: FieldError.self) { _ = try PreprocessedKey.decode(from: &r) }
        }
        // A root flag without any table of preprocessed columns.
        var noTables = PreprocessedKey(root: key.root, logHeights: [nil, nil], logDomains: [nil, nil], logBlowup: 2)
        var w2 = ByteWriter()
        noTables.encode(into: &w2)
        var r2 = ByteReader(w2.bytes)
        #expect(throws: FieldError.self) { _ = try PreprocessedKey.decode(from: &r2) }
        noTables.root = nil
    }
}
