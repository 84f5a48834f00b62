import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Fork/join helpers for the hot kernels (NTT, hashing, constraint evaluation).
///
/// Every kernel that uses them splits work into *fixed* index ranges whose
/// results do not depend on scheduling, so outputs are byte-identical at any
/// thread count. Each fork/join costs a few microseconds (SWIFT-PERF.md, lesson
/// 13): parallelise by stage, column or subtree, never per small loop.
public enum Parallel {
    /// The number of worker threads to use when a caller does not say:
    /// `ZKVM_THREADS` if set to a positive integer, otherwise the number of
    /// active processors.
    public static let defaultThreads: Int = {
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        if let text = getenv("ZKVM_THREADS"), let n = Int(String(cString: text)), n > 0 {
            return min(n, maxThreads)
        }
        return min(cores, maxThreads)
    }()

    /// Upper bound on worker counts, whatever the caller or environment asks.
    public static let maxThreads = 256

    /// Runs `body(i)` for every `i` in `0..<count` as parallel tasks.
    ///
    /// With `threads <= 1` or `count <= 1` the calls run in order on the
    /// calling thread; otherwise Dispatch schedules them on its worker pool
    /// (so `count` should not exceed the intended parallelism — callers pass
    /// count ≤ threads, or use `forEachChunk`). `body` must be safe to call
    /// concurrently for distinct `i`.
    @inlinable
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        if threads <= 1 || count <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { i in box.value(i) }
        }
    }

    /// Splits `0..<count` into at most `threads` contiguous chunks of whole
    /// multiples of `granularity` (except the last) and runs `body(range)` on each.
    ///
    /// - Parameters:
    ///   - count: number of items, ≥ 0.
    ///   - granularity: chunk sizes are multiples of this (≥ 1).
    ///   - threads: maximum number of chunks.
    @inlinable
    public static func forEachChunk(
        _ count: Int, granularity: Int = 1, threads: Int, _ body: (Range<Int>) -> Void
    ) {
        precondition(granularity >= 1 && count >= 0)
        let units = (count + granularity - 1) / granularity
        let chunks = max(1, min(threads, units))
        if chunks == 1 {
            if count > 0 { body(0..<count) }
            return
        }
        let perChunk = (units + chunks - 1) / chunks * granularity
        forEach(chunks, threads: threads) { c in
            let start = c * perChunk
            let end = min(count, start + perChunk)
            if start < end { body(start..<end) }
        }
    }
}

/// Wraps a value that is shared across threads under an external discipline
/// (disjoint index ranges) the type system cannot see.
@usableFromInline
struct UncheckedSendable<T>: @unchecked Sendable {
    @usableFromInline let value: T
    @inlinable init(_ value: T) { self.value = value }
}

/// A raw mutable pointer that may cross into worker threads. Callers guarantee
/// that concurrent writers touch disjoint elements.
@frozen
public struct SharedMutablePointer<Element>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Element>
    @inlinable public init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
}

/// Calls `body` with stable pointers to every array's storage (columns,
/// matrices), entered once for a whole kernel. No array may be empty.
public func withColumnPointers<T, R>(_ columns: [[T]], _ body: ([UnsafePointer<T>]) throws -> R) rethrows -> R {
    var pointers = [UnsafePointer<T>]()
    pointers.reserveCapacity(columns.count)
    func recurse(_ i: Int) throws -> R {
        if i == columns.count { return try body(pointers) }
        return try columns[i].withUnsafeBufferPointer { buffer in
            pointers.append(buffer.baseAddress!)
            return try recurse(i + 1)
        }
    }
    return try recurse(0)
}
