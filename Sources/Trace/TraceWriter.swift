import CZstd
import Dispatch
import Glibc
import Hashing

/// Streams an execution trace to a `.zkt` file (Spec/trace-format.md).
///
/// Rows are buffered per stream, column by column; every `chunkRows` rows a
/// stream's buffer is serialized column-major (8-byte little-endian cells),
/// compressed with zstd and written with its sizes and checksum, so memory
/// stays bounded by the chunk size. The file is written under a temporary
/// name and renamed by `finish()`; `abandon()` (or a failure) removes it.
///
/// Threading: `record` and `finish` are called from one thread; chunk
/// compression and file writes run on a private serial queue. The file,
/// the byte counters and the background error are touched only on that queue
/// (or after `queue.sync`), the row buffers only on the caller's thread.
public final class TraceWriter: @unchecked Sendable {
    public static let magic: [UInt8] = Array("ZKTR".utf8)
    public static let version: UInt16 = 1
    public static let endMarker: UInt8 = 0xFF

    let path: String
    let temporaryPath: String
    var file: UnsafeMutablePointer<FILE>?
    let chunkRows: Int
    let level: Int32
    /// Per stream, a column-major buffer of `chunkRows × columns` cells:
    /// column c of stream s starts at `buffers[s] + c·chunkRows`.
    /// (Raw pointers, not arrays: class-held arrays are re-checked on every
    /// access, SWIFT-PERF.md lesson 7.)
    let buffers: UnsafeMutablePointer<UnsafeMutablePointer<Int64>>
    let widths: [Int]
    /// Rows currently buffered per stream.
    let filled: UnsafeMutablePointer<Int>
    public private(set) var rowCounts: [Int]
    public private(set) var rawBytes = 0
    public private(set) var compressedBytes = 0
    /// Compression and file writes run on this serial queue (in chunk order),
    /// overlapping the VM on another core; at most `maxInFlight` chunks wait.
    let queue = DispatchQueue(label: "zkvm.trace.writer")
    let inFlight = DispatchSemaphore(value: TraceWriter.maxInFlight)
    static let maxInFlight = 4
    var backgroundError: TraceError?

    /// - Parameters:
    ///   - programDigest: 32 bytes binding the trace to its program.
    ///   - chunkRows: rows per compressed chunk (1 … 2^20).
    ///   - level: zstd compression level (default 3).
    public init(path: String, programDigest: Digest, chunkRows: Int = 1 << 16, level: Int32 = 3) throws(TraceError) {
        precondition(chunkRows >= 1 && chunkRows <= 1 << 20)
        self.path = path
        self.temporaryPath = path + ".tmp-\(getpid())"
        self.chunkRows = chunkRows
        self.level = level
        widths = TraceStream.allCases.map { $0.columns.count }
        buffers = .allocate(capacity: widths.count)
        for (k, w) in widths.enumerated() { (buffers + k).initialize(to: .allocate(capacity: w * chunkRows)) }
        filled = .allocate(capacity: widths.count)
        filled.initialize(repeating: 0, count: widths.count)
        rowCounts = [Int](repeating: 0, count: TraceStream.allCases.count)
        guard let f = fopen(temporaryPath, "wb") else { throw .io("cannot create '\(path)'") }
        file = f
        var header = TraceWriter.magic
        append(&header, TraceWriter.version)
        append(&header, UInt16(0))
        header += programDigest.bytes
        append(&header, UInt32(chunkRows))
        header.append(UInt8(TraceStream.allCases.count))
        for s in TraceStream.allCases {
            header.append(s.rawValue)
            header.append(UInt8(s.name.utf8.count)); header += Array(s.name.utf8)
            header.append(UInt8(s.columns.count))
            for c in s.columns { header.append(UInt8(c.utf8.count)); header += Array(c.utf8) }
        }
        header += Array(SHA256.hash(header).bytes.prefix(8))   // header checksum
        try write(header)
    }

    deinit {
        abandon()
        for k in 0..<widths.count { buffers[k].deallocate() }
        buffers.deallocate()
        filled.deallocate()
    }

    func append<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func write(_ bytes: [UInt8]) throws(TraceError) {
        guard let file else { throw .io("trace '\(path)' is closed") }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count else { throw .io("cannot write '\(path)'") }
    }

