import Field

/// Field-arithmetic throughput over arrays of random, distinct elements
/// (SWIFT-PERF.md lesson 4: constant inputs let the branch predictor cheat).
enum FieldBenchmarks {
    /// ns per base-field multiplication, c[i] = a[i]·b[i] over `count` elements.
    static func baseMultiply(count: Int, repetitions: Int) -> Double {
        var g = BenchRandom()
        let a = (0..<count).map { _ in Goldilocks.random(using: &g) }
        let b = (0..<count).map { _ in Goldilocks.random(using: &g) }
        var c = [Goldilocks](repeating: .zero, count: count)
        let seconds = Timing.median(repetitions: repetitions) {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        for i in 0..<count { pc[i] = pa[i] * pb[i] }
                    }
                }
            }
        }
        blackHole(c)
        return seconds * 1e9 / Double(count)
    }

    /// ns per base-field addition.
    static func baseAdd(count: Int, repetitions: Int) -> Double {
        var g = BenchRandom()
        let a = (0..<count).map { _ in Goldilocks.random(using: &g) }
        let b = (0..<count).map { _ in Goldilocks.random(using: &g) }
        var c = [Goldilocks](repeating: .zero, count: count)
        let seconds = Timing.median(repetitions: repetitions) {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        for i in 0..<count { pc[i] = pa[i] + pb[i] }
                    }
                }
            }
        }
        blackHole(c)
        return seconds * 1e9 / Double(count)
    }

    /// ns per cubic-extension multiplication.
    static func extensionMultiply(count: Int, repetitions: Int) -> Double {
        var g = BenchRandom()
        let a = (0..<count).map { _ in GoldilocksExt3.random(using: &g) }
        let b = (0..<count).map { _ in GoldilocksExt3.random(using: &g) }
        var c = [GoldilocksExt3](repeating: .zero, count: count)
        let seconds = Timing.median(repetitions: repetitions) {
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        for i in 0..<count { pc[i] = pa[i] * pb[i] }
                    }
                }
            }
        }
        blackHole(c)
        return seconds * 1e9 / Double(count)
    }

    /// ns per base-field inversion (batch of independent inversions).
    static func inverse(count: Int, repetitions: Int) -> Double {
        var g = BenchRandom()
        let a = (0..<count).map { _ in Goldilocks(reducing: g.next() | 1) }
        var c = [Goldilocks](repeating: .zero, count: count)
        let seconds = Timing.median(repetitions: repetitions) {
            for i in 0..<count { c[i] = (try? a[i].inverse()) ?? .zero }
        }
        blackHole(c)
        return seconds * 1e9 / Double(count)
    }
}
