import Field
import Hashing
import ISA
import ProofFiles
import STARK
import Testing
import Verifier
@testable import VMArithmetization
import VMProver
import VMVerifier

/// Verification keys v8 (Spec/proof-format.md §5): verifying
/// against a key costs the same for any program, the key's digest is its
/// identity, and `check(program:)` confirms a key's program.
@Suite struct VerificationKeyTests {
    static let options = VMSoundnessTests.options

    static func program(_ factor: Int = 3) throws -> Program {
        try Examples.assemble("""
        .input x [2] scale=0 public
        .output y [2] scale=0 public
            ld r1, [x]
            li r2, \(factor)
            mul r3, r1, r2
            st r3, [y]
            ld r1, [x + 1]
            mul r3, r1, r2
            st r3, [y + 1]
            halt
        """)
    }

    @Test func aKeyVerifiesItsProgramsProofsAndNamesItself() throws {
        let program = try Self.program()
        let key = try VerificationKey(program: program, commitment: nil, options: Self.options)
        let result = try VMProver.prove(program: program, rawInputs: [[5, -7]], options: Self.options, minimumProvenBits: nil)
        #expect(result.file.statement.publicOutputs == [[15, -21]])
        _ = try VMVerifier.verify(result.file, key: key, policy: .insecureTesting)
        try key.check(program: program)
        #expect(try VerificationKey.decode(key.encoded()).digest == key.digest)
        // The key holds no code: its size does not depend on the program's length.
        #expect(key.encoded().count < 400)
    }

    /// The key's shape byte (offset 38: after the magic, the version and the
    /// program digest) names the program's tables: bits past the seven flags
    /// are refused by decoding, and a flipped table flag no longer matches
    /// the key's heights or, failing that, its program.
    @Test func theShapeByteIsChecked() throws {
        let (program, _) = try Examples.load("cnn")
        let key = try VerificationKey(program: program, commitment: nil, options: Self.options)
        let bytes = key.encoded()
        let shape = try #require(VMShape(bits: bytes[38]))
        #expect(shape == VMShape(program: program) && shape.hasCopies && shape.hasWeightsMatmuls)
        var flipped = bytes
        flipped[38] = 128
        #expect(throws: (any Error).self) { _ = try VerificationKey.decode(flipped) }
        do { _ = try VerificationKey.decode(flipped) } catch { #expect("\(error)".contains("invalid table flags")) }
        for bit in 0..<7 {
            flipped = bytes
            flipped[38] ^= UInt8(1 << bit)
            #expect(throws: (any Error).self, "bit \(bit)") {
                try VerificationKey.decode(flipped).check(program: program)
            }
        }
    }