    /// Appends one row to a four-column stream (memory, lookup, mac).
    @inline(__always)
    public func record(_ stream: TraceStream, _ v0: Int64, _ v1: Int64, _ v2: Int64, _ v3: Int64) throws(TraceError) {
        let s = Int(stream.rawValue) - 1
        let n = filled[s], stride = chunkRows
        let base = buffers[s] + n
        base[0] = v0; base[stride] = v1; base[2 * stride] = v2; base[3 * stride] = v3
        filled[s] = n + 1
        if n + 1 == stride { try flush(stream) }
    }

    /// Appends one `cpu` row (columns of TraceStream.cpu, in order) without
    /// building an array.
    public func recordStep(clock: Int64, pc: Int64, opcode: Int64, rd: Int64, ra: Int64, rb: Int64, rc: Int64,
                           imm: Int64, a: Int64, b: Int64, c: Int64, result: Int64, nextPC: Int64) throws(TraceError) {
        let s = Int(TraceStream.cpu.rawValue) - 1
        let n = filled[s], stride = chunkRows
        let base = buffers[s] + n
        base[0] = clock; base[stride] = pc; base[2 * stride] = opcode; base[3 * stride] = rd
        base[4 * stride] = ra; base[5 * stride] = rb; base[6 * stride] = rc; base[7 * stride] = imm
        base[8 * stride] = a; base[9 * stride] = b; base[10 * stride] = c; base[11 * stride] = result
        base[12 * stride] = nextPC
        filled[s] = n + 1
        if n + 1 == stride { try flush(.cpu) }
    }

    /// Compresses and writes the buffered rows of one stream.
    func flush(_ stream: TraceStream) throws(TraceError) {
        let s = Int(stream.rawValue) - 1
        let rows = filled[s]
        guard rows > 0 else { return }
        var raw = [UInt8]()
        raw.reserveCapacity(rows * widths[s] * 8)
        for c in 0..<widths[s] {   // little-endian hosts (Spec §2)
            raw.append(contentsOf: UnsafeRawBufferPointer(start: buffers[s] + c * chunkRows, count: rows * 8))
        }
        rowCounts[s] += rows
        filled[s] = 0
        if let error = queue.sync(execute: { backgroundError }) { throw error }
        inFlight.wait()
        let id = stream.rawValue
        let chunk = raw
        queue.async { [self] in
            defer { inFlight.signal() }
            guard backgroundError == nil else { return }
            do throws(TraceError) { try compressAndWrite(chunk, rows: rows, id: id) } catch { backgroundError = error }
        }
    }

    /// Runs on `queue`: compresses one chunk and appends it to the file.
    func compressAndWrite(_ raw: [UInt8], rows: Int, id: UInt8) throws(TraceError) {
        let bound = ZSTD_compressBound(raw.count)
        var compressed = [UInt8](repeating: 0, count: bound)
        let size = compressed.withUnsafeMutableBytes { dst in
            raw.withUnsafeBytes { src in ZSTD_compress(dst.baseAddress, bound, src.baseAddress, src.count, level) }
        }
        guard ZSTD_isError(size) == 0 else { throw .io("zstd: \(String(cString: ZSTD_getErrorName(size)))") }
        var header: [UInt8] = [id]
        append(&header, UInt32(rows))
        append(&header, UInt32(raw.count))
        append(&header, UInt32(size))
        let stored = Array(compressed.prefix(size))
        var ctx = SHA256.Context()
        ctx.update(header)
        ctx.update(stored)
        header += Array(ctx.finalized().bytes.prefix(8))   // covers the chunk header and the stored bytes
        try write(header)
        try write(stored)
        rawBytes += raw.count
        compressedBytes += size + header.count
    }

    /// Flushes everything, writes the footer and renames the file into place.
    public func finish() throws(TraceError) {
        for s in TraceStream.allCases { try flush(s) }
        if let error = queue.sync(execute: { backgroundError }) { throw error }   // waits for every chunk
        var footer: [UInt8] = [TraceWriter.endMarker]
        for count in rowCounts { append(&footer, UInt64(count)) }
        footer += Array("ZKTE".utf8)
        try write(footer)
        guard let f = file else { throw .io("trace '\(path)' is closed") }
        file = nil
        guard fclose(f) == 0 else { unlink(temporaryPath); throw .io("cannot close '\(path)'") }
        guard rename(temporaryPath, path) == 0 else { unlink(temporaryPath); throw .io("cannot rename into '\(path)'") }
    }

    /// Discards an unfinished trace.
    public func abandon() {
        queue.sync {}
        if let f = file {
            fclose(f)
            file = nil
            unlink(temporaryPath)
        }
    }
}
