import ISA
import ProofFiles
import STARK
import Testing
import VMArithmetization
import VMProver
import VMVerifier

/// A proving key made once serves every proof of its program: the proofs
/// are the ones made without it (byte for byte when transparent), its root
/// is the verification key's, and a key for other options, segments or
/// another program is not used.
@Suite struct ProvingKeyTests {
    static let options = VMSoundnessTests.options

    @Test func aKeyMadeOnceProvesLikeNone() throws {
        let program = try VerificationKeyTests.program()
        let key = try ProvingKey(program: program, options: Self.options)
        let verificationKey = try VerificationKey(program: program, commitment: nil, options: Self.options)
        #expect(key.preprocessedKey == verificationKey.lastSegment)
        for input: [Int64] in [[5, -7], [1, 2]] {
            let with = try VMProver.prove(program: program, rawInputs: [input], options: Self.options, minimumProvenBits: nil, key: key)
            let without = try VMProver.prove(program: program, rawInputs: [input], options: Self.options, minimumProvenBits: nil)
            #expect(with.file.encoded() == without.file.encoded())
            _ = try VMVerifier.verify(with.file, key: verificationKey, policy: .insecureTesting)
        }
        // Zero knowledge: a fresh proof each time, valid against the key.
        let zkKey = try ProvingKey(program: program, options: .standard)
        let zk = try VMProver.prove(program: program, rawInputs: [[3, 4]], key: zkKey)
        _ = try VMVerifier.verify(zk.file, key: try VerificationKey(program: program, commitment: nil, options: .standard))
    }

    @Test func aKeyThatDoesNotFitIsNotUsed() throws {
        let program = try VerificationKeyTests.program(), other = try VerificationKeyTests.program(5)
        var blowup4 = Self.options
        blowup4.logBlowup = 4
        for key in [try ProvingKey(program: other, options: Self.options), try ProvingKey(program: program, options: blowup4)] {
            let result = try VMProver.prove(program: program, rawInputs: [[5, -7]], options: Self.options, minimumProvenBits: nil, key: key)
            #expect(result.file.statement.publicOutputs == [[15, -21]])
            _ = try VMVerifier.verify(result.file, program: program, policy: .insecureTesting)
        }
        // A one-segment key does not serve a segmented run, which commits the other segments' columns itself.
        let (loop, inputs) = try Examples.load("collatz")
        let single = try ProvingKey(program: loop, options: Self.options)
        let segmented = try VMProver.prove(program: loop, rawInputs: inputs, options: Self.options, segmentRows: 64,
                                           minimumProvenBits: nil, key: single)
        #expect(segmented.file.segments.count > 1)
        _ = try VMVerifier.verify(segmented.file, program: loop, policy: .insecureTesting)
        let both = try ProvingKey(program: loop, options: Self.options, segmented: true)
        let again = try VMProver.prove(program: loop, rawInputs: inputs, options: Self.options, segmentRows: 64,
                                       minimumProvenBits: nil, key: both)
        #expect(again.file.encoded() == segmented.file.encoded())
    }
}
