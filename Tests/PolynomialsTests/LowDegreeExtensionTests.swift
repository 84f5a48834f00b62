import Testing
import Field
import Polynomials
import TestSupport

@Suite struct LowDegreeExtensionTests {
    /// Every output position r equals f(shift·ω_N^{reverse(r)}), evaluated by Horner.
    @Test(arguments: [0, 1, 2, 3, 4])
    func matchesDirectEvaluation(logBlowup: Int) throws {
        var g = SeededGenerator(seed: UInt64(500 + logBlowup))
        for logN in [0, 1, 3, 6] {
            let n = 1 << logN
            let coefficients = g.elements(n)
            let evaluations = NaiveDFT.evaluate(coefficients)
            let shift = Goldilocks.generator
            let extended = LowDegreeExtension.extend(evaluations, logBlowup: logBlowup, shift: shift)
            #expect(extended.count == n << logBlowup)
            for r in 0..<extended.count {
                let x = LowDegreeExtension.point(at: r, logSize: logN + logBlowup, shift: shift)
                #expect(extended[r] == Polynomial.evaluate(coefficients, at: x))
            }
        }
    }

    /// Larger sizes: the extension of a degree < n polynomial interpolates back
    /// to exactly that polynomial (all higher coefficients zero), at any thread count.
    @Test(arguments: [(12, 2), (15, 2), (16, 1), (14, 4)])
    func extensionHasLowDegree(logN: Int, logBlowup: Int) throws {
        var g = SeededGenerator(seed: UInt64(600 + logN))
        let n = 1 << logN
        let coefficients = g.elements(n)
        var evaluations = coefficients
        NTT.forward(&evaluations)
        let single = LowDegreeExtension.extend(evaluations, logBlowup: logBlowup, threads: 1)
        let parallel = LowDegreeExtension.extend(evaluations, logBlowup: logBlowup, threads: 2)
        #expect(firstMismatch(single, parallel) == nil)
        var natural = single
        BitReversal.permute(&natural)
        let recovered = try Polynomial.interpolate(cosetEvaluations: natural, shift: LowDegreeExtension.defaultShift)
        #expect(Array(recovered[0..<n]) == coefficients)
        #expect(recovered[n...].allSatisfy { $0.isZero })
    }

    /// FRI's adjacency property: positions 2r and 2r+1 are x and −x.
    @Test func adjacentPositionsAreNegatives() {
        for r in 0..<64 {
            #expect(LowDegreeExtension.point(at: 2 * r + 1, logSize: 7) == -LowDegreeExtension.point(at: 2 * r, logSize: 7))
        }
    }
}
