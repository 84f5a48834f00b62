#if canImport(Glibc)
import Glibc
#endif

/// Large prover buffers (LDE matrices, Merkle levels, LogUp columns) are
/// written once, right after allocation, and every first touch of a fresh
/// 4 KiB page is a kernel fault: LeNet-5's 6 GB of them cost about 7 s of a
/// 27 s proof in a fresh process. Asking for transparent huge pages
/// (Linux `madvise`, honoured in the kernel's default "madvise" mode) makes
/// those faults 2 MiB each: the same proof takes 19–21 s. A hint only:
/// values and results do not change, and it does nothing where the kernel
/// or platform has no such pages.
public enum LargeBuffers {
    /// Buffers smaller than this are left alone (4 MiB).
    public static let threshold = 1 << 22

    /// Allocates uninitialized memory for `capacity` values, advised as above
    /// when large; release it with `deallocate()`.
    @inlinable
    public static func allocate<T>(_ type: T.Type = T.self, capacity: Int) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        adviseHugePages(UnsafeMutableRawPointer(pointer), byteCount: capacity * MemoryLayout<T>.stride)
        return pointer
    }

    /// Advises huge pages for the whole 2 MiB-aligned pages inside
    /// [pointer, pointer + byteCount), before they are first written.
    @inlinable
    public static func adviseHugePages(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= threshold else { return }
        let huge = 1 << 21
        let start = (Int(bitPattern: pointer) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: pointer) + byteCount) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, 14)   // MADV_HUGEPAGE
        #endif
    }
}
