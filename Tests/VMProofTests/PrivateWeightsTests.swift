import Field
import Hashing
import Prover
import ISA
import STARK
import Testing
import VM
@testable import VMArithmetization
import VMProver
import VMVerifier

/// Private and committed weights (Spec/zk.md §4): a verifier with the
/// program's public part and the published commitment accepts proofs of the
/// committed model and rejects proofs made with other weights; neither the
/// key nor the proof holds a weight value.
@Suite struct PrivateWeightsTests {
    /// y = W·x + b with W committed and b private. The weights' raw values
    /// have three nonzero low bytes, so the byte scans below cannot meet them
    /// by chance in a file's small integers and zero runs.
    static func source(w: [Double] = [1000.5, -2000.25, 3000.75], b: Double = 1000.5) -> String {
        """
        .input x [3] scale=8
        .weights W [3] scale=8 committed data [\(w.map { String($0) }.joined(separator: ", "))]
        .weights b [] scale=16 private data [\(b)]
        .output y [] scale=16 public
            li r1, 0
            li r5, 0
            li r8, 3
        loop:
            ld r2, [r1 + x]
            ld r3, [r1 + W]
            mul r4, r2, r3
            add r5, r5, r4
            addi r1, r1, 1
            lt r6, r1, r8
            bnz r6, loop
            ld r7, [b]
            add r5, r5, r7
            st r5, [y]
            halt
        """
    }
    static let options = VMSoundnessTests.options.with(zeroKnowledge: true)
    static let seed = [UInt8](repeating: 42, count: 32)
    static let input: [[Int64]] = [[256, 512, -256]]

