import AlgebraicHashing
import Field
import Hashing
import ISA

/// A published model commitment (Spec/zk.md §4, Spec/proof-format.md
/// §Commitment): the salted Poseidon2 commitment to a program's committed
/// weights (`WeightSponge`), with the program's digest. It does not depend
/// on proof options: any number of proofs, with any options, name it.
///
/// Layout: "ZKMC", u16 version = 2, program digest (32), commitment (32,
/// four canonical little-endian u64 words).
public struct ModelCommitment: Sendable, Equatable {
    public var programDigest: Digest
    public var commitment: WeightCommitment

    public static let magic: [UInt8] = Array("ZKMC".utf8)
    public static let version: UInt16 = 2

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
        func fail(_ detail: String) -> VMArithmetizationError { .malformed("commitment file at byte \(r.offset): \(detail)") }
        do {
            guard Array(try r.readBytes(4)) == magic else { throw fail("not a model commitment (bad magic)") }
            let version = try r.readUInt16()
            guard version == Self.version else { throw fail("unsupported version \(version)") }
            let program = try readDigest(&r)
            let offset = r.offset
            guard let commitment = WeightCommitment(bytes: try r.readBytes(WeightCommitment.byteCount)) else {
                throw VMArithmetizationError.malformed("commitment file at byte \(offset): non-canonical commitment element")
            }
            try r.finish()
            return ModelCommitment(programDigest: program, commitment: commitment)
        } catch let error as VMArithmetizationError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }
}

/// What a verifier needs for a model with hidden weights: the program's
/// public part (code, shapes, tables, public tensors, no private or
/// committed weight value) and, if it has committed weights, their
/// commitment (Spec/proof-format.md §Verification key).
///
/// Layout: "ZKVK", u16 version = 2, u32 length, the public part's .zkbin
/// encoding, u8 has-commitment, then the commitment file's bytes if 1.
public struct VerificationKey: Sendable, Equatable {
    public var program: Program
    public var commitment: ModelCommitment?

    public static let magic: [UInt8] = Array("ZKVK".utf8)
    public static let version: UInt16 = 2

    /// - Throws: if the commitment is for another program, or the program
    ///   has committed weights and no commitment is given.
    public init(program: Program, commitment: ModelCommitment?) throws {
        let hasCommitted = program.hasCommittedWeights
        guard hasCommitted == (commitment != nil) else {
            throw VMArithmetizationError.invalidKey(hasCommitted ? "the program has committed weights: give their commitment"
                                                                  : "the program has no committed weights, but a commitment was given")
        }
        if let commitment, commitment.programDigest != program.digest {
            throw VMArithmetizationError.invalidKey("the commitment is for program \(commitment.programDigest.description), not \(program.digest.description)")
        }
        self.program = program.publicPart
        self.commitment = commitment
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(raw: Self.magic)
        w.write(Self.version)
        let program = self.program.encoded()
        w.write(UInt32(program.count))
        w.write(raw: program)
        if let commitment {
            w.write(UInt8(1))
            w.write(raw: commitment.encoded())
        } else {
            w.write(UInt8(0))
        }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> VerificationKey {
        var r = ByteReader(bytes)
        func fail(_ detail: String) -> VMArithmetizationError { .malformed("verification key at byte \(r.offset): \(detail)") }
        do {
            guard Array(try r.readBytes(4)) == magic else { throw fail("not a verification key (bad magic)") }
            let version = try r.readUInt16()
            guard version == Self.version else { throw fail("unsupported version \(version)") }
            let length = Int(try r.readUInt32())
            guard length <= r.remaining else { throw fail("program of \(length) bytes does not fit") }
            let start = r.offset
            let program: Program
            do { program = try Program.decode(Array(try r.readBytes(length))) } catch {
                throw VMArithmetizationError.malformed("verification key at byte \(start): program: \(error)")
            }
            guard program.publicPart == program else { throw fail("the program holds hidden weight values") }
            let flag = try r.readUInt8()
            guard flag <= 1 else { throw fail("commitment flag \(flag) is not 0 or 1") }
            let commitment = flag == 1 ? try ModelCommitment.decode(Array(try r.readBytes(r.remaining))) : nil
            try r.finish()
            return try VerificationKey(program: program, commitment: commitment)
        } catch let error as VMArithmetizationError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }
}

func readDigest(_ r: inout ByteReader) throws -> Digest {
    let bytes = try r.readBytes(32)
    guard let d = Digest(bytes: bytes) else { throw VMArithmetizationError.malformed("bad digest at byte \(r.offset - 32)") }
    return d
}
