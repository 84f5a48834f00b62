import Testing
import Field
import Polynomials
import TestSupport

@Suite struct NTTTests {
    @Test(arguments: 0...10)
    func forwardMatchesNaiveDFT(logSize: Int) {
        var g = SeededGenerator(seed: UInt64(100 + logSize))
        let coefficients = g.elements(1 << logSize)
        let expected = NaiveDFT.evaluate(coefficients)
        var natural = coefficients
        NTT.forward(&natural)
        #expect(firstMismatch(natural, expected) == nil)

        // The bit-reversed variants agree with the permuted definition.
        var reversedOut = coefficients
        reversedOut.withUnsafeMutableBufferPointer { NTT.forwardToBitReversed($0.baseAddress!, count: $0.count) }
        var permuted = expected
        BitReversal.permute(&permuted)
        #expect(firstMismatch(reversedOut, permuted) == nil)
    }

    @Test(arguments: 0...10)
    func inverseMatchesNaiveDefinition(logSize: Int) {
        var g = SeededGenerator(seed: UInt64(200 + logSize))
        let evaluations = g.elements(1 << logSize)
        var coefficients = evaluations
        NTT.inverse(&coefficients)
        #expect(NaiveDFT.evaluate(coefficients) == evaluations)
    }

    @Test(arguments: [11, 14, 16, 18, 20])
    func roundTrips(logSize: Int) {
        var g = SeededGenerator(seed: UInt64(300 + logSize))
        let original = g.elements(1 << logSize)
        var values = original
        NTT.forward(&values)
        #expect(values != original)
        NTT.inverse(&values)
        #expect(firstMismatch(values, original) == nil)
        // Bit-reversed pipeline: DIF forward, then DIT inverse, then 1/n.
        values.withUnsafeMutableBufferPointer { b in
            NTT.forwardToBitReversed(b.baseAddress!, count: b.count)
            NTT.inverseFromBitReversedUnscaled(b.baseAddress!, count: b.count)
            NTT.scale(b.baseAddress!, count: b.count, by: NTT.inverseOfPowerOfTwo(logSize))
        }
        #expect(firstMismatch(values, original) == nil)
    }

    /// A single-point check at 2^20 against Horner evaluation of the definition.
    @Test func largeTransformSpotChecks() {
        var g = SeededGenerator(seed: 7)
        let n = 1 << 20
        let coefficients = g.elements(n)
        var values = coefficients
        NTT.forward(&values)
        let omega = Goldilocks.rootOfUnity(logOrder: 20)
        for i in [0, 1, 2, 12345, n / 2, n - 1] {
            #expect(values[i] == Polynomial.evaluate(coefficients, at: omega.power(UInt64(i))))
        }
    }

    @Test(arguments: [14, 15, 17])
    func identicalAtEveryThreadCount(logSize: Int) {
        var g = SeededGenerator(seed: UInt64(400 + logSize))
        let input = g.elements(1 << logSize)
        var reference = input
        NTT.forward(&reference, threads: 1)
        for threads in [2, 3, 4, 8] {
            var values = input
            NTT.forward(&values, threads: threads)
            #expect(firstMismatch(values, reference) == nil, "threads = \(threads)")
            NTT.inverse(&values, threads: threads)
            #expect(firstMismatch(values, input) == nil)
        }
    }

    @Test func bitReversalIsTheDefinitionAndAnInvolution() {
        for logSize in 0...14 {
            let n = 1 << logSize
            var values = (0..<n).map { Goldilocks(reducing: UInt64($0)) }
            BitReversal.permute(&values)
            for i in 0..<n {
                var r = 0
                for b in 0..<logSize where (i >> b) & 1 == 1 { r |= 1 << (logSize - 1 - b) }
                #expect(values[i].value == UInt64(r))
                if values[i].value != UInt64(r) { return }
            }
            BitReversal.permute(&values)
            #expect(firstMismatch(values, (0..<n).map { Goldilocks(reducing: UInt64($0)) }) == nil)
        }
    }
}
