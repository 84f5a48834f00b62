import Field
import Polynomials

enum PolynomialBenchmarks {
    static func randomColumn(_ n: Int) -> [Goldilocks] {
        var g = BenchRandom()
        return (0..<n).map { _ in Goldilocks.random(using: &g) }
    }

    /// ms for the core NTT (natural → bit-reversed order, DIF) of size 2^logSize.
    static func ntt(logSize: Int, threads: Int, repetitions: Int) -> Double {
        let input = randomColumn(1 << logSize)
        var work = input
        let seconds = Timing.median(repetitions: repetitions, setup: { work = input; work.withUnsafeMutableBufferPointer { _ in } }) {
            work.withUnsafeMutableBufferPointer {
                NTT.forwardToBitReversed($0.baseAddress!, count: $0.count, threads: threads)
            }
        }
        blackHole(work)
        return seconds * 1e3
    }

    /// ms for the natural-order NTT (bit reversal included).
    static func nttNatural(logSize: Int, threads: Int, repetitions: Int) -> Double {
        let input = randomColumn(1 << logSize)
        var work = input
        let seconds = Timing.median(repetitions: repetitions, setup: { work = input; work.withUnsafeMutableBufferPointer { _ in } }) {
            NTT.forward(&work, threads: threads)
        }
        blackHole(work)
        return seconds * 1e3
    }

    /// ms for the textbook reference: radix-2 DIF, one layer per pass, the
    /// same precomputed per-layer twiddles, one thread, no cache blocking.
    static func referenceRadix2(logSize: Int, repetitions: Int) -> Double {
        let n = 1 << logSize
        let input = randomColumn(n)
        // roots[m + j] = ω_{2m}^j, as in TwiddleTable.
        var roots = [Goldilocks](repeating: .one, count: n)
        var m = 1
        while m < n {
            let w = Goldilocks.rootOfUnity(logOrder: (2 * m).trailingZeroBitCount)
            var acc = Goldilocks.one
            for j in 0..<m { roots[m + j] = acc; acc = acc * w }
            m *= 2
        }
        var work = input
        let seconds = Timing.median(repetitions: repetitions, setup: { work = input; work.withUnsafeMutableBufferPointer { _ in } }) {
            roots.withUnsafeBufferPointer { r in
                work.withUnsafeMutableBufferPointer { x in
                    var half = n / 2
                    while half >= 1 {
                        var s = 0
                        while s < n {
                            for j in 0..<half {
                                let u = x[s + j], v = x[s + j + half]
                                x[s + j] = u + v
                                x[s + j + half] = (u - v) * r[half + j]
                            }
                            s += 2 * half
                        }
                        half /= 2
                    }
                }
            }
        }
        // Same output as the fast kernel: a correctness cross-check in the benchmark.
        var fast = input
        fast.withUnsafeMutableBufferPointer { NTT.forwardToBitReversed($0.baseAddress!, count: n, threads: 1) }
        precondition(fast == work, "reference and fast NTT disagree")
        return seconds * 1e3
    }

    /// ms for a low-degree extension of one column of 2^logSize at blowup 2^logBlowup.
    static func lde(logSize: Int, logBlowup: Int, threads: Int, repetitions: Int) -> Double {
        let input = randomColumn(1 << logSize)
        var out: [Goldilocks] = []
        let seconds = Timing.median(repetitions: repetitions) {
            out = LowDegreeExtension.extend(input, logBlowup: logBlowup, threads: threads)
        }
        blackHole(out)
        return seconds * 1e3
    }
}