    @Test func theCommittedModelVerifiesAgainstItsKeyAndOtherWeightsDoNot() throws {
        let program = try Examples.assemble(Self.source())
        let commitment = try #require(try VMProver.commitment(program: program, options: Self.options, seed: Self.seed))
        let result = try VMProver.prove(program: program, rawInputs: Self.input, options: Self.options, minimumProvenBits: nil,
                                        commitmentSeed: Self.seed)
        let file = try VMProofFile.decode(result.file.encoded())
        // y = 1000.5·1 − 2000.25·2 + 3000.75·(−1) + 1000.5 = −5000.25 at scale 16.
        #expect(file.statement.publicOutputs == [[Int64(-5000.25 * 65536)]])

        // The verifier's key: the public part, one digest with the full program, no weight values.
        let key = try VerificationKey(program: program, commitment: ModelCommitment(
            programDigest: program.digest, commitment: commitment, options: Self.options))
        let decoded = try VerificationKey.decode(key.encoded())
        #expect(decoded == key && decoded.program.digest == program.digest)
        #expect(decoded.program.tensors.filter { $0.kind == .weights }.allSatisfy { $0.data == nil })
        _ = try VMVerifier.verify(file, program: decoded.program, commitment: commitment, policy: .insecureTesting)
        for bytes in [key.encoded(), result.file.encoded()] {
            for t in program.tensors where t.kind == .weights {
                for v in t.data! {
                    for pattern in [Self.littleEndian(Goldilocks(v).value), Self.littleEndian(UInt64(bitPattern: v))] {
                        #expect(!Self.contains(bytes, pattern), "weight \(t.name) value \(v) occurs in the bytes")
                    }
                }
            }
        }
        // The public part cannot run: its hidden weights are absent.
        #expect(throws: VMError.self) { _ = try Machine(program: decoded.program).run(inputs: Self.input.map { $0.map { Double($0) / 256 } }) }

        // Other committed weights (same secret, same public part): a valid proof, but of another commitment.
        let other = try Examples.assemble(Self.source(w: [1000.5, -2000.25, 3001.0]))
        #expect(other.digest == program.digest, "hidden weights are not in the digest")
        let forged = try VMProver.prove(program: other, rawInputs: Self.input, options: Self.options, minimumProvenBits: nil,
                                        commitmentSeed: Self.seed)
        _ = try VMVerifier.verify(forged.file, program: decoded.program, policy: .insecureTesting)
        #expect(throws: (any Error).self) {
            _ = try VMVerifier.verify(forged.file, program: decoded.program, commitment: commitment, policy: .insecureTesting)
        }
        // A wrong commitment is rejected, a fresh secret gives another commitment.
        #expect(throws: (any Error).self) {
            _ = try VMVerifier.verify(file, program: decoded.program, commitment: Digest(bytes: [UInt8](repeating: 3, count: 32))!,
                                      policy: .insecureTesting)
        }
        #expect(try VMProver.commitment(program: program, options: Self.options, seed: [UInt8](repeating: 1, count: 32)) != commitment)
        // Private (uncommitted) weights are any weights: another b also verifies, with its own output.
        let otherBias = try Examples.assemble(Self.source(b: 1001.5))
        let biased = try VMProver.prove(program: otherBias, rawInputs: Self.input, options: Self.options, minimumProvenBits: nil,
                                        commitmentSeed: Self.seed)
        _ = try VMVerifier.verify(biased.file, program: decoded.program, commitment: commitment, policy: .insecureTesting)
        #expect(biased.file.statement.publicOutputs == [[Int64(-4999.25 * 65536)]])
    }

    /// A lying prover changes a committed weight in its witness after the
    /// VM ran: the committed column no longer matches the published root,
    /// and the memory bus no longer balances.
    @Test func aChangedCommittedCellIsRejected() throws {
        let program = try Examples.assemble(Self.source())
        let commitment = try #require(try VMProver.commitment(program: program, options: Self.options, seed: Self.seed))
        let vmAir = try VMAir(program: program, minLogHeight: CommitmentLayout(options: Self.options).minLogHeight)
        let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: Self.input, maxSteps: 1000)
        let w = Int(program.tensor(named: "W")!.address)
        for (column, delta) in [(MemoryTable.Main.committedInitial, Goldilocks.one), (MemoryTable.Main.privateInitial, .one)] {
            var main = witness.main
            main[VMAir.TableIndex.memory][column][w] += delta
            var input = ProverInput(air: vmAir.air, main: main, preprocessed: vmAir.preprocessedColumns(statement: witness.statement),
                                    publicValues: witness.publicValues, statement: witness.segmentStatement())
            input.commitmentSeed = Self.seed
            let proof = try Prover.prove(input, options: Self.options, checkWitness: false).proof
            let file = witness.file(proof.encoded())
            for expected in [commitment, nil] {
                #expect(throws: (any Error).self) {
                    _ = try VMVerifier.verify(file, program: program.publicPart, commitment: expected, policy: .insecureTesting)
                }
            }
        }
    }

    /// Every truncation and a bit flip in every byte of a key: an error
    /// naming a byte offset, or a key that differs — never a trap.
    @Test func corruptKeysAreErrors() throws {
        let program = try Examples.assemble(Self.source())
        let commitment = try #require(try VMProver.commitment(program: program, options: Self.options, seed: Self.seed))
        let key = try VerificationKey(program: program, commitment: ModelCommitment(
            programDigest: program.digest, commitment: commitment, options: Self.options))
        let bytes = key.encoded()
        for cut in 0..<bytes.count {
            #expect(throws: (any Error).self) { _ = try VerificationKey.decode(Array(bytes[0..<cut])) }
        }
        var accepted = 0
        for i in bytes.indices {
            var flipped = bytes
            flipped[i] ^= 1 << UInt8(i % 8)
            if let decoded = try? VerificationKey.decode(flipped) {
                accepted += 1
                #expect(decoded != key, "a flipped byte \(i) decoded to the same key")
            }
        }
        // Flips inside digests, names and values can give another valid key; most are refused.
        #expect(accepted < bytes.count / 2)
        #expect(throws: (any Error).self) { _ = try ModelCommitment.decode(Array("ZKMC".utf8) + [9, 0]) }
    }

    @Test func onlyWeightsCanBeCommitted() throws {
        #expect(throws: (any Error).self) { _ = try Examples.assemble(".input x [1] scale=0 committed\n    halt") }
        let program = try Examples.assemble(Self.source())
        #expect(throws: (any Error).self) { _ = try VerificationKey(program: program, commitment: nil) }
    }

    static func littleEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { i in haystack[i..<(i + needle.count)].elementsEqual(needle) }
    }
}
