import Commitments
import Field
import Hashing

/// The canonical byte encoding (Spec/proof-format.md §STARK): little-endian,
/// canonical field elements, explicit bounded counts, no trailing bytes. The
/// decoder checks every count against a bound and against the bytes left
/// before allocating, and reports the byte offset of the first problem.
extension Proof {
    public static let magic: [UInt8] = Array("ZKPF".utf8)
    public static let version: UInt16 = 5

    /// Bounds that keep a hostile proof's allocations small.
    static let maxTables = 64
    static let maxRows = 1 << 16
    static let maxRowWidth = 1 << 12
    static let maxOpenings = 1 << 12
    static let maxSiblings = 1 << 20

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: Self.magic)
        w.write(Self.version)
        options.encode(into: &w)
        w.write(UInt16(tables.count))
        for t in tables {
            w.write(UInt8(t.logHeight))
            w.write(UInt8(t.claimedSum != nil ? 1 : 0))
            if let sum = t.claimedSum { w.write(sum) }
            for values in [t.openings.preprocessedAtZ, t.openings.preprocessedAtNext, t.openings.mainAtZ,
                           t.openings.mainAtNext, t.openings.auxiliaryAtZ, t.openings.auxiliaryAtNext, t.openings.quotientAtZ] {
                Self.writeExtensions(values, into: &w)
            }
        }
        w.write(UInt8((main != nil ? 1 : 0) | (auxiliary != nil ? 2 : 0) | (preprocessed != nil ? 4 : 0)))
        preprocessed?.encode(into: &w)
        for phase in [main, auxiliary, quotient] { phase?.encode(into: &w) }
        w.write(UInt8(friLayers.count))
        for layer in friLayers {
            w.write(raw: layer.root.bytes)
            layer.queries.encode(into: &w)
        }
        Self.writeExtensions(finalPolynomial, into: &w)
        w.write(proofOfWorkNonce)
        return w.bytes
    }

    /// Decodes a proof; every structural problem is a `STARKError.malformed`
    /// with the byte offset. Semantic checks are the verifier's.
    public static func decode(_ bytes: [UInt8]) throws(STARKError) -> Proof {
        var r = ByteReader(bytes)
        func fail(_ detail: String) -> STARKError { .malformed(offset: r.offset, detail: detail) }
        do {
            guard Array(try r.readBytes(4)) == magic else { throw fail("not a zkvm proof (bad magic)") }
            let version = try r.readUInt16()
            guard version == Self.version else { throw fail("unsupported proof version \(version)") }
            let options = try ProofOptions.decode(from: &r)
            let tableCount = Int(try r.readUInt16())
            guard tableCount >= 1, tableCount <= maxTables else { throw fail("table count \(tableCount) outside 1…\(maxTables)") }
            var tables = [TableProof]()
            for _ in 0..<tableCount {
                let logHeight = Int(try r.readUInt8())
                guard logHeight <= maxLogHeight else { throw fail("table height 2^\(logHeight) exceeds 2^\(maxLogHeight)") }
                let flags = try r.readUInt8()
                guard flags <= 1 else { throw fail("invalid table flags \(flags)") }
                let claimed = flags == 1 ? try r.readExtensionElement() : nil
                let openings = TableOpenings(preprocessedAtZ: try readExtensions(&r), preprocessedAtNext: try readExtensions(&r),
                                             mainAtZ: try readExtensions(&r), mainAtNext: try readExtensions(&r),
                                             auxiliaryAtZ: try readExtensions(&r), auxiliaryAtNext: try readExtensions(&r),
                                             quotientAtZ: try readExtensions(&r))
                tables.append(TableProof(logHeight: logHeight, claimedSum: claimed, openings: openings))
            }
            let phases = try r.readUInt8()
            guard phases <= 7 else { throw fail("invalid commitment flags \(phases)") }
            let preprocessed = phases & 4 != 0 ? try RoundOpening.decode(from: &r) : nil
            let main = phases & 1 != 0 ? try PhaseCommitment.decode(from: &r) : nil
            let auxiliary = phases & 2 != 0 ? try PhaseCommitment.decode(from: &r) : nil
            let quotient = try PhaseCommitment.decode(from: &r)
            let layerCount = Int(try r.readUInt8())
            guard layerCount <= 32 else { throw fail("FRI layer count \(layerCount) exceeds 32") }
            var layers = [FRILayerProof]()
            for _ in 0..<layerCount {
                layers.append(FRILayerProof(root: try readDigest(&r), queries: try MatrixOpening.decode(from: &r)))
            }
            let finalPolynomial = try readExtensions(&r)
            let nonce = try r.readUInt64()
            try r.finish()
            return Proof(options: options, tables: tables, preprocessed: preprocessed, main: main, auxiliary: auxiliary, quotient: quotient,
                         friLayers: layers,
                         finalPolynomial: finalPolynomial, proofOfWorkNonce: nonce)
        } catch let error as STARKError {
            throw error
        } catch {
            throw .malformed(offset: r.offset, detail: "\(error)")
        }
    }

    static func readDigest(_ r: inout ByteReader) throws(FieldError) -> Digest {
        Digest(bytes: try r.readBytes(Digest.byteCount))!
    }

    static func writeExtensions(_ values: [GoldilocksExt3], into w: inout ByteWriter) {
        w.write(UInt32(values.count))
        for v in values { w.write(v) }
    }

    static func readExtensions(_ r: inout ByteReader) throws(FieldError) -> [GoldilocksExt3] {
        let n = try r.readCount(maximum: maxOpenings, minimumItemSize: 24)
        var out = [GoldilocksExt3]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try r.readExtensionElement()) }
        return out
    }
}

