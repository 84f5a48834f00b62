import Foundation
import ProofFiles
import STARK
import Testing
import VMArithmetization
import VMProver

/// Distributed zero-knowledge proving through the library: seed files are
/// made privately and exclusively, and phase 2 pins its seed file, so no
/// caller can open one masked trace for two transcripts (Spec/zk.md §5).
@Suite struct SegmentSeedFileTests {
    static let options = VMSoundnessTests.options.with(zeroKnowledge: true)

    func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zkvm-seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func phaseTwoIsPinnedToItsBindings() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = try Examples.assemble(VMSoundnessTests.source)
        let inputs = VMSoundnessTests.inputs
        func seedPath(_ k: Int, _ tag: String = "") -> String { dir.appendingPathComponent("seed\(k)\(tag)").path }
        func commit(_ k: Int, _ seed: SegmentSeedFile) throws -> SegmentBinding {
            try VMProver.commitSegment(k, program: program, rawInputs: inputs, options: Self.options, segmentRows: 32,
                                       minimumProvenBits: nil, seedFile: seed)
        }
        let first = try commit(0, try SegmentSeedFile.create(at: seedPath(0)))
        #expect(first.count >= 2)
        let bindings = try [first] + (1..<first.count).map { try commit($0, try SegmentSeedFile.create(at: seedPath($0))) }
        // Seeds are private, and a seed file is never made twice.
        let mode = try FileManager.default.attributesOfItem(atPath: seedPath(0))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: VMArithmetizationError.self) { _ = try SegmentSeedFile.create(at: seedPath(0)) }

        func prove(_ bindings: [SegmentBinding]) throws -> VMSegmentProof {
            try VMProver.proveSegment(0, bindings: bindings, program: program, rawInputs: inputs, options: Self.options,
                                      segmentRows: 32, minimumProvenBits: nil, seedFile: try SegmentSeedFile.open(at: seedPath(0)))
        }
        let part = try prove(bindings)
        #expect(try Data(contentsOf: URL(fileURLWithPath: seedPath(0))).count == SegmentSeedFile.pinnedLength)
        // The same bindings again: the same proof.
        #expect(try prove(bindings).encoded() == part.encoded())
        // Other bindings (segment 1 redone with a fresh seed): refused, nothing returned.
        var other = bindings
        other[1] = try commit(1, try SegmentSeedFile.create(at: seedPath(1, "b")))
        #expect(other[1] != bindings[1])
        do {
            _ = try prove(other)
            Issue.record("a pinned seed file proved other bindings")
        } catch let error as VMArithmetizationError {
            #expect(error.detail.contains("was used with other bindings"), "\(error)")
        }
        // Zero knowledge without a seed file, or a seed file readable by others: refused.
        #expect(throws: VMArithmetizationError.self) {
            _ = try VMProver.commitSegment(0, program: program, rawInputs: inputs, options: Self.options, segmentRows: 32,
                                           minimumProvenBits: nil)
        }
        chmod(seedPath(1), 0o644)
        #expect(throws: VMArithmetizationError.self) { _ = try SegmentSeedFile.open(at: seedPath(1)) }
    }
}
