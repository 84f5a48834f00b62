import AlgebraicHashing
import Field
import Hashing
import ISA
import Parallel
import STARK
import VMArithmetization

/// A published model commitment (Spec/zk.md §4, Spec/proof-format.md
/// §Commitment): the salted Poseidon2 commitment to a program's committed
/// weights (`WeightSponge`), with the program's digest. It does not depend
/// on proof options: any number of proofs, with any options, name it.
///
/// Layout: "ZKMC", u16 version = 3, program digest (32), commitment (32,
/// four canonical little-endian u64 words).
public struct ModelCommitment: Sendable, Equatable {
    public var programDigest: Digest
    public var commitment: WeightCommitment

    public static let magic: [UInt8] = Array("ZKMC".utf8)
    public static let version: UInt16 = 3

    public init(programDigest: Digest, commitment: WeightCommitment) {
        self.programDigest = programDigest
        self.commitment = commitment
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: Self.magic)
        w.write(Self.version)
        w.write(raw: programDigest.bytes)
        w.write(raw: commitment.bytes)
        return w.bytes
    }

    /// Decodes a commitment file; malformed bytes give an error naming the offset.
    public static func decode(_ bytes: [UInt8]) throws -> ModelCommitment {
        var r = ByteReader(bytes)
        func fail(_ detail: String) -> ProofFileError { .malformed("commitment file at byte \(r.offset): \(detail)") }
        do {
            guard Array(try r.readBytes(4)) == magic else { throw fail("not a model commitment (bad magic)") }
            let version = try r.readUInt16()
            guard version == Self.version else { throw fail("unsupported version \(version)") }
            let program = try readDigest(&r)
            let offset = r.offset
            guard let commitment = WeightCommitment(bytes: try r.readBytes(WeightCommitment.byteCount)) else {
                throw ProofFileError.malformed("commitment file at byte \(offset): non-canonical commitment element")
            }
            try r.finish()
            return ModelCommitment(programDigest: program, commitment: commitment)
        } catch let error as ProofFileError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }
}

/// What a verifier needs of a program (Spec/proof-format.md §Verification
/// key): its digest, which optional tables its AIR has, where its public
/// tensors live, the roots committing its preprocessed columns (the last
/// segment's and the other segments'), the options those were committed for
/// (blowup and degree excess, in the preprocessed keys), and its weight
/// commitment if it has committed weights. No code and no weight value: its
/// size does not grow with the model, and neither does the cost of verifying against it.
///
/// Layout: "ZKVK", u16 version = 9, program digest (32), u8 shape bits,
/// the public layout, the last segment's preprocessed key, the other
/// segments' preprocessed key, u8 has-commitment, then the commitment
/// file's bytes if 1.
public struct VerificationKey: Sendable, Equatable {
    public var programDigest: Digest
    public var shape: VMShape
    public var layout: PublicLayout
    /// The preprocessed commitment of the last (or only) segment.
    public var lastSegment: PreprocessedKey
    /// The preprocessed commitment of the other segments of a segmented run.
    public var otherSegments: PreprocessedKey
    public var commitment: ModelCommitment?

    public static let magic: [UInt8] = Array("ZKVK".utf8)
    public static let version: UInt16 = 10

    /// Derives the key of `program` for proofs made with `options`: commits
    /// its preprocessed columns (work linear in the program's size, once).
    /// - Throws: if the commitment is for another program, or the program
    ///   has committed weights and no commitment is given.
    public init(program: Program, commitment: ModelCommitment?, options: ProofOptions,
                threads: Int = Parallel.defaultThreads) throws {
        try options.validate()
        try self.init(program: program, commitment: commitment, logBlowup: options.logBlowup,
                      degreeExcess: CommitmentLayout(options: options).degreeExcess, threads: threads)
    }

    /// Derives the key of `program` for proofs of this blowup and degree
    /// excess (what a key records of the options, so `check` can derive a
    /// key again from the key alone).
    /// - Parameter segmented: false derives only the last segment's root and
    ///   repeats it for the others — valid for single-segment proofs only,
    ///   at half the work; never exported (a verifier given the program).
    package init(program: Program, commitment: ModelCommitment?, logBlowup: Int, degreeExcess: Int, segmented: Bool = true,
                 threads: Int = Parallel.defaultThreads) throws {
        try self.init(vmAir: try VMAir(program: program), commitment: commitment,
                      logBlowup: logBlowup, degreeExcess: degreeExcess, segmented: segmented, threads: threads)
    }

    /// The key of a program's AIR instance.
    package init(vmAir: VMAir, commitment: ModelCommitment?, logBlowup: Int, degreeExcess: Int, segmented: Bool = true,
                 threads: Int = Parallel.defaultThreads) throws {
        let program = vmAir.program
        let hasCommitted = program.hasCommittedWeights
        guard hasCommitted == (commitment != nil) else {
            throw ProofFileError.mismatch(hasCommitted ? "the program has committed weights: give their commitment"
                                                                  : "the program has no committed weights, but a commitment was given")
        }
        if let commitment, commitment.programDigest != program.digest {
            throw ProofFileError.mismatch("the commitment is for program \(commitment.programDigest.description), not \(program.digest.description)")
        }
        guard (1...4).contains(logBlowup) else { throw ProofFileError.mismatch("blowup 2^\(logBlowup) outside 2^1…2^4") }
        guard (0...CommitmentLayout.maxDegreeExcess).contains(degreeExcess) else {
            throw ProofFileError.mismatch("degree excess \(degreeExcess) outside 0…\(CommitmentLayout.maxDegreeExcess)")
        }
        let traces = vmAir.preprocessedTraces(logBlowup: logBlowup, degreeExcess: degreeExcess, segmented: segmented, threads: threads)
        self.init(programDigest: program.digest, shape: VMShape(program: program), layout: PublicLayout(program: program),
                  lastSegment: traces.last.key, otherSegments: (traces.other ?? traces.last).key, commitment: commitment)
    }

