import Field
import Hashing
import ISA
import ProofFiles
import STARK
import Testing
@testable import VMArithmetization
import VMProver
import VMVerifier

/// A fixed review finding (Spec/zk.md §4–5): committed weights used to sit
/// in a committed round whose mask was fixed by the commitment's seed, so
/// every proof of one commitment opened the same masked polynomial
/// ŵ = w + Z_H·r at fresh points, and a few proofs determined the weights.
/// Now the commitment is a Poseidon2 hash recomputed in the AIR and every
/// column is masked afresh in each proof. The same attack — the openings
/// of the weights' column at z and zω over several proofs of one
/// commitment and one input, solved for the hidden cells and one shared
/// mask — finds no consistent solution any more.
@Suite struct CommittedWeightsLeakTests {
    @Test func committedWeightsDoNotLeakAcrossProofs() throws {
        let program = try Examples.assemble(PrivateWeightsTests.source())
        let options = PrivateWeightsTests.options
        let h = CommitmentLayout(options: options).maskDegree
        let memory = VMAir.TableIndex.memory
        // The hidden column holds W (committed), b (private) and x (private
        // input, the same in every proof): 7 cells, then h mask coefficients.
        #expect(try VMAir(program: program).memoryCells.count == Int(program.memorySize), "memory rows are addresses here")
        let hidden = ["W", "b", "x"].flatMap { name in
            let t = program.tensor(named: name)!
            return (0..<t.count).map { Int(t.address) + $0 }
        }
        let unknowns = hidden.count + h
        var rows = [[Goldilocks]](), rhs = [Goldilocks]()
        var proofs = 0
        let commitment = try VMProver.commitment(program: program, seed: PrivateWeightsTests.seed)
        while rows.count < unknowns + 6 {
            let result = try VMProver.prove(program: program, rawInputs: PrivateWeightsTests.input, options: options,
                                            minimumProvenBits: nil, commitmentSeed: PrivateWeightsTests.seed)
            proofs += 1
            let file = result.file
            #expect(file.statement.weightCommitment == commitment)
            let segment = file.segments[0]
            let proof = try Proof.decode(segment.proof)
            let air = try VMAir(program: program).air.blinded()
            let z = ProtocolTranscript.outOfDomainPoint(
                of: proof, air: air, statement: VMProofFile.segmentStatement(file.statement, layout: PublicLayout(program: program), index: 0, count: 1),
                publicValues: segment.boundary.publicValues(isLast: true, weightCommitment: file.statement.weightCommitment),
            boundary: VMAir.boundaryMessages(layout: PublicLayout(program: program), statement: file.statement),
                preprocessed: try VMAir(program: program)
                    .preprocessedKey(options: proof.options))
            let logN = proof.tables[memory].logHeight
            let zNext = z * Goldilocks.rootOfUnity(logOrder: logN)
            let zh = z.power(UInt64(1 << logN)) - .one
            let column = MemoryTable.Main.hiddenInitial
            for (point, value) in [(z, proof.tables[memory].openings.mainAtZ[column]),
                                   (zNext, proof.tables[memory].openings.mainAtNext[column])] {
                let L = try DomainEvaluation.lagrangeWeights(at: point, logHeight: logN)
                var coeffs = hidden.map { L[$0] }
                var p = zh
                for _ in 0..<h { coeffs.append(p); p = p * point }
                for k in 0..<3 {
                    rows.append(coeffs.map { ZeroKnowledgeLeakTests.coordinate($0, k) })
                    rhs.append(ZeroKnowledgeLeakTests.coordinate(value, k))
                }
            }
        }
        // Least rows: Gaussian elimination on the overdetermined system.
        var m = rows, r = rhs
        var pivotRow = 0
        for col in 0..<unknowns {
            guard let p = (pivotRow..<m.count).first(where: { !m[$0][col].isZero }) else { continue }
            m.swapAt(pivotRow, p); r.swapAt(pivotRow, p)
            let inv = try m[pivotRow][col].inverse()
            for j in 0..<unknowns { m[pivotRow][j] = m[pivotRow][j] * inv }
            r[pivotRow] = r[pivotRow] * inv
            for i in 0..<m.count where i != pivotRow && !m[i][col].isZero {
                let f = m[i][col]
                for j in 0..<unknowns { m[i][j] = m[i][j] - f * m[pivotRow][j] }
                r[i] = r[i] - f * r[pivotRow]
            }
            pivotRow += 1
        }
        // Fresh masks make the equations of different proofs independent:
        // 6·proofs > unknowns equations with no common solution.
        let consistent = (pivotRow..<m.count).allSatisfy { r[$0].isZero }
        #expect(!consistent, "\(proofs) proofs of one commitment share a mask: their openings determine the hidden cells")
    }
}
