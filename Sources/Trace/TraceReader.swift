import CZstd
import Glibc
import Hashing

/// Reads a `.zkt` dump chunk by chunk (memory bounded by one chunk).
/// Every malformed byte gives a `TraceError` with its offset.
public final class TraceReader {
    public let programDigest: Digest
    public let chunkRows: Int
    /// Stream ids and their column names, from the header.
    public let schema: [(stream: TraceStream, columns: [String])]
    var file: UnsafeMutablePointer<FILE>?
    var offset = 0
    public private(set) var totalRows: [TraceStream: Int] = [:]
    public private(set) var compressedBytes = 0
    public private(set) var rawBytes = 0
    public let fileSize: Int

    /// A decoded chunk: `columns[c][r]`.
    public struct Chunk {
        public var stream: TraceStream
        public var columns: [[Int64]]
        public var rows: Int { columns.first?.count ?? 0 }
    }

    public init(path: String) throws(TraceError) {
        guard let f = fopen(path, "rb") else { throw .io("cannot open '\(path)'") }
        file = f
        fseek(f, 0, SEEK_END)
        fileSize = ftell(f)
        fseek(f, 0, SEEK_SET)
        var at = 0
        func read(_ n: Int) throws(TraceError) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: n)
            let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, n, f) }
            guard got == n else { throw .truncated(offset: at + got) }
            at += n
            return bytes
        }
        func u8() throws(TraceError) -> UInt8 { try read(1)[0] }
        func u16() throws(TraceError) -> UInt16 { let b = try read(2); return UInt16(b[0]) | UInt16(b[1]) << 8 }
        func u32() throws(TraceError) -> UInt32 { try read(4).reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        do {
            guard try read(4) == TraceWriter.magic else { throw TraceError.badMagic }
            let version = try u16()
            guard version == TraceWriter.version else { throw TraceError.unsupportedVersion(version) }
            let flagsAt = at
            guard try u16() == 0 else { throw TraceError.corrupt(offset: flagsAt, reason: "unknown flags") }
            programDigest = Digest(bytes: try read(32))!
            let rowsAt = at
            chunkRows = Int(try u32())
            guard chunkRows >= 1, chunkRows <= 1 << 20 else { throw TraceError.corrupt(offset: rowsAt, reason: "chunk size \(chunkRows)") }
            let countAt = at
            let count = Int(try u8())
            guard count == TraceStream.allCases.count else {
                throw TraceError.corrupt(offset: countAt, reason: "\(count) streams; version 1 has \(TraceStream.allCases.count)")
            }
            var schema: [(TraceStream, [String])] = []
            for _ in 0..<count {
                let idAt = at
                guard let stream = TraceStream(rawValue: try u8()) else { throw TraceError.corrupt(offset: idAt, reason: "unknown stream") }
                let name = String(decoding: try read(Int(try u8())), as: UTF8.self)
                var columns: [String] = []
                for _ in 0..<Int(try u8()) { columns.append(String(decoding: try read(Int(try u8())), as: UTF8.self)) }
                guard name == stream.name, columns == stream.columns, stream == TraceStream.allCases[schema.count] else {
                    throw TraceError.corrupt(offset: idAt, reason: "schema of stream \(name) does not match version 1")
                }
                schema.append((stream, columns))
            }
            let headerEnd = at
            let checksum = try read(8)
            fseek(f, 0, SEEK_SET)
            var header = [UInt8](repeating: 0, count: headerEnd)
            _ = header.withUnsafeMutableBytes { fread($0.baseAddress, 1, headerEnd, f) }
            fseek(f, headerEnd + 8, SEEK_SET)
            guard Array(SHA256.hash(header).bytes.prefix(8)) == checksum else {
                throw TraceError.corrupt(offset: headerEnd, reason: "header checksum mismatch")
            }
            self.schema = schema
        } catch let error as TraceError {
            fclose(f)
            file = nil
            throw error
        } catch {
            fclose(f)
            file = nil
            throw .io("\(error)")
        }
        offset = at
    }

    deinit { if let file { fclose(file) } }

    func read(_ n: Int) throws(TraceError) -> [UInt8] {
        guard let file else { throw .io("trace is closed") }
        guard n >= 0, n <= fileSize - offset else { throw .truncated(offset: offset) }
        var bytes = [UInt8](repeating: 0, count: n)
        let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, n, file) }
        guard got == n else { throw .truncated(offset: offset + got) }
        offset += n
        return bytes
    }

    static func le<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>) -> T {
        bytes.reversed().reduce(T(0)) { $0 << 8 | T($1) }
    }

    /// The next chunk, or nil after the footer (whose row counts are checked).
    public func nextChunk() throws(TraceError) -> Chunk? {
        let chunkAt = offset
        let id = try read(1)[0]
        if id == TraceWriter.endMarker {
            let footer = try read(8 * schema.count + 4)
            for (k, entry) in schema.enumerated() {
                let declared: UInt64 = TraceReader.le(footer[(8 * k)..<(8 * k + 8)])
                guard declared == UInt64(totalRows[entry.stream] ?? 0) else {
                    throw .corrupt(offset: chunkAt + 1 + 8 * k, reason: "footer row count \(declared) ≠ \(totalRows[entry.stream] ?? 0) rows read")
                }
            }
            guard Array(footer.suffix(4)) == Array("ZKTE".utf8) else { throw .corrupt(offset: offset - 4, reason: "bad end magic") }
            guard offset == fileSize else { throw .corrupt(offset: offset, reason: "trailing bytes") }
            return nil
        }
        guard let k = schema.firstIndex(where: { $0.stream.rawValue == id }) else {
            throw .corrupt(offset: chunkAt, reason: "unknown stream id \(id)")
        }
        let stream = schema[k].stream
        let header = try read(20)
        let rows = Int(TraceReader.le(header[0..<4]) as UInt32)
        let rawSize = Int(TraceReader.le(header[4..<8]) as UInt32)
        let compressedSize = Int(TraceReader.le(header[8..<12]) as UInt32)
        let checksum = Array(header[12..<20])
        let width = schema[k].columns.count
        guard rows >= 1, rows <= chunkRows, rawSize == rows * width * 8 else {
            throw .corrupt(offset: chunkAt + 1, reason: "chunk of \(rows) rows and \(rawSize) bytes")
        }
        let dataAt = offset
        let compressed = try read(compressedSize)
        var ctx = SHA256.Context()
        ctx.update([id] + Array(header[0..<12]))
        ctx.update(compressed)
        guard Array(ctx.finalized().bytes.prefix(8)) == checksum else { throw .corrupt(offset: chunkAt + 13, reason: "checksum mismatch") }
        var raw = [UInt8](repeating: 0, count: rawSize)
        let size = raw.withUnsafeMutableBytes { dst in
            compressed.withUnsafeBytes { src in ZSTD_decompress(dst.baseAddress, rawSize, src.baseAddress, compressedSize) }
        }
        guard ZSTD_isError(size) == 0, size == rawSize else { throw .corrupt(offset: dataAt, reason: "zstd data does not decompress") }
        var columns: [[Int64]] = []
        raw.withUnsafeBytes { buffer in
            for c in 0..<width {
                columns.append((0..<rows).map { r in Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: (c * rows + r) * 8, as: Int64.self)) })
            }
        }
        totalRows[stream, default: 0] += rows
        compressedBytes += compressedSize + 21
        rawBytes += rawSize
        return Chunk(stream: stream, columns: columns)
    }
}
