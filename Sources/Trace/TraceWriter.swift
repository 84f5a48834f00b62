import CZstd
import Glibc
import Hashing

/// Streams an execution trace to a `.zkt` file (Spec/trace-format.md).
///
/// Rows are buffered per stream, column by column; every `chunkRows` rows a
/// stream's buffer is serialized column-major (8-byte little-endian cells),
/// compressed with zstd and written with its sizes and checksum, so memory
/// stays bounded by the chunk size. The file is written under a temporary
/// name and renamed by `finish()`; `abandon()` (or a failure) removes it.
public final class TraceWriter {
    public static let magic: [UInt8] = Array("ZKTR".utf8)
    public static let version: UInt16 = 1
    public static let endMarker: UInt8 = 0xFF

    let path: String
    let temporaryPath: String
    var file: UnsafeMutablePointer<FILE>?
    let chunkRows: Int
    let level: Int32
    var buffers: [[[Int64]]]
    public private(set) var rowCounts: [Int]
    public private(set) var rawBytes = 0
    public private(set) var compressedBytes = 0

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
        buffers = TraceStream.allCases.map { s in s.columns.map { _ in [Int64]() } }
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

    deinit { abandon() }

    func append<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func write(_ bytes: [UInt8]) throws(TraceError) {
        guard let file else { throw .io("trace '\(path)' is closed") }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count else { throw .io("cannot write '\(path)'") }
    }

    /// Appends one row to a four-column stream (memory, lookup, mac).
    public func record(_ stream: TraceStream, _ v0: Int64, _ v1: Int64, _ v2: Int64, _ v3: Int64) throws(TraceError) {
        let s = Int(stream.rawValue) - 1
        buffers[s][0].append(v0); buffers[s][1].append(v1); buffers[s][2].append(v2); buffers[s][3].append(v3)
        rowCounts[s] += 1
        if buffers[s][0].count >= chunkRows { try flush(stream) }
    }

    /// Appends one row to any stream (values in column order).
    public func record(_ stream: TraceStream, values: [Int64]) throws(TraceError) {
        let s = Int(stream.rawValue) - 1
        precondition(values.count == buffers[s].count, "wrong number of trace columns")
        for (c, v) in values.enumerated() { buffers[s][c].append(v) }
        rowCounts[s] += 1
        if buffers[s][0].count >= chunkRows { try flush(stream) }
    }

    /// Compresses and writes the buffered rows of one stream.
    func flush(_ stream: TraceStream) throws(TraceError) {
        let s = Int(stream.rawValue) - 1
        let rows = buffers[s][0].count
        guard rows > 0 else { return }
        var raw = [UInt8]()
        raw.reserveCapacity(rows * buffers[s].count * 8)
        for column in buffers[s] {
            column.withUnsafeBytes { raw.append(contentsOf: $0) }   // little-endian hosts (Spec §3)
        }
        let bound = ZSTD_compressBound(raw.count)
        var compressed = [UInt8](repeating: 0, count: bound)
        let size = compressed.withUnsafeMutableBytes { dst in
            raw.withUnsafeBytes { src in ZSTD_compress(dst.baseAddress, bound, src.baseAddress, src.count, level) }
        }
        guard ZSTD_isError(size) == 0 else { throw .io("zstd: \(String(cString: ZSTD_getErrorName(size)))") }
        var header: [UInt8] = [stream.rawValue]
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
        for c in 0..<buffers[s].count { buffers[s][c].removeAll(keepingCapacity: true) }
    }

    /// Flushes everything, writes the footer and renames the file into place.
    public func finish() throws(TraceError) {
        for s in TraceStream.allCases { try flush(s) }
        var footer: [UInt8] = [TraceWriter.endMarker]
        for count in rowCounts { append(&footer, UInt64(count)) }
        footer += Array("ZKTE".utf8)
        try write(footer)
        guard let f = file, fclose(f) == 0 else { throw .io("cannot close '\(path)'") }
        file = nil
        guard rename(temporaryPath, path) == 0 else { unlink(temporaryPath); throw .io("cannot rename into '\(path)'") }
    }

    /// Discards an unfinished trace.
    public func abandon() {
        if let f = file {
            fclose(f)
            file = nil
            unlink(temporaryPath)
        }
    }
}
