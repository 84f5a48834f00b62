import Field
import Parallel
import Synchronization

/// Precomputed roots of unity for radix-2 butterflies.
///
/// Layout (Spec/polynomials.md): for every power of two m ≥ 1,
/// `roots[m + j] = ω_{2m}^j` for j ∈ [0, m), where ω_{2m} is the primitive
/// 2m-th root `Goldilocks.rootOfUnity(logOrder: log2(2m))` (its inverse for the
/// inverse table). The butterflies of half-size m read the contiguous slice
/// [m, 2m), and because ω_{2m} does not depend on the transform size, the
/// table for size 2^k is a prefix of the table for any larger size — one
/// table serves every size up to its capacity.
public final class TwiddleTable: @unchecked Sendable {
    /// Transforms of size ≤ 2^logCapacity can use this table.
    public let logCapacity: Int
    /// `roots[m + j]` as described above, canonical words; element 0 is unused (1).
    @usableFromInline let roots: UnsafeMutablePointer<UInt64>

    init(logCapacity: Int, inverse: Bool, threads: Int) {
        self.logCapacity = logCapacity
        let n = 1 << logCapacity
        roots = .allocate(capacity: max(n, 2))
        roots.initialize(repeating: 1, count: max(n, 2))
        guard logCapacity >= 1 else { return }
        // Top level m = n/2: powers of ω_n, in parallel chunks that each start
        // from ω_n^start; then every lower level is the even-indexed half of the
        // level above: ω_{2m}^j = ω_{4m}^{2j}.
        var omega = Goldilocks.rootOfUnity(logOrder: logCapacity)
        if inverse { omega = try! omega.inverse() }  // a root of unity is never zero
        let half = n / 2
        let top = SharedMutablePointer(roots + half)
        let w = omega
        Parallel.forEachChunk(half, granularity: 1 << 12, threads: threads) { range in
            var current = w.power(UInt64(range.lowerBound))
            for j in range {
                top.base[j] = current.value
                current = current * w
            }
        }
        var m = half / 2
        while m >= 1 {
            for j in 0..<m { roots[m + j] = roots[2 * m + 2 * j] }
            m /= 2
        }
    }

    deinit { roots.deallocate() }
}

/// Process-wide twiddle tables, grown on demand and shared by all threads.
public enum TwiddleCache {
    private static let tables = Mutex<(forward: TwiddleTable?, inverse: TwiddleTable?)>((nil, nil))

    /// A table covering transforms of size 2^logSize.
    /// - Precondition: 0 ≤ logSize ≤ 32.
    public static func table(logSize: Int, inverse: Bool) -> TwiddleTable {
        precondition(logSize >= 0 && logSize <= Goldilocks.twoAdicity, "NTT size out of range")
        return tables.withLock { state in
            let existing = inverse ? state.inverse : state.forward
            if let table = existing, table.logCapacity >= logSize { return table }
            // Grow to at least 2^16 so small sizes share one table.
            let table = TwiddleTable(logCapacity: max(logSize, 16), inverse: inverse,
                                     threads: Parallel.defaultThreads)
            if inverse { state.inverse = table } else { state.forward = table }
            return table
        }
    }
}
