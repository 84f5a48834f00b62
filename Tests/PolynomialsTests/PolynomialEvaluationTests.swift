import Testing
import Field
import Polynomials
import TestSupport

@Suite struct PolynomialEvaluationTests {
    @Test func barycentricMatchesHorner() throws {
        var g = SeededGenerator(seed: 700)
        for logN in [0, 1, 5, 10] {
            let coefficients = g.elements(1 << logN)
            let shift = Goldilocks.random(using: &g)
            let values = NaiveDFT.evaluate(coefficients, shift: shift)
            for _ in 0..<5 {
                let z = GoldilocksExt3.random(using: &g)
                #expect(try Polynomial.evaluate(cosetEvaluations: values, shift: shift, at: z)
                        == Polynomial.evaluate(coefficients, at: z))
            }
            // A point inside the coset returns the stored value.
            let inside = GoldilocksExt3(shift * Goldilocks.rootOfUnity(logOrder: logN).power(1))
            #expect(try Polynomial.evaluate(cosetEvaluations: values, shift: shift, at: inside)
                    == GoldilocksExt3(values[values.count > 1 ? 1 : 0]))
        }
        #expect(throws: PolynomialError.notPowerOfTwo(3)) {
            try Polynomial.evaluate(cosetEvaluations: [.one, .one, .one], shift: .one, at: .one)
        }
    }

    @Test func hornerOverTheExtensionMatchesGenericHorner() {
        var g = SeededGenerator(seed: 701)
        let coefficients = g.elements(37)
        let z = GoldilocksExt3.random(using: &g)
        #expect(Polynomial.evaluate(coefficients, at: z)
                == Polynomial.evaluate(coefficients.map(GoldilocksExt3.init), at: z))
        #expect(Polynomial.evaluate([Goldilocks](), at: z) == .zero)
    }

    @Test func cosetInterpolationInvertsEvaluation() throws {
        var g = SeededGenerator(seed: 702)
        let coefficients = g.elements(64)
        let shift = Goldilocks(reducing: 12345)
        let values = NaiveDFT.evaluate(coefficients, shift: shift)
        #expect(try Polynomial.interpolate(cosetEvaluations: values, shift: shift) == coefficients)
    }

    @Test func lagrangeInterpolation() throws {
        var g = SeededGenerator(seed: 703)
        for n in [1, 2, 7, 20] {
            let coefficients = (0..<n).map { _ in GoldilocksExt3.random(using: &g) }
            let points = (0..<n).map { _ in GoldilocksExt3.random(using: &g) }
            let values = points.map { Polynomial.evaluate(coefficients, at: $0) }
            #expect(try Polynomial.interpolate(points: points, values: values) == coefficients)
        }
        let p: [Goldilocks] = [.one, Goldilocks(reducing: 5), .one]
        #expect(throws: PolynomialError.duplicatePoint(first: 0, second: 2)) {
            try Polynomial.interpolate(points: p, values: [.zero, .zero, .zero])
        }
        #expect(throws: PolynomialError.lengthMismatch(points: 3, values: 1)) {
            try Polynomial.interpolate(points: p, values: [.zero])
        }
    }
}
