import Field
import ISA
import STARK
import Testing
import VMArithmetization
import VMProver
import VMVerifier

/// Proofs are not zero-knowledge yet (Spec/zk.md §1). This is the attack of
/// SECURITY-PLAN F.15 with masking off: a verifier replays the public
/// transcript to z and solves the memory table's out-of-domain opening for
/// the private inputs. When masking lands (issue 6) the same attack must
/// fail with masking on; until then this test shows the leak is real.
@Suite struct ZeroKnowledgeLeakTests {
    static let source = """
    .input secret [3] scale=0 private
    .output total [] scale=0 public
        reduce total, secret, sum
        halt
    """

    @Test func privateInputsAreRecoverableFromTheOpenings() throws {
        let program = try Examples.assemble(Self.source)
        let secret: [Int64] = [1_234_567, -987_654, 42]
        let result = try VMProver.prove(program: program, rawInputs: [secret], options: VMSoundnessTests.options,
                                        minimumProvenBits: nil)
        _ = try VMVerifier.verify(result.file, program: program, policy: .insecureTesting)
        #expect(result.file.statement.publicOutputs == [[secret.reduce(0, +)]])
        #expect(result.file.statement.publicInputs.isEmpty)

        // Everything below uses only public data: the program, the statement and the proof.
        let vmAir = try VMAir(program: program)
        let segment = result.file.segments[0]
        let proof = try Proof.decode(segment.proof)
        var transcript = ProtocolTranscript(air: vmAir.air, options: proof.options,
                                            statement: VMProofFile.segmentStatement(result.file.statement, index: 0, count: 1),
                                            publicValues: segment.boundary.publicValues(isLast: true),
                                            logHeights: proof.tables.map(\.logHeight))
        transcript.absorbMainRoots([proof.main?.root])
        _ = transcript.segmentBinding()
        _ = transcript.logUpChallenges(air: vmAir.air, shared: nil)
        transcript.absorbAuxiliary(root: proof.auxiliary?.root, claimedSums: proof.tables.map(\.claimedSum))
        _ = transcript.constraintChallenge()
        transcript.absorbQuotientRoots([proof.quotient.root])
        let z = transcript.outOfDomainPoint()

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
        let recovered = solution.map { v -> Int64 in
            v.value > UInt64(Int64.max) ? -Int64(Goldilocks.modulus - v.value) : Int64(v.value)
        }
        #expect(recovered == secret, "the openings do not reveal the private inputs")
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
