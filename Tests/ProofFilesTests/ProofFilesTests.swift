import AlgebraicHashing
import Assembler
import Field
import Hashing
import ISA
import ProofFiles
import STARK
import Testing
import VMArithmetization

/// The VM's file formats on their own (Spec/proof-format.md): every file
/// round-trips, and hostile bytes — truncations, flipped header bytes,
/// non-canonical or out-of-range values, parts of other runs — are errors
/// of this module naming what is wrong, never a trap.
@Suite struct ProofFilesTests {
    static let digest = Digest(bytes: (0..<32).map { UInt8($0) })!
    static let statement = VMStatement(programDigest: digest, publicInputs: [[1, -2, 3]], publicOutputs: [[7], [-8, 9]])

    static func file(segments: Int = 2) -> VMProofFile {
        let parts = (0..<segments).map { k in
            VMProofFile.Segment(boundary: SegmentBoundary(pcStart: UInt64(k), tsStart: UInt64(8 * k), pcEnd: UInt64(k + 1),
                                                          tsEnd: UInt64(8 * k + 8)),
                                proof: [UInt8](repeating: UInt8(k + 1), count: 5 + k))
        }
        return VMProofFile(statement: statement, segments: parts)
    }

    @Test func proofFilesRoundTripAndRefuseHostileBytes() throws {
        let original = Self.file()
        let bytes = original.encoded()
        #expect(try VMProofFile.decode(bytes) == original)
        for n in 0..<bytes.count {
            #expect(throws: ProofFileError.self) { _ = try VMProofFile.decode(Array(bytes.prefix(n))) }
        }
        #expect(throws: ProofFileError.self) { _ = try VMProofFile.decode(bytes + [0]) }
        var magic = bytes
        magic[0] ^= 1
        #expect(throws: ProofFileError.malformed("not a zkvm proof file (bad magic)")) { _ = try VMProofFile.decode(magic) }
        var version = bytes
        version[4] ^= 1
        #expect(throws: ProofFileError.self) { _ = try VMProofFile.decode(version) }
        // Every single-byte change is still a valid file or an error (typed:
        // ProofFileError), never a trap.
        for i in bytes.indices {
            var changed = bytes
            changed[i] ^= 0x40
            _ = try? VMProofFile.decode(changed)
        }
    }

    @Test func boundaryValuesBeyondTwoToThe48AreRefused() throws {
        var file = Self.file(segments: 1)
        file.segments[0].boundary.tsEnd = SegmentBoundary.maxValue + 1
        let error = #expect(throws: ProofFileError.self) { _ = try VMProofFile.decode(file.encoded()) }
        #expect(error?.detail.contains("at byte") == true)
    }

    @Test func segmentPartsRoundTripAndBundleOnlyWhenComplete() throws {
        let binding = SegmentBinding(index: 1, count: 2, binding: Self.digest)
        #expect(try SegmentBinding.decode(binding.encoded()) == binding)
        let file = Self.file()
        let parts = file.segments.enumerated().map { VMSegmentProof(statement: Self.statement, index: $0, count: 2, segment: $1) }
        for part in parts { #expect(try VMSegmentProof.decode(part.encoded()) == part) }
        #expect(try VMSegmentProof.bundle(parts.reversed()) == file)
        #expect(throws: ProofFileError.mismatch("expected segments 0…1 once each, got [1]")) {
            _ = try VMSegmentProof.bundle([parts[1]])
        }
        var other = parts[1]
        other.statement.publicOutputs[0][0] += 1
        #expect(throws: ProofFileError.mismatch("segment proofs of different statements")) {
            _ = try VMSegmentProof.bundle([parts[0], other])
        }
        let outOfRange = SegmentBinding(index: 0, count: 1, binding: Self.digest).encoded()
        var index = outOfRange
        index[6] = 5   // index 5 of 1 segment
        #expect(throws: ProofFileError.malformed("segment binding: index 5 of 1 segments")) { _ = try SegmentBinding.decode(index) }
    }

    @Test func commitmentFilesRefuseNonCanonicalElements() throws {
        let commitment = WeightCommitment(elements: (1...4).map { Goldilocks($0) })
        let file = ModelCommitment(programDigest: Self.digest, commitment: commitment)
        let bytes = file.encoded()
        #expect(try ModelCommitment.decode(bytes) == file)
        var big = bytes
        for k in 0..<8 { big[big.count - 32 + k] = 0xFF }   // the first element ≥ p
        #expect(throws: ProofFileError.malformed("commitment file at byte \(bytes.count - 32): non-canonical commitment element")) {
            _ = try ModelCommitment.decode(big)
        }
    }

    /// A key derived from a program round-trips, names its program, and
    /// every truncation is refused with the offset.
    @Test func verificationKeysRoundTripAndCheckTheirProgram() throws {
        let program = try Assembler.assemble("""
        .input x [2] scale=4 public
        .output y [2] scale=4 public
        .table s sigmoid in=4 out=8
            ld r1, [x]
            lut r2, r1, s
            st r2, [y]
            halt
        """)
        let key = try VerificationKey(program: program, commitment: nil, options: .transparent)
        let bytes = key.encoded()
        #expect(try VerificationKey.decode(bytes) == key)
        try key.check(program: program)
        let other = try Assembler.assemble(".output y [1] scale=4 public\n    halt\n")
        #expect(throws: ProofFileError.self) { try key.check(program: other) }
        for n in 0..<bytes.count {
            let error = #expect(throws: ProofFileError.self) { _ = try VerificationKey.decode(Array(bytes.prefix(n))) }
            #expect(error?.detail.contains("at byte") == true, "\(n): \(String(describing: error))")
        }
        var version = bytes
        version[4] = 3
        #expect(throws: ProofFileError.malformed("verification key at byte 6: unsupported version 3")) {
            _ = try VerificationKey.decode(version)
        }
    }
}
