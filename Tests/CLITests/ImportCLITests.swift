import Foundation
import Testing

/// `zkvm import` end to end: ONNX → .zkasm (with weight files) → exec →
/// prove → verify, the report, and failures that write nothing.
@Suite struct ImportCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../ImporterTests/Fixtures").standardized

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zkvm-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func importExecProveVerify() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = Self.fixtures.appendingPathComponent("mlp/model.onnx").path
        let calibration = Self.fixtures.appendingPathComponent("mlp/calibration.json").path
        let input = Self.fixtures.appendingPathComponent("mlp/input.json").path
        let program = dir.appendingPathComponent("mlp.zkasm").path
        let i = try CLITests.run(["import", model, "-o", program, "--calibration", calibration, "--json"])
        #expect(i.status == 0, "stderr: \(i.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(i.stdout.utf8)) as? [String: Any]
        #expect(report?["calibration_samples"] as? Int == 32)
        #expect(report?["top1_agreement"] as? Double == 1)
        #expect((report?["output_max_abs_error"] as? Double ?? 1) < 0.02)
        #expect(((report?["layers"] as? [[String: Any]]) ?? []).count >= 3)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("mlp_weights").path))

        let e = try CLITests.run(["exec", program, "--input", input, "--json"])
        #expect(e.status == 0, "stderr: \(e.stderr)")
        // Imported weights are committed by default: no proof before the commitment exists.
        let proof = dir.appendingPathComponent("mlp.zkp").path
        let early = try CLITests.run(["prove", program, "--input", input, "-o", proof])
        #expect(early.status == 1 && early.stderr.contains("zkvm commit"), "stderr: \(early.stderr)")
        #expect(!FileManager.default.fileExists(atPath: proof))
        let c = try CLITests.run(["commit", program, "--json"])
        #expect(c.status == 0, "stderr: \(c.stderr)")
        let committed = try JSONSerialization.jsonObject(with: Data(c.stdout.utf8)) as? [String: Any]
        let commitment = try #require(committed?["commitment"] as? String)
        // Committing again reuses the secret: the same commitment.
        #expect(try CLITests.run(["commit", program]).stdout.contains(commitment))

        let p = try CLITests.run(["prove", program, "--input", input, "-o", proof])
        #expect(p.status == 0, "stderr: \(p.stderr)")
        let vk = dir.appendingPathComponent("mlp.vk").path
        let x = try CLITests.run(["export-vk", program, "-o", vk])
        #expect(x.status == 0, "stderr: \(x.stderr)")
        // The key leaves the weights out: far smaller than the program with them.
        let zkbin = dir.appendingPathComponent("mlp.zkbin").path
        #expect(try CLITests.run(["asm", program, "-o", zkbin]).status == 0)
        let keySize = try Data(contentsOf: URL(fileURLWithPath: vk)).count
        #expect(keySize * 3 < (try Data(contentsOf: URL(fileURLWithPath: zkbin)).count), "key of \(keySize) bytes")
        for args in [["--vk", vk], ["--program", program]] {
            let v = try CLITests.run(["verify", proof, "--json"] + args)
            #expect(v.status == 0, "stderr: \(v.stderr)")
            let verdict = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
            #expect(verdict?["valid"] as? Bool == true)
            #expect(verdict?["commitment"] as? String == commitment)
        }
        // Another commitment to the same weights (another secret): the proof is not for it.
        let other = dir.appendingPathComponent("other.commitment").path
        #expect(try CLITests.run(["commit", program, "--secret", dir.appendingPathComponent("other-secret").path,
                                  "-o", other]).status == 0)
        let wrong = try CLITests.run(["verify", proof, "--program", program, "--commitment", other])
        #expect(wrong.status == 1 && wrong.stderr.contains("commitment"), "stderr: \(wrong.stderr)")
        // Transparent proofs cannot carry a commitment.
        #expect(try CLITests.run(["prove", program, "--input", input, "-o", proof, "--no-zk"]).status == 1)
        // Proving with another secret than the published commitment's: refused before proving, nothing written.
        let stray = dir.appendingPathComponent("stray.zkp").path
        let mismatch = try CLITests.run(["prove", program, "--input", input, "-o", stray,
                                         "--commitment-secret", dir.appendingPathComponent("other-secret").path])
        #expect(mismatch.status == 1 && mismatch.stderr.contains("another commitment"), "stderr: \(mismatch.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stray))
        // The secret is private (0600) and never overwritten by an output.
        let secretPath = dir.appendingPathComponent("mlp.commitment-secret").path
        #expect(try FileManager.default.attributesOfItem(atPath: secretPath)[.posixPermissions] as? Int == 0o600)
        #expect(try CLITests.run(["commit", program, "-o", secretPath]).status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: secretPath)).count == 32)
        // A secret readable by others is refused.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secretPath)
        let loose = try CLITests.run(["commit", program])
        #expect(loose.status == 1 && loose.stderr.contains("readable by others"), "stderr: \(loose.stderr)")
    }

    @Test func failuresWriteNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("x.zkasm").path
        // Not a model.
        let junk = dir.appendingPathComponent("junk.onnx")
        try Data("definitely not protobuf".utf8).write(to: junk)
        let r = try CLITests.run(["import", junk.path, "-o", program])
        #expect(r.status == 1)
        #expect(r.stderr.contains("not a valid ONNX model"), "stderr: \(r.stderr)")
        // A dynamic batch without --input-shape.
        let sklearn = Self.fixtures.appendingPathComponent("sklearn_mlp/model.onnx").path
        let d = try CLITests.run(["import", sklearn, "-o", program])
        #expect(d.status == 1)
        #expect(d.stderr.contains("--input-shape X="), "stderr: \(d.stderr)")
        #expect(!FileManager.default.fileExists(atPath: program))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["junk.onnx"])
        // With it, the import works.
        #expect(try CLITests.run(["import", sklearn, "-o", program, "--input-shape", "X=1,64"]).status == 0)
    }

    /// The accuracy guard: at 2 fractional bits the MLP's outputs are
    /// several percent of their range off, so the import is refused with
    /// the node where the precision is lost and writes nothing;
    /// --allow-inaccurate writes it with a warning; the default scale passes.
    @Test func inaccurateImportsAreRefusedWithTheGuiltyNode() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = Self.fixtures.appendingPathComponent("mlp/model.onnx").path
        let calibration = Self.fixtures.appendingPathComponent("mlp/calibration.json").path
        let program = dir.appendingPathComponent("m.zkasm").path
        let coarse = ["import", model, "-o", program, "--calibration", calibration, "--scale-bits", "2"]
        let refused = try CLITests.run(coarse)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("precision is lost at node") && refused.stderr.contains("--allow-inaccurate")
                && refused.stderr.contains("tolerance 1%"), "stderr: \(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        let allowed = try CLITests.run(coarse + ["--allow-inaccurate"])
        #expect(allowed.status == 0 && allowed.stderr.contains("warning: the fixed-point outputs differ"), "stderr: \(allowed.stderr)")
        #expect(FileManager.default.fileExists(atPath: program))
        let loose = try CLITests.run(coarse + ["--tolerance", "0.5", "--json"])
        #expect(loose.status == 0, "stderr: \(loose.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(loose.stdout.utf8)) as? [String: Any]
        #expect((object?["output_range"] as? Double).map { $0 > 1 } == true)
        #expect(try CLITests.run(["import", model, "-o", program, "--calibration", calibration]).status == 0)
    }
}