    /// A key that names program A but carries program B's roots (the
    /// issuer relabels B as A): `check` refuses it, and its digest is not A's key's.
    @Test func aRelabelledKeyIsCaughtByItsDigestAndByCheck() throws {
        let a = try Self.program(3), b = try Self.program(4)
        let keyA = try VerificationKey(program: a, commitment: nil, options: Self.options)
        var relabelled = try VerificationKey(program: b, commitment: nil, options: Self.options)
        relabelled.programDigest = a.digest
        #expect(relabelled.digest != keyA.digest)
        #expect(throws: ProofFileError.mismatch("the key's roots, shape or layout are not those of program \(a.digest.description)")) {
            try relabelled.check(program: a)
        }
        #expect(throws: ProofFileError.mismatch("the key names program \(a.digest.description), not \(b.digest.description)")) {
            try keyA.check(program: b)
        }
        // B's honest proof names B, so A's key refuses it before any STARK work.
        let proofB = try VMProver.prove(program: b, rawInputs: [[5, -7]], options: Self.options, minimumProvenBits: nil)
        #expect(throws: VMVerifierError.statement("the proof is for another program (digest mismatch)")) {
            _ = try VMVerifier.verify(proofB.file, key: keyA, policy: .insecureTesting)
        }
        // A's proof against a key with B's roots: the transcript absorbs the roots, so it fails.
        let proofA = try VMProver.prove(program: a, rawInputs: [[5, -7]], options: Self.options, minimumProvenBits: nil)
        #expect(throws: VMVerifierError.proof(.rejected(check: "table program: constraints do not hold at the out-of-domain point"))) {
            _ = try VMVerifier.verify(proofA.file, key: relabelled, policy: .insecureTesting)
        }
    }

    /// A key is made for a blowup and, under zero knowledge, for the
    /// domains its query count gives small tables (Spec/zk.md §2): proofs
    /// of a few more queries (prover-raised) share it, proofs whose options
    /// move a table to another domain or use another blowup are refused by name.
    @Test func keysForOtherOptionsNameTheMismatch() throws {
        let program = try Self.program()
        let result = try VMProver.prove(program: program, rawInputs: [[5, -7]], options: Self.options, minimumProvenBits: nil)
        var other = Self.options
        other.logBlowup = Self.options.logBlowup + 1
        let key = try VerificationKey(program: program, commitment: nil, options: other)
        #expect(throws: VMVerifierError.key("the key is for proofs of blowup 2^\(other.logBlowup); this proof has blowup 2^\(Self.options.logBlowup) "
                                            + "(export the key with the proof's options: --no-zk, --log-blowup, --queries)")) {
            _ = try VMVerifier.verify(result.file, key: key, policy: .insecureTesting)
        }

        func masked(queries: Int) -> ProofOptions {
            ProofOptions(logBlowup: 2, queries: queries, logFoldingArity: 2, grindingBits: 0, logFinalPolynomialLength: 1,
                         zeroKnowledge: true)
        }
        // E = 60 and 64 put the 8-row program table on 2^6 points, E = 92 on 2^7.
        let zkKey = try VerificationKey(program: program, commitment: nil, options: masked(queries: 12))
        #expect(zkKey.lastSegment.logDomains[VMAir.TableIndex.program] == 6)
        let raised = try VMProver.prove(program: program, rawInputs: [[5, -7]], options: masked(queries: 13), minimumProvenBits: nil)
        _ = try VMVerifier.verify(raised.file, key: zkKey, policy: .insecureTesting)
        try zkKey.check(program: program)
        let moved = try VMProver.prove(program: program, rawInputs: [[5, -7]], options: masked(queries: 20), minimumProvenBits: nil)
        #expect(throws: VMVerifierError.proof(.rejected(check: "table program: the proof's options commit it on 2^7 points, "
                                                        + "the key's columns on 2^6 (a key made for other options)"))) {
            _ = try VMVerifier.verify(moved.file, key: zkKey, policy: .insecureTesting)
        }
        // A key whose domains no options give is not any program's key.
        var odd = zkKey
        odd.lastSegment.logDomains[VMAir.TableIndex.program] = 9
        odd.otherSegments.logDomains[VMAir.TableIndex.program] = 6
        #expect(throws: ProofFileError.mismatch("the key's table domains are not those of any proof options")) {
            try odd.check(program: program)
        }
    }

    /// Layout entries a program could never have: a control character in a
    /// name, a repeated name, overlapping tensors.
    @Test func implausibleLayoutsAreRefused() throws {
        let key = try VerificationKey(program: try Self.program(), commitment: nil, options: Self.options)
        func reencoded(_ change: (inout PublicLayout) -> Void) -> [UInt8] {
            var k = key
            change(&k.layout)
            return k.encoded()
        }
        for bytes in [reencoded { $0.outputs[0].name = "y\nvalid proof" },
                      reencoded { $0.outputs[0].name = "x" },
                      reencoded { $0.outputs[0].address = $0.inputs[0].address + 1 }] {
            #expect(throws: ProofFileError.self) { _ = try VerificationKey.decode(bytes) }
        }
    }
}
