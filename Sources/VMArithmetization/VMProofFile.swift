import Field
import Hashing

/// The `.zkp` proof file (Spec/proof-format.md §File): magic "ZKVP", u16
/// version, u32 segment count (1 in this version), the statement, then
/// each segment's STARK proof as a u32 length and its bytes.
public struct VMProofFile: Sendable, Equatable {
    public static let magic: [UInt8] = Array("ZKVP".utf8)
    public static let version: UInt16 = 1

    public var statement: VMStatement
    /// Encoded STARK proofs, one per segment.
    public var segments: [[UInt8]]

    public init(statement: VMStatement, segments: [[UInt8]]) {
        self.statement = statement
        self.segments = segments
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: Self.magic)
        w.write(Self.version)
        w.write(UInt32(segments.count))
        w.write(raw: statement.encoded())
        for s in segments { w.write(UInt32(s.count)); w.write(raw: s) }
        return w.bytes
    }

    /// - Throws: `VMArithmetizationError.statement` naming the byte offset.
    public static func decode(_ bytes: [UInt8]) throws(VMArithmetizationError) -> VMProofFile {
        var r = ByteReader(bytes)
        do {
            guard Array(try r.readBytes(4)) == magic else { throw VMArithmetizationError.statement("not a zkvm proof file (bad magic)") }
            let version = try r.readUInt16()
            guard version == Self.version else { throw VMArithmetizationError.statement("unsupported proof file version \(version)") }
            let count = try r.readCount(maximum: 1 << 16, minimumItemSize: 4)
            guard count >= 1 else { throw VMArithmetizationError.statement("a proof file needs at least one segment") }
            let statement = try VMStatement.decode(from: &r)
            var segments = [[UInt8]]()
            for _ in 0..<count {
                let n = try r.readCount(maximum: 1 << 30, minimumItemSize: 1)
                segments.append(Array(try r.readBytes(n)))
            }
            try r.finish()
            return VMProofFile(statement: statement, segments: segments)
        } catch let error as VMArithmetizationError {
            throw error
        } catch {
            throw .statement("malformed proof file at byte \(r.offset): \(error)")
        }
    }
}
