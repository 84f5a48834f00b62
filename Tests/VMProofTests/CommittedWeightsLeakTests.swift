import Field
import Hashing
import ISA
import STARK
import Testing
@testable import VMArithmetization
import VMProver
import VMVerifier

/// An open review finding (Spec/zk.md §4–5), kept as a test that must
/// flip when it is fixed: the committed column's mask is fixed by the
/// commitment's seed, so every proof of one commitment opens the same
/// masked polynomial ŵ_c = w_c + Z_H·r_c at fresh points. K proofs give 6K
/// base equations at z and zω alone; once 6K ≥ W + h a verifier solves for
/// the committed weights (here 3 weights from the openings of a few test
/// proofs). One proof alone reveals nothing (6 equations, 3 + h unknowns).
@Suite struct CommittedWeightsLeakTests {
    @Test func committedWeightsLeakAcrossProofs() throws {
        let program = try Examples.assemble(PrivateWeightsTests.source())
        let options = PrivateWeightsTests.options
        let h = CommitmentLayout(options: options).maskDegree
        let memory = VMAir.TableIndex.memory
        let wAddr = Int(program.tensor(named: "W")!.address)
        let unknowns = 3 + h
        var rows = [[Goldilocks]](), rhs = [Goldilocks]()
        var proofs = 0
        while rows.count < unknowns + 6 {
            let input: [[Int64]] = [[Int64(proofs + 1), 2, 3]]
            let result = try VMProver.prove(program: program, rawInputs: input, options: options, minimumProvenBits: nil,
                                            commitmentSeed: PrivateWeightsTests.seed)
            proofs += 1
            let file = result.file
            let segment = file.segments[0]
            let proof = try Proof.decode(segment.proof)
            let air = try VMAir(program: program, minLogHeight: CommitmentLayout(options: proof.options).minLogHeight).air.blinded()
            let z = ProtocolTranscript.outOfDomainPoint(
                of: proof, air: air, statement: VMProofFile.segmentStatement(file.statement, index: 0, count: 1),
                publicValues: segment.boundary.publicValues(isLast: true))
            let logN = proof.tables[memory].logHeight
            let zNext = z * Goldilocks.rootOfUnity(logOrder: logN)
            let zh = z.power(UInt64(1 << logN)) - .one
            for (point, value) in [(z, proof.tables[memory].openings.mainAtZ[5]), (zNext, proof.tables[memory].openings.mainAtNext[5])] {
                let L = try DomainEvaluation.lagrangeWeights(at: point, logHeight: logN)
                var coeffs = (0..<3).map { L[wAddr + $0] }
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
        let consistent = (pivotRow..<m.count).allSatisfy { r[$0].isZero }
        let w = (0..<3).map { r[$0] }.map { v -> Int64 in v.value > UInt64(Int64.max) ? -Int64(Goldilocks.modulus - v.value) : Int64(v.value) }
        #expect(consistent && pivotRow == unknowns)
        #expect(w == program.tensor(named: "W")!.data!, "\(proofs) proofs of one commitment no longer determine the weights: the fix landed, flip this test")
    }
}