extension MatrixOpening {
    /// The rows (`Proof.writeRows`), then the multi-proof.
    func encode(into w: inout ByteWriter) {
        Proof.writeRows(rows, into: &w)
        proof.encode(into: &w)
    }

    static func decode(from r: inout ByteReader) throws -> MatrixOpening {
        MatrixOpening(rows: try Proof.readRows(&r), proof: try MerkleMultiProof.decode(from: &r, maxSiblings: Proof.maxSiblings))
    }
}

extension Proof {
    /// u32 row count, u16 row width, then the rows' elements.
    static func writeRows(_ rows: [[Goldilocks]], into w: inout ByteWriter) {
        w.write(UInt32(rows.count))
        w.write(UInt16(rows.first?.count ?? 0))
        for row in rows { for e in row { w.write(e) } }
    }

    /// Reads `writeRows`' layout; the shape is checked against the bytes
    /// left before anything is allocated.
    static func readRows(_ r: inout ByteReader) throws -> [[Goldilocks]] {
        let count = try r.readCount(maximum: maxRows, minimumItemSize: 1)
        let width = Int(try r.readUInt16())
        guard width >= 1, width <= maxRowWidth, count * width * 8 <= r.remaining else {
            throw STARKError.malformed(offset: r.offset, detail: "opening of \(count) rows × \(width) does not fit")
        }
        var rows = [[Goldilocks]]()
        rows.reserveCapacity(count)
        for _ in 0..<count {
            var row = [Goldilocks]()
            row.reserveCapacity(width)
            for _ in 0..<width { row.append(try r.readElement()) }
            rows.append(row)
        }
        return rows
    }
}

extension RoundOpening {
    /// u16 matrix count, each matrix's rows (`Proof.writeRows`), then the multi-proof.
    func encode(into w: inout ByteWriter) {
        w.write(UInt16(rows.count))
        for matrix in rows { Proof.writeRows(matrix, into: &w) }
        proof.encode(into: &w)
    }

    static func decode(from r: inout ByteReader) throws -> RoundOpening {
        let count = Int(try r.readUInt16())
        guard count >= 1, count <= Proof.maxTables else {
            throw STARKError.malformed(offset: r.offset, detail: "\(count) matrices in a commitment round")
        }
        var rows = [[[Goldilocks]]]()
        for _ in 0..<count { rows.append(try Proof.readRows(&r)) }
        return RoundOpening(rows: rows, proof: try MerkleMultiProof.decode(from: &r, maxSiblings: Proof.maxSiblings))
    }
}

extension PhaseCommitment {
    /// Root, u16 matrix count, each matrix's rows (`Proof.writeRows`), then
    /// the multi-proof.
    func encode(into w: inout ByteWriter) {
        w.write(raw: root.bytes)
        w.write(UInt16(rows.count))
        for matrix in rows { Proof.writeRows(matrix, into: &w) }
        proof.encode(into: &w)
    }

    static func decode(from r: inout ByteReader) throws -> PhaseCommitment {
        let root = try Proof.readDigest(&r)
        let count = Int(try r.readUInt16())
        guard count >= 1, count <= Proof.maxTables else {
            throw STARKError.malformed(offset: r.offset, detail: "\(count) matrices in a commitment round")
        }
        var rows = [[[Goldilocks]]]()
        for _ in 0..<count { rows.append(try Proof.readRows(&r)) }
        return PhaseCommitment(root: root, rows: rows, proof: try MerkleMultiProof.decode(from: &r, maxSiblings: Proof.maxSiblings))
    }
}
