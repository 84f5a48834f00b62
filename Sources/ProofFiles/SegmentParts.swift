import Field
import Hashing
import VMArithmetization

/// Distributed proving (Spec/proof-format.md §4): phase 1 of a segment
/// gives its binding; phase 2 gives its proof; `VMSegmentProof.bundle`
/// assembles the `.zkp`.

/// One segment's binding: "ZKVB", u16 version 1, u32 index, u32 count, 32-byte digest.
public struct SegmentBinding: Sendable, Equatable {
    public static let magic: [UInt8] = Array("ZKVB".utf8)
    public var index: Int
    public var count: Int
    public var binding: Digest

    public init(index: Int, count: Int, binding: Digest) {
        self.index = index
        self.count = count
        self.binding = binding
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        writeHeader(&w, magic: Self.magic, index: index, count: count)
        w.write(raw: binding.bytes)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(ProofFileError) -> SegmentBinding {
        var r = ByteReader(bytes)
        do {
            let (index, count) = try readHeader(&r, magic: magic, what: "segment binding")
            let digest = Digest(bytes: try r.readBytes(Digest.byteCount))!
            try r.finish()
            return SegmentBinding(index: index, count: count, binding: digest)
        } catch let error as ProofFileError {
            throw error
        } catch {
            throw .nested(error, in: "segment binding", at: r.offset)
        }
    }
}

/// One segment's proof, for bundling: "ZKVS", u16 version 1, u32 index,
/// u32 count, the statement, the boundary (4 × u64) and the proof (u32 length, bytes).
public struct VMSegmentProof: Sendable, Equatable {
    public static let magic: [UInt8] = Array("ZKVS".utf8)
    public var statement: VMStatement
    public var index: Int
    public var count: Int
    public var segment: VMProofFile.Segment

    public init(statement: VMStatement, index: Int, count: Int, segment: VMProofFile.Segment) {
        self.statement = statement
        self.index = index
        self.count = count
        self.segment = segment
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        writeHeader(&w, magic: Self.magic, index: index, count: count)
        w.write(raw: statement.encoded())
        segment.encode(into: &w)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(ProofFileError) -> VMSegmentProof {
        var r = ByteReader(bytes)
        do {
            let (index, count) = try readHeader(&r, magic: magic, what: "segment proof")
            let statement = try VMStatement.decode(from: &r)
            let segment = try VMProofFile.Segment.decode(from: &r)
            try r.finish()
            return VMSegmentProof(statement: statement, index: index, count: count, segment: segment)
        } catch let error as ProofFileError {
            throw error
        } catch {
            throw .nested(error, in: "segment proof", at: r.offset)
        }
    }

    /// The `.zkp` of all segments of one run: every part present once, same
    /// statement and count. (Chaining and validity are the verifier's part.)
    public static func bundle(_ parts: [VMSegmentProof]) throws(ProofFileError) -> VMProofFile {
        guard let first = parts.first else { throw .mismatch("no segment proofs to bundle") }
        let sorted = parts.sorted { $0.index < $1.index }
        guard sorted.count == first.count, sorted.enumerated().allSatisfy({ $1.index == $0 && $1.count == first.count }) else {
            throw .mismatch("expected segments 0…\(first.count - 1) once each, got \(parts.map(\.index).sorted())")
        }
        guard sorted.allSatisfy({ $0.statement == first.statement }) else {
            throw .mismatch("segment proofs of different statements")
        }
        return VMProofFile(statement: first.statement, segments: sorted.map(\.segment))
    }
}

/// magic, u16 version 1, u32 index, u32 count.
private func writeHeader(_ w: inout ByteWriter, magic: [UInt8], index: Int, count: Int) {
    w.write(raw: magic)
    w.write(UInt16(1))
    w.write(UInt32(index))
    w.write(UInt32(count))
}

/// Reads and checks the header: magic, version 1, index < count ≤ `VMProofFile.maxSegments`.
private func readHeader(_ r: inout ByteReader, magic: [UInt8], what: String) throws -> (index: Int, count: Int) {
    guard Array(try r.readBytes(4)) == magic, try r.readUInt16() == 1 else {
        throw ProofFileError.malformed("not a zkvm \(what) (bad magic or version)")
    }
    let index = Int(try r.readUInt32()), count = Int(try r.readUInt32())
    guard count >= 1, count <= VMProofFile.maxSegments, index < count else {
        throw ProofFileError.malformed("\(what): index \(index) of \(count) segments")
    }
    return (index, count)
}
