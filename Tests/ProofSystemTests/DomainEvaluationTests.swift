import Field
import Polynomials
import STARK
import Testing

/// Barycentric evaluation at z and z·ω (the verifier's preprocessed values
/// and the prover's openings) against interpolation and Horner evaluation.
@Suite struct DomainEvaluationTests {
    @Test(arguments: [0, 1, 3, 6, 10])
    func bothPointsMatchTheInterpolant(logHeight: Int) throws {
        var state: UInt64 = 0x1234_5678 &+ UInt64(logHeight)
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state }
        let n = 1 << logHeight
        let columns = (0..<3).map { _ in (0..<n).map { _ in Goldilocks(reducing: next()) } }
        let z = GoldilocksExt3(Goldilocks(reducing: next()), Goldilocks(reducing: next()), Goldilocks(reducing: next()))
        let omega = Goldilocks.rootOfUnity(logOrder: logHeight)
        let weights = try DomainEvaluation.lagrangeWeights(at: z, logHeight: logHeight)
        // The Lagrange form, summed directly (L_i(z·ω) = L_{i−1}(z)).
        let atZ = columns.map { f in (0..<n).reduce(GoldilocksExt3.zero) { $0 + weights[$1] * f[$1] } }
        let atNext = columns.map { f in (0..<n).reduce(GoldilocksExt3.zero) { $0 + weights[$1] * f[($1 + 1) % n] } }
        let norms = try DomainEvaluation.BarycentricWeights(at: z, logHeight: logHeight)
        let (normZ, normNext) = DomainEvaluation.dots(norms, columns: columns, threads: 2)
        for (c, column) in columns.enumerated() {
            let coefficients = try Polynomial.interpolate(cosetEvaluations: column)
            #expect(atZ[c] == Polynomial.evaluate(coefficients, at: z))
            #expect(atNext[c] == Polynomial.evaluate(coefficients, at: z * omega))
            #expect(normZ[c] == atZ[c], "norm-form weights at z")
            #expect(normNext[c] == atNext[c], "norm-form weights at z·ω")
        }
        // A point of H has no weights.
        #expect(throws: FieldError.self) { _ = try DomainEvaluation.BarycentricWeights(at: GoldilocksExt3(omega), logHeight: logHeight) }
    }
}
