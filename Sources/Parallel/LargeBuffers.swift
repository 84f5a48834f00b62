#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// The largest prover buffers (LDE matrices of big tables) are written
/// once, right after allocation, and every first touch of a fresh 4 KiB
/// page is a kernel fault. Asking for transparent huge pages (Linux
/// `madvise`, honoured in the kernel's default "madvise" mode) makes those
/// faults 2 MiB each: LeNet-5 proves in 20–21 s instead of 24–26 s in a
/// fresh process. Below 512 MiB it does not pay (the `ops` fixture, whose
/// largest buffer is 268 MiB, was 5–10% slower with it), so smaller
/// buffers are left alone. A hint only: values and results do not change,
/// it does nothing where the kernel or platform has no such pages, and
/// `ZKVM_HUGE_PAGES=0` turns it off.
public enum LargeBuffers {
    /// Buffers smaller than this are left alone (512 MiB).
    public static let threshold = 1 << 29

    /// Whether to advise at all: yes unless `ZKVM_HUGE_PAGES=0`.
    public static let enabled: Bool = {
        #if canImport(Glibc)
        if let text = getenv("ZKVM_HUGE_PAGES") { return String(cString: text) != "0" }
        #endif
        return true
    }()

    /// Makes the C allocator keep freed memory for reuse instead of handing
    /// it back to the kernel: no allocation is served by its own `mmap`,
    /// and the heap is trimmed only above 2 GiB free. A prover allocates
    /// and frees LDE buffers of tens to hundreds of MiB per table and
    /// segment; fresh pages cost a kernel fault and a zeroing each (on a
    /// virtual machine that reports free pages to its host, a host fault
    /// too), which reused pages do not. Call once, before proving.
    /// `ZKVM_KEEP_FREED=0` leaves the allocator alone.
    public static func keepFreedMemory() {
        #if canImport(Glibc)
        if let text = getenv("ZKVM_KEEP_FREED"), String(cString: text) == "0" { return }
        _ = mallopt(M_MMAP_MAX, 0)
        _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
        #endif
    }

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
        guard byteCount >= threshold, enabled else { return }
        let huge = 1 << 21
        let start = (Int(bitPattern: pointer) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: pointer) + byteCount) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, 14)   // MADV_HUGEPAGE
        #endif
    }
}
