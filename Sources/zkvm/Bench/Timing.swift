import Dispatch

/// Wall-clock timing for benchmarks: the median of several runs after one
/// warm-up, in seconds.
enum Timing {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Runs `body` once to warm up, then `repetitions` times; returns the
    /// median duration in seconds. `setup` runs before each timed call and is
    /// not timed.
    static func median(repetitions: Int, setup: () -> Void = {}, _ body: () -> Void) -> Double {
        setup()
        body()
        var samples: [Double] = []
        for _ in 0..<max(1, repetitions) {
            setup()
            let start = now()
            body()
            samples.append(Double(now() - start) / 1e9)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}

/// Keeps a value alive and opaque to the optimizer.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// A fast non-cryptographic generator for benchmark inputs (SplitMix64),
/// seeded from the system generator so runs differ.
struct BenchRandom: RandomNumberGenerator {
    var state: UInt64 = { var s = SystemRandomNumberGenerator(); return s.next() }()

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
