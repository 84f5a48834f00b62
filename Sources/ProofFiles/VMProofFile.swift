import Field
import Hashing
import VMArithmetization

/// The `.zkp` proof file (Spec/proof-format.md §File): magic "ZKVP", u16
/// version 2, u32 segment count (≥ 1), the statement, then per segment in
/// execution order its boundary (pcStart, tsStart, pcEnd, tsEnd as u64) and
/// its STARK proof as a u32 length and its bytes.
public struct VMProofFile: Sendable, Equatable {
    public static let magic: [UInt8] = Array("ZKVP".utf8)
    public static let version: UInt16 = 2
    public static let maxSegments = 1 << 16

    public struct Segment: Sendable, Equatable {
        public var boundary: SegmentBoundary
        /// The encoded STARK proof.
        public var proof: [UInt8]

        public init(boundary: SegmentBoundary, proof: [UInt8]) {
            self.boundary = boundary
            self.proof = proof
        }

        /// pcStart, tsStart, pcEnd, tsEnd (u64 each, ≤ 2^48), then u32 length and the proof bytes.
        func encode(into w: inout ByteWriter) {
            for v in [boundary.pcStart, boundary.tsStart, boundary.pcEnd, boundary.tsEnd] { w.write(v) }
            w.write(UInt32(proof.count))
            w.write(raw: proof)
        }

        static func decode(from r: inout ByteReader) throws -> Segment {
            var values = [UInt64]()
            for _ in 0..<4 {
                let offset = r.offset
                let v = try r.readUInt64()
                guard v <= SegmentBoundary.maxValue else {
                    throw ProofFileError.malformed("segment boundary value out of range at byte \(offset)")
                }
                values.append(v)
            }
            let n = try r.readCount(maximum: 1 << 30, minimumItemSize: 1)
            return Segment(boundary: SegmentBoundary(pcStart: values[0], tsStart: values[1], pcEnd: values[2], tsEnd: values[3]),
                           proof: Array(try r.readBytes(n)))
        }
    }

    public var statement: VMStatement
    public var segments: [Segment]

    public init(statement: VMStatement, segments: [Segment]) {
        self.statement = statement
        self.segments = segments
    }

    /// The bytes each segment's proof binds as its statement: the run's
    /// statement, the program's public layout (names, places and scales of
    /// its public tensors, so a key cannot relabel what a proof shows), then
    /// the segment's index and the segment count, so a segment cannot be
    /// replayed at another position or in another bundle.
    public static func segmentStatement(_ statement: VMStatement, layout: PublicLayout, index: Int, count: Int) -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: statement.encoded())
        layout.encode(into: &w)
        w.write(raw: Array("zkvm/segment/v2".utf8))
        w.write(UInt32(index))
        w.write(UInt32(count))
        return w.bytes
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: Self.magic)
        w.write(Self.version)
        w.write(UInt32(segments.count))
        w.write(raw: statement.encoded())
        for s in segments { s.encode(into: &w) }
        return w.bytes
    }

    /// - Throws: `ProofFileError.malformed` naming the byte offset.
    public static func decode(_ bytes: [UInt8]) throws(ProofFileError) -> VMProofFile {
        var r = ByteReader(bytes)
        do {
            guard Array(try r.readBytes(4)) == magic else { throw ProofFileError.malformed("not a zkvm proof file (bad magic)") }
            let version = try r.readUInt16()
            guard version == Self.version else { throw ProofFileError.malformed("unsupported proof file version \(version)") }
            let count = try r.readCount(maximum: maxSegments, minimumItemSize: 36)
            guard count >= 1 else { throw ProofFileError.malformed("a proof file needs at least one segment") }
            let statement = try VMStatement.decode(from: &r)
            var segments = [Segment]()
            for _ in 0..<count { segments.append(try Segment.decode(from: &r)) }
            try r.finish()
            return VMProofFile(statement: statement, segments: segments)
        } catch let error as ProofFileError {
            throw error
        } catch {
            throw .nested(error, in: "proof file", at: r.offset)
        }
    }
}
