import Field
import Polynomials
import STARK
import Testing

/// Columns extended over a domain larger than their height (zero-knowledge
/// tables below 4E rows, `CommitmentLayout.logDomain`), against Lagrange
/// interpolation through the points of H and direct evaluation at each LDE
/// point.
@Suite struct ColumnExtensionTests {
    /// A masked column ŵ = w + (X^n − 1)·r of n = 8 values and h = 20 mask
    /// coefficients, on domains of 2^5 and 2^6 points at blowup 4, and a
    /// coefficient column low + X^8·high: every LDE value equals the
    /// polynomial at shift·ω^{reverse(i)}.
    @Test(arguments: [5, 6]) func largerDomainsHoldTheSamePolynomial(logDomain: Int) throws {
        var state: UInt64 = 0x9E37_79B9 &+ UInt64(logDomain)
        func next() -> Goldilocks { state = state &* 6364136223846793005 &+ 1442695040888963407; return Goldilocks(reducing: state) }
        let logHeight = 3, n = 1 << logHeight, logBlowup = 2
        let values = (0..<n).map { _ in next() }
        let mask = (0..<20).map { _ in next() }
        let high = (0..<11).map { _ in next() }
        let omega = Goldilocks.rootOfUnity(logOrder: logHeight)
        let points = (0..<n).map { omega.power(UInt64($0)) }
        let w = try Polynomial.interpolate(points: points, values: values)   // Lagrange, O(n²)
        let matrix = ColumnExtension.extend([.evaluations(values, mask: mask), .coefficients(low: values, high: high)],
                                            logDomain: logDomain, logBlowup: logBlowup, threads: 2)
        let logSize = logDomain + logBlowup
        #expect(matrix.height == 1 << logSize)
        for i in 0..<matrix.height {
            let x = LowDegreeExtension.point(at: i, logSize: logSize)
            let vanishing = x.power(UInt64(n)) - .one
            let masked = Polynomial.evaluate(w, at: x) + vanishing * Polynomial.evaluate(mask, at: x)
            let split = Polynomial.evaluate(values, at: x) + x.power(UInt64(n)) * Polynomial.evaluate(high, at: x)
            #expect(matrix.row(i) == [masked, split], "position \(i)")
        }
        // On H the masked column is the values themselves.
        for (i, p) in points.enumerated() {
            #expect(Polynomial.evaluate(w, at: p) + (p.power(UInt64(n)) - .one) * Polynomial.evaluate(mask, at: p) == values[i])
        }
    }
}