    public init(programDigest: Digest, shape: VMShape, layout: PublicLayout,
                lastSegment: PreprocessedKey, otherSegments: PreprocessedKey, commitment: ModelCommitment?) {
        self.programDigest = programDigest
        self.shape = shape
        self.layout = layout
        self.lastSegment = lastSegment
        self.otherSegments = otherSegments
        self.commitment = commitment
    }

    /// The key's identity: SHA-256 of "zkvm/vk/v9" ‖ its canonical bytes.
    /// It covers the preprocessed roots, the layout and the commitment, so two keys with one digest accept the same proofs; the
    /// `programDigest` field alone is only a label a key's issuer chose
    /// (`check(program:)` confirms it). Pin this digest, not the program's.
    public var digest: Digest {
        SHA256.hash(Array("zkvm/vk/v9".utf8) + encoded())
    }

    /// Throws unless this key is the one `program` (with this key's
    /// commitment) derives: every root, height, flag and layout entry.
    public func check(program: Program, threads: Int = Parallel.defaultThreads) throws {
        guard program.digest == programDigest else {
            throw ProofFileError.mismatch("the key names program \(programDigest.description), not \(program.digest.description)")
        }
        // The roots depend on the options only through the domains: any
        // degree excess that gives the key's domains derives the same key.
        let excesses = [0] + (1...ProofOptions.maxQueries).map { 2 * (6 + 2 * $0) }
        guard let excess = excesses.first(where: { e in
            [lastSegment, otherSegments].allSatisfy { key in
                key.logDomains == key.logHeights.map { $0.map { CommitmentLayout.logDomain(logHeight: $0, degreeExcess: e) } }
            }
        }) else {
            throw ProofFileError.mismatch("the key's table domains are not those of any proof options")
        }
        let derived = try VerificationKey(program: program, commitment: commitment, logBlowup: lastSegment.logBlowup,
                                          degreeExcess: excess, threads: threads)
        guard derived == self else {
            throw ProofFileError.mismatch("the key's roots, shape or layout are not those of program \(program.digest.description)")
        }
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: Self.magic)
        w.write(Self.version)
        w.write(raw: programDigest.bytes)
        w.write(shape.bits)
        layout.encode(into: &w)
        lastSegment.encode(into: &w)
        otherSegments.encode(into: &w)
        if let commitment {
            w.write(UInt8(1))
            w.write(raw: commitment.encoded())
        } else {
            w.write(UInt8(0))
        }
        return w.bytes
    }

    /// Decodes a key; malformed or inconsistent bytes give an error naming the offset.
    public static func decode(_ bytes: [UInt8]) throws -> VerificationKey {
        var r = ByteReader(bytes)
        func fail(_ detail: String, at offset: Int? = nil) -> ProofFileError {
            .malformed("verification key at byte \(offset ?? r.offset): \(detail)")
        }
        do {
            guard Array(try r.readBytes(4)) == magic else { throw fail("not a verification key (bad magic)") }
            let version = try r.readUInt16()
            guard version == Self.version else { throw fail("unsupported version \(version)") }
            let digest = try readDigest(&r)
            let shapeOffset = r.offset
            guard let shape = VMShape(bits: try r.readUInt8()) else { throw fail("invalid table flags", at: shapeOffset) }
            let layout = try PublicLayout.decode(from: &r)
            let tables = shape.preprocessedTables
            var keys = [PreprocessedKey]()
            for _ in 0..<2 {
                let offset = r.offset
                let key = try PreprocessedKey.decode(from: &r)
                guard key.logHeights.count == tables.count,
                      zip(key.logHeights, tables).allSatisfy({ ($0 != nil) == $1 }) else {
                    throw fail("preprocessed key does not match the program's tables", at: offset)
                }
                keys.append(key)
            }
            guard keys[0].logBlowup == keys[1].logBlowup else { throw fail("preprocessed keys of two blowups") }
            let flagOffset = r.offset
            let flag = try r.readUInt8()
            guard flag <= 1 else { throw fail("commitment flag \(flag) is not 0 or 1", at: flagOffset) }
            guard (flag == 1) == shape.hasCommittedWeights else {
                throw fail(shape.hasCommittedWeights ? "the program has committed weights but the key holds no commitment"
                                                     : "a commitment for a program without committed weights", at: flagOffset)
            }
            let commitment = flag == 1 ? try ModelCommitment.decode(Array(try r.readBytes(r.remaining))) : nil
            if let commitment, commitment.programDigest != digest {
                throw fail("the commitment is for another program", at: flagOffset + 1)
            }
            try r.finish()
            return VerificationKey(programDigest: digest, shape: shape, layout: layout,
                                   lastSegment: keys[0], otherSegments: keys[1], commitment: commitment)
        } catch let error as ProofFileError {
            throw error
        } catch {
            throw ProofFileError.nested(error, in: "verification key", at: r.offset)
        }
    }
}

func readDigest(_ r: inout ByteReader) throws -> Digest {
    let bytes = try r.readBytes(32)
    guard let d = Digest(bytes: bytes) else { throw ProofFileError.malformed("bad digest at byte \(r.offset - 32)") }
    return d
}
