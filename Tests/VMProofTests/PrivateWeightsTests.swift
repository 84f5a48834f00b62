import AlgebraicHashing
import Field
import Hashing
import ProofFiles
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
/// key nor the proof holds a weight value; every part of the commitment
/// table (Spec/vm-air.md §9) is sound against a one-cell change.
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
        let commitment = try #require(try VMProver.commitment(program: program, seed: Self.seed))
        let result = try VMProver.prove(program: program, rawInputs: Self.input, options: Self.options, minimumProvenBits: nil,
                                        commitmentSeed: Self.seed)
        let file = try VMProofFile.decode(result.file.encoded())
        // y = 1000.5·1 − 2000.25·2 + 3000.75·(−1) + 1000.5 = −5000.25 at scale 16.
        #expect(file.statement.publicOutputs == [[Int64(-5000.25 * 65536)]])
        #expect(file.statement.weightCommitment == commitment)

        // The verifier's key: digest, layout, preprocessed roots and commitment — no code, no weight value.
        let key = try VerificationKey(program: program, commitment: ModelCommitment(programDigest: program.digest, commitment: commitment),
                                      options: result.options)
        let decoded = try VerificationKey.decode(key.encoded())
        #expect(decoded == key && decoded.programDigest == program.digest)
        _ = try VMVerifier.verify(file, key: decoded, policy: .insecureTesting)
        // The program's public part (no hidden weight value) gives the same key.
        let publicPart = program.publicPart
        #expect(publicPart.tensors.filter { $0.kind == .weights && $0.visibility != .public }.allSatisfy { $0.data == nil })
        #expect(try VerificationKey(program: publicPart, commitment: key.commitment, options: result.options) == key)
        _ = try VMVerifier.verify(file, program: publicPart, commitment: commitment, policy: .insecureTesting)
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
        #expect(throws: VMError.self) { _ = try Machine(program: publicPart).run(inputs: Self.input.map { $0.map { Double($0) / 256 } }) }

        // Other committed weights (same secret, same public part): a valid proof, but of another commitment.
        let other = try Examples.assemble(Self.source(w: [1000.5, -2000.25, 3001.0]))
        #expect(other.digest == program.digest, "hidden weights are not in the digest")
        let forged = try VMProver.prove(program: other, rawInputs: Self.input, options: Self.options, minimumProvenBits: nil,
                                        commitmentSeed: Self.seed)
        _ = try VMVerifier.verify(forged.file, program: publicPart, commitment: forged.file.statement.weightCommitment,
                                  policy: .insecureTesting)
        #expect(forged.file.statement.weightCommitment != commitment)
        #expect(throws: VMVerifierError.proof(.rejected(check: "the proof is for other weights than the published commitment"))) {
            _ = try VMVerifier.verify(forged.file, program: publicPart, commitment: commitment, policy: .insecureTesting)
        }
        // A wrong commitment is rejected, a fresh secret gives another commitment.
        #expect(throws: VMVerifierError.proof(.rejected(check: "the proof is for other weights than the published commitment"))) {
            _ = try VMVerifier.verify(file, program: publicPart,
                                      commitment: WeightCommitment(elements: [Goldilocks](repeating: Goldilocks(3), count: 4)),
                                      policy: .insecureTesting)
        }
        #expect(try VMProver.commitment(program: program, seed: [UInt8](repeating: 1, count: 32)) != commitment)
        // The same values read as another shape: another commitment (the layout is in the sponge's IV).
        let reshaped = try Examples.assemble(Self.source().replacingOccurrences(of: ".weights W [3]", with: ".weights W [3, 1]"))
        #expect(CommitmentTable.elements(reshaped, units: CommitmentTable.units(reshaped, code: DotCode(reshaped)))
                    == CommitmentTable.elements(program, units: CommitmentTable.units(program, code: DotCode(program))))
        #expect(try VMProver.commitment(program: reshaped, seed: Self.seed) != commitment)
        // The verifier needs the published commitment of a program with committed weights.
        #expect(throws: VMVerifierError.key("the program has committed weights: give their published commitment")) {
            _ = try VMVerifier.verify(file, program: publicPart, policy: .insecureTesting)
        }
        // A persistent seed never goes into a transparent proof (it would reveal the salt), and has 32 bytes.
        #expect(throws: (any Error).self) {
            _ = try VMProver.prove(program: program, rawInputs: Self.input, options: Self.options.with(zeroKnowledge: false),
                                   minimumProvenBits: nil, commitmentSeed: Self.seed)
        }
        #expect(throws: (any Error).self) { _ = try VMProver.commitment(program: program, seed: []) }
        // Private (uncommitted) weights are any weights: another b also verifies, with its own output.
        let otherBias = try Examples.assemble(Self.source(b: 1001.5))
        let biased = try VMProver.prove(program: otherBias, rawInputs: Self.input, options: Self.options, minimumProvenBits: nil,
                                        commitmentSeed: Self.seed)
        _ = try VMVerifier.verify(biased.file, program: publicPart, commitment: commitment, policy: .insecureTesting)
        #expect(biased.file.statement.publicOutputs == [[Int64(-4999.25 * 65536)]])
    }

    /// A run split into segments: the commitment table hashes the weights
    /// in the last segment (with the memory table), the other segments
    /// carry an inert zero-block sponge; the proof verifies against the
    /// published commitment and not against another.
    @Test func committedWeightsProveInSegments() throws {
        let program = try Examples.assemble(Self.source())
        let commitment = try #require(try VMProver.commitment(program: program, seed: Self.seed))
        let result = try VMProver.prove(program: program, rawInputs: Self.input, options: Self.options, segmentRows: 8,
                                        minimumProvenBits: nil, commitmentSeed: Self.seed)
        #expect(result.file.segments.count >= 3)
        #expect(result.file.statement.weightCommitment == commitment)
        let file = try VMProofFile.decode(result.file.encoded())
        _ = try VMVerifier.verify(file, program: program.publicPart, commitment: commitment, policy: .insecureTesting)
        let other = WeightCommitment(elements: commitment.elements.map { $0 + .one })
        #expect(throws: VMVerifierError.proof(.rejected(check: "the proof is for other weights than the published commitment"))) {
            _ = try VMVerifier.verify(file, program: program.publicPart, commitment: other, policy: .insecureTesting)
        }
    }

    /// A lying prover changes one cell after the VM ran: the committed
    /// weight in memory (the commitment bus and the memory bus no longer
    /// balance), a lane the sponge absorbs, a zero-forced lane, or any cell of
    /// the permutation's rounds (its constraints fail); or it claims another
    /// commitment in the statement (the digest row fails). Each proof is
    /// rejected, with and without the published commitment.
    @Test func everyCommitmentTableFamilyRejectsAChangedCell() throws {
        let program = try Examples.assemble(Self.source())
        let commitment = try #require(try VMProver.commitment(program: program, seed: Self.seed))
        let vmAir = try VMAir(program: program)
        let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: Self.input, maxSteps: 1000,
                                                           weightSalt: WeightSponge.salt(fromSeed: Self.seed))
        #expect(witness.statement.weightCommitment == commitment)
        let table = try #require(vmAir.commitmentIndex), memory = VMAir.TableIndex.memory
        let w = Int(program.tensor(named: "W")!.address)
        typealias M = CommitmentTable.Main
        // W sits at sponge positions 4…6: row 0, lanes 4…6; lane 7 and row 1 are zero-forced.
        let cases: [(String, Int, Int, Int)] = [
            ("memory: committed weight", memory, MemoryTable.Main.hiddenInitial, w),
            ("absorbed weight lane", table, M.block + 5, 0),
            ("salt lane", table, M.block + 1, 0),
            ("zero-forced lane", table, M.block + 7, 0),
            ("zero-forced lane, later row", table, M.block + 2, 1),
            ("state before", table, M.before + 9, 0),
            ("state before, later row", table, M.before + 0, 3),
            ("external S-box output", table, M.fullOutput(2, 5), 0),
            ("last external S-box output", table, M.fullOutput(7, 11), 1),
            ("internal S-box output", table, M.partialOutput(10), 0),
            ("last internal S-box output", table, M.partialOutput(21), 2),
        ]
        /// - Parameter table: the table whose check at z rejects the
        ///   changed witness (nil: only the commitment comparison does).
        func rejected(_ main: [[[Goldilocks]]], statement: VMStatement, _ label: String, table: String?) throws {
            let input = ProverInput(air: vmAir.air, main: main, preprocessed: vmAir.preprocessedColumns(statement: statement),
                                    publicValues: witness.segments[0].boundary.publicValues(isLast: true, weightCommitment: statement.weightCommitment),
                                    boundary: witness.boundary(statement), statement: witness.segmentStatement(statement))
            let proof = try Prover.prove(input, options: Self.options, checkWitness: false).proof
            let file = witness.file(proof.encoded(), statement: statement)
            // Against the published commitment and against the one the
            // statement names: a statement naming other weights fails the
            // comparison first; otherwise the changed table's check at z.
            for expected in [commitment, statement.weightCommitment!] {
                let check = expected != statement.weightCommitment || table == nil
                    ? "the proof is for other weights than the published commitment" : "table \(table!): constraints do not hold at the out-of-domain point"
                #expect(throws: VMVerifierError.proof(.rejected(check: check)), "\(label)") {
                    _ = try VMVerifier.verify(file, program: program.publicPart, commitment: expected, policy: .insecureTesting)
                }
            }
        }
        for (label, t, column, row) in cases {
            var main = witness.main
            main[t][column][row] += .one
            try rejected(main, statement: witness.statement, label, table: vmAir.air.tables[t].name)
        }
        // The statement claims the commitment of other weights.
        var claimed = witness.statement
        claimed.weightCommitment = try VMProver.commitment(program: Examples.assemble(Self.source(w: [1, 2, 3])), seed: Self.seed)
        try rejected(witness.main, statement: claimed, "another commitment in the statement", table: "commitment")
        // The honest witness, through the same path, verifies: the rejections above are the changes'.
        let honest = ProverInput(air: vmAir.air, main: witness.main, preprocessed: vmAir.preprocessedColumns(statement: witness.statement),
                                 publicValues: witness.publicValues, boundary: vmAir.boundaryMessages(statement: witness.statement),
                                 statement: witness.segmentStatement())
        let proof = try Prover.prove(honest, options: Self.options, checkWitness: true).proof
        _ = try VMVerifier.verify(witness.file(proof.encoded()), program: program.publicPart, commitment: commitment, policy: .insecureTesting)
    }

    /// Every truncation and a bit flip in every byte of a key: an error
    /// naming a byte offset, or a key against which a valid segmented proof
    /// fails — never a trap, and never a changed key that still accepts.
    @Test func corruptKeysAreErrors() throws {
        let program = try Examples.assemble(Self.source())
        let commitment = try #require(try VMProver.commitment(program: program, seed: Self.seed))
        let result = try VMProver.prove(program: program, rawInputs: Self.input, options: Self.options, segmentRows: 8,
                                        minimumProvenBits: nil, commitmentSeed: Self.seed)
        #expect(result.file.segments.count > 1)
        let key = try VerificationKey(program: program, commitment: ModelCommitment(programDigest: program.digest, commitment: commitment),
                                      options: result.options)
        _ = try VMVerifier.verify(result.file, key: key, policy: .insecureTesting)
        let bytes = key.encoded()
        for cut in 0..<bytes.count {
            #expect(throws: (any Error).self) { _ = try VerificationKey.decode(Array(bytes[0..<cut])) }
        }
        var decodedKeys = 0, accepting = [Int]()
        for i in bytes.indices {
            var flipped = bytes
            flipped[i] ^= 1 << UInt8(i % 8)
            guard let decoded = try? VerificationKey.decode(flipped) else { continue }
            decodedKeys += 1
            #expect(decoded != key, "a flipped byte \(i) decoded to the same key")
            if (try? VMVerifier.verify(result.file, key: decoded, policy: .insecureTesting)) != nil { accepting.append(i) }
        }
        // Flips inside digests, roots, names and values decode to another key; none accepts the proof.
        #expect(decodedKeys > 0)
        #expect(accepting.isEmpty, "keys with a flipped byte at \(accepting) accept the proof")
        #expect(throws: (any Error).self) { _ = try ModelCommitment.decode(Array("ZKMC".utf8) + [9, 0]) }
        // A non-canonical commitment word (≥ p) is refused, naming its offset.
        var nonCanonical = ModelCommitment(programDigest: program.digest, commitment: commitment).encoded()
        for i in 0..<8 { nonCanonical[6 + 32 + i] = 0xFF }
        #expect(throws: ProofFileError.malformed("commitment file at byte 38: non-canonical commitment element")) {
            _ = try ModelCommitment.decode(nonCanonical)
        }
    }

    @Test func onlyWeightsCanBeCommitted() throws {
        #expect(throws: (any Error).self) { _ = try Examples.assemble(".input x [1] scale=0 committed\n    halt") }
        let program = try Examples.assemble(Self.source())
        #expect(throws: (any Error).self) { _ = try VerificationKey(program: program, commitment: nil, options: Self.options) }
    }

    static func littleEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { i in haystack[i..<(i + needle.count)].elementsEqual(needle) }
    }
}
