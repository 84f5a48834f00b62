import Field
import ISA
import ProofFiles
import STARK
import Testing
import VMArithmetization
import VMProver
import VMVerifier

/// SECURITY-PLAN F.15: a verifier replays the public transcript to z and
/// solves the memory table's out-of-domain opening for the private inputs.
/// On a transparent proof (masking off) this recovers them exactly; on a
/// zero-knowledge proof (Spec/zk.md) the same attack gets nothing, and no
/// private value occurs in the proof's bytes.
@Suite struct ZeroKnowledgeLeakTests {
    static let source = """
    .input secret [3] scale=0 private
    .output total [] scale=0 public
        reduce total, secret, sum
        halt
    """
    /// Four nonzero low bytes each, so the byte scan below cannot meet them by
    /// chance in a proof's small integers and zero runs.
    static let secret: [Int64] = [1_234_567_891, -987_654_321, 1_020_202_021]

    @Test func transparentProofsRevealPrivateInputs() throws {
        let program = try Examples.assemble(Self.source)
        let result = try VMProver.prove(program: program, rawInputs: [Self.secret], options: VMSoundnessTests.options,
                                        minimumProvenBits: nil)
        _ = try VMVerifier.verify(result.file, program: program, policy: .insecureTesting)
        #expect(result.file.statement.publicOutputs == [[Self.secret.reduce(0, +)]])
        #expect(result.file.statement.publicInputs.isEmpty)
        #expect(try Self.attack(result.file, program: program) == Self.secret, "the openings do not reveal the private inputs")
    }

    @Test func zeroKnowledgeProofsDoNot() throws {
        let program = try Examples.assemble(Self.source)
        let options = VMSoundnessTests.options.with(zeroKnowledge: true)
        var recovered = Set<[Int64]>()
        for _ in 0..<3 {
            let result = try VMProver.prove(program: program, rawInputs: [Self.secret], options: options, minimumProvenBits: nil)
            _ = try VMVerifier.verify(result.file, program: program, policy: .insecureTesting)
            let guess = try Self.attack(result.file, program: program)
            #expect(guess != Self.secret)
            recovered.insert(guess)
            // No private input, as a field element or as a 64-bit integer, in the file's bytes.
            let bytes = result.file.encoded()
            for v in Self.secret {
                for pattern in [Self.littleEndian(Goldilocks(v).value), Self.littleEndian(UInt64(bitPattern: v))] {
                    #expect(!Self.contains(bytes, pattern), "private value \(v) occurs in the proof")
                }
            }
        }
        #expect(recovered.count == 3, "the attack's output is random, not a function of the input")
    }

    /// Solves the memory table's opening at z for the three private cells,
    /// from public data only: the program, the statement and the proof.
    static func attack(_ file: VMProofFile, program: Program) throws -> [Int64] {
        let segment = file.segments[0]
        let proof = try Proof.decode(segment.proof)
        let vmAir = try VMAir(program: program)
        let air = proof.options.zeroKnowledge ? try vmAir.air.blinded() : vmAir.air
        let z = ProtocolTranscript.outOfDomainPoint(
            of: proof, air: air, statement: VMProofFile.segmentStatement(file.statement, layout: PublicLayout(program: program), index: 0, count: 1),
            publicValues: segment.boundary.publicValues(isLast: true, weightCommitment: file.statement.weightCommitment),
            boundary: VMAir.boundaryMessages(layout: PublicLayout(program: program), statement: file.statement),
            preprocessed: vmAir.preprocessedKey(options: proof.options))

        // The memory table's private-value column is zero except at the
        // private cells, whose addresses the program gives: its value at z is
        // Σ_a L_a(z)·v_a, three base-field equations in three unknowns.
        let memory = VMAir.TableIndex.memory
        let weights = try DomainEvaluation.lagrangeWeights(at: z, logHeight: proof.tables[memory].logHeight)
        let base = Int(program.tensor(named: "secret")!.address)
        let opened = proof.tables[memory].openings.mainAtZ[0]
        let columns = (0..<3).map { weights[base + $0] }
        var matrix = (0..<3).map { k in (0..<3).map { a in Self.coordinate(columns[a], k) } }
        var rhs = (0..<3).map { Self.coordinate(opened, $0) }
        let solution = try Self.solve(&matrix, &rhs)
        return solution.map { v -> Int64 in
            v.value > UInt64(Int64.max) ? -Int64(Goldilocks.modulus - v.value) : Int64(v.value)
        }
    }

    static func littleEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { i in haystack[i..<(i + needle.count)].elementsEqual(needle) }
    }

    static func coordinate(_ e: GoldilocksExt3, _ k: Int) -> Goldilocks { [e.c0, e.c1, e.c2][k] }

    /// Gaussian elimination over F_p (the matrix is invertible for random z).
    static func solve(_ m: inout [[Goldilocks]], _ r: inout [Goldilocks]) throws -> [Goldilocks] {
        let n = r.count
        for col in 0..<n {
            let pivot = try #require((col..<n).first { !m[$0][col].isZero })
            m.swapAt(col, pivot)
            r.swapAt(col, pivot)
            let inverse = try m[col][col].inverse()
            for j in 0..<n { m[col][j] = m[col][j] * inverse }
            r[col] = r[col] * inverse
            for i in 0..<n where i != col && !m[i][col].isZero {
                let f = m[i][col]
                for j in 0..<n { m[i][j] = m[i][j] - f * m[col][j] }
                r[i] = r[i] - f * r[col]
            }
        }
        return r
    }
}
