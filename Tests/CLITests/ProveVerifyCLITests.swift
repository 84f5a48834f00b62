import Foundation
import Testing

/// `zkvm prove` and `zkvm verify` end to end through the built binary.
@Suite struct ProveVerifyCLITests {
    static let programs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Programs").standardized

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zkvm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func proveThenVerify() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = Self.programs.appendingPathComponent("decision_tree/decision_tree.zkasm").path
        let input = Self.programs.appendingPathComponent("decision_tree/input.json").path
        let proof = dir.appendingPathComponent("tree.zkp").path
        let p = try CLITests.run(["prove", program, "--input", input, "-o", proof, "--json"])
        #expect(p.status == 0, "stderr: \(p.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any]
        #expect((report?["proven_bits"] as? Double ?? 0) >= 100)
        #expect((report?["proof_bytes"] as? Int ?? 0) > 0)
        #expect(((report?["phases"] as? [[String: Any]]) ?? []).count >= 5)

        let v = try CLITests.run(["verify", proof, "--program", program, "--json"])
        #expect(v.status == 0, "stderr: \(v.stderr)")
        let verdict = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
        #expect(verdict?["valid"] as? Bool == true)
        #expect((verdict?["public_outputs"] as? [[String: Any]])?.isEmpty == false)

        // Another program: rejected with a message, non-zero exit.
        let other = Self.programs.appendingPathComponent("collatz/collatz.zkasm").path
        let w = try CLITests.run(["verify", proof, "--program", other])
        #expect(w.status != 0)
        #expect(w.stderr.contains("another program"))

        // A corrupted byte: rejected, no crash (exit status 1, not a signal).
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: proof)))
        bytes[bytes.count / 2] ^= 0x10
        let corrupt = dir.appendingPathComponent("corrupt.zkp").path
        try Data(bytes).write(to: URL(fileURLWithPath: corrupt))
        let c = try CLITests.run(["verify", corrupt, "--program", program])
        #expect(c.status == 1, "stderr: \(c.stderr)")
        #expect(c.stderr.contains("invalid proof"))

        // Proving again over an existing file replaces it (atomic rename).
        let again = try CLITests.run(["prove", program, "--input", input, "-o", proof])
        #expect(again.status == 0, "stderr: \(again.stderr)")
        #expect(try CLITests.run(["verify", proof, "--program", program]).status == 0)

        // A floor above the proof's level: refused.
        let f = try CLITests.run(["verify", proof, "--program", program, "--min-bits", "200"])
        #expect(f.status != 0)
    }

    /// A key instead of the program; pinning the statement with the outputs
    /// `zkvm exec --json` printed; a key checked against its program.
    @Test func verifyAgainstAKeyAndPinTheStatement() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = Self.programs.appendingPathComponent("decision_tree/decision_tree.zkasm").path
        let input = Self.programs.appendingPathComponent("decision_tree/input.json").path
        let proof = dir.appendingPathComponent("tree.zkp").path, key = dir.appendingPathComponent("tree.vk").path
        #expect(try CLITests.run(["prove", program, "--input", input, "-o", proof]).status == 0)
        let e = try CLITests.run(["export-vk", program, "-o", key])
        #expect(e.status == 0, "stderr: \(e.stderr)")
        let c = try CLITests.run(["check-vk", key, "--program", program])
        #expect(c.status == 0 && c.stdout.contains("is program"), "stderr: \(c.stderr)")
        let wrong = try CLITests.run(["check-vk", key, "--program", Self.programs.appendingPathComponent("collatz/collatz.zkasm").path])
        #expect(wrong.status == 1 && wrong.stderr.contains("names program"), "stderr: \(wrong.stderr)")

        let exec = try CLITests.run(["exec", program, "--input", input, "--json"])
        let expected = dir.appendingPathComponent("expected.json")
        try Data(exec.stdout.utf8).write(to: expected)
        let v = try CLITests.run(["verify", proof, "--vk", key, "--expect-public", expected.path, "--json"])
        #expect(v.status == 0, "stderr: \(v.stderr)")
        let verdict = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
        #expect((verdict?["key_digest"] as? String)?.count == 64)

        // Another promised output: the valid proof is refused, naming the element.
        var object = try #require(try JSONSerialization.jsonObject(with: Data(exec.stdout.utf8)) as? [String: Any])
        var outputs = try #require(object["outputs"] as? [[String: Any]])
        let raw = try #require(outputs[0]["raw"] as? [Int])
        outputs[0]["raw"] = [raw[0] + 1]
        object["outputs"] = outputs
        let other = dir.appendingPathComponent("other.json")
        try JSONSerialization.data(withJSONObject: object).write(to: other)
        let r = try CLITests.run(["verify", proof, "--vk", key, "--expect-public", other.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("a valid proof, but of another statement: public output 'species'[0]"), "stderr: \(r.stderr)")
        // An output the proof does not make public.
        try Data(#"{"outputs": [{"name": "nope", "raw": [1]}]}"#.utf8).write(to: other)
        let n = try CLITests.run(["verify", proof, "--vk", key, "--expect-public", other.path])
        #expect(n.status == 1 && n.stderr.contains("'nope' is not a public output"), "stderr: \(n.stderr)")
    }

    /// A run split into segments: one file, verified as a whole, with the
    /// segment count reported and the floor kept.
    @Test func proveInSegmentsThenVerify() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = Self.programs.appendingPathComponent("collatz/collatz.zkasm").path
        let input = Self.programs.appendingPathComponent("collatz/input.json").path
        let proof = dir.appendingPathComponent("collatz.zkp").path
        let p = try CLITests.run(["prove", program, "--input", input, "-o", proof, "--segment-rows", "512", "--json", "--no-zk"])
        #expect(p.status == 0, "stderr: \(p.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any]
        #expect(((report?["segments"] as? [Any]) ?? []).count >= 2)
        #expect((report?["proven_bits"] as? Double ?? 0) >= 100)
        let v = try CLITests.run(["verify", proof, "--program", program, "--json"])
        #expect(v.status == 0, "stderr: \(v.stderr)")
        let verdict = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any]
        #expect(verdict?["valid"] as? Bool == true)
        #expect((verdict?["segments"] as? Int ?? 0) >= 2)
        #expect(try CLITests.run(["prove", program, "--input", input, "-o", proof, "--segment-rows", "4"]).status != 0)

        // The same run proven segment by segment (as on separate machines), then bundled: the same bytes
        // (transparent proofs are deterministic).
        let segments = ((report?["segments"] as? [Any]) ?? []).count
        let common = ["prove", program, "--input", input, "--segment-rows", "512", "--no-zk"]
        var bindings = [String]()
        for k in 0..<segments {
            let path = dir.appendingPathComponent("\(k).zkvb").path
            let c = try CLITests.run(common + ["--segment", "\(k)", "--commit-only", "-o", path])
            #expect(c.status == 0, "stderr: \(c.stderr)")
            bindings.append(path)
        }
        var parts = [String]()
        for k in 0..<segments {
            let path = dir.appendingPathComponent("\(k).zkvs").path
            let s = try CLITests.run(common + ["--segment", "\(k)", "--bindings"] + bindings.reversed() + ["-o", path])
            #expect(s.status == 0, "stderr: \(s.stderr)")
            parts.append(path)
        }
        let bundled = dir.appendingPathComponent("bundled.zkp").path
        let b = try CLITests.run(["bundle"] + parts + ["-o", bundled])
        #expect(b.status == 0, "stderr: \(b.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: bundled)) == Data(contentsOf: URL(fileURLWithPath: proof)))
        #expect(try CLITests.run(["verify", bundled, "--program", program]).status == 0)
        // A missing part: refused, nothing written.
        let partial = dir.appendingPathComponent("partial.zkp").path
        #expect(try CLITests.run(["bundle"] + parts.dropLast() + ["-o", partial]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: partial))
        // --segment without a phase: a usage error.
        #expect(try CLITests.run(common + ["--segment", "0", "-o", partial]).status != 0)

        // Zero knowledge, distributed: each machine keeps a secret seed file between its
        // two phases; the bundle verifies but differs from the transparent proof.
        let zk = ["prove", program, "--input", input, "--segment-rows", "512"]
        let noSeed = try CLITests.run(zk + ["--segment", "0", "--commit-only", "-o", dir.appendingPathComponent("x.zkvb").path])
        #expect(noSeed.status != 0 && noSeed.stderr.contains("--seed-file"), "stderr: \(noSeed.stderr)")
        var zkBindings = [String](), zkParts = [String]()
        for k in 0..<segments {
            let path = dir.appendingPathComponent("zk\(k).zkvb").path
            let seed = dir.appendingPathComponent("seed\(k)").path
            let c = try CLITests.run(zk + ["--segment", "\(k)", "--commit-only", "--seed-file", seed, "-o", path])
            #expect(c.status == 0, "stderr: \(c.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: seed)).count == 32)
            zkBindings.append(path)
        }
        for k in 0..<segments {
            let path = dir.appendingPathComponent("zk\(k).zkvs").path
            let seed = dir.appendingPathComponent("seed\(k)").path
            let s = try CLITests.run(zk + ["--segment", "\(k)", "--seed-file", seed, "--bindings"] + zkBindings + ["-o", path])
            #expect(s.status == 0, "stderr: \(s.stderr)")
            zkParts.append(path)
        }
        let zkBundle = dir.appendingPathComponent("zk.zkp").path
        #expect(try CLITests.run(["bundle"] + zkParts + ["-o", zkBundle]).status == 0)
        #expect(try CLITests.run(["verify", zkBundle, "--program", program]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: zkBundle)) != Data(contentsOf: URL(fileURLWithPath: proof)))
        // Phase 2 with another machine's seed reproduces no binding: refused.
        let wrongSeed = try CLITests.run(zk + ["--segment", "0", "--seed-file", dir.appendingPathComponent("seed1").path,
                                               "--bindings"] + zkBindings + ["-o", dir.appendingPathComponent("w.zkvs").path])
        #expect(wrongSeed.status != 0)
        // Seeds are created private (mode 0600).
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("seed0").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Phase 2 again with the same bindings reproduces the same proof; with other
        // bindings (segment 1 redone with a fresh seed) it would open the same masked
        // trace at new points: refused.
        let again = dir.appendingPathComponent("again.zkvs").path
        let rerun = try CLITests.run(zk + ["--segment", "0", "--seed-file", dir.appendingPathComponent("seed0").path,
                                           "--bindings"] + zkBindings + ["-o", again])
        #expect(rerun.status == 0, "stderr: \(rerun.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: zkParts[0])))
        let redone = dir.appendingPathComponent("zk1b.zkvb").path
        #expect(try CLITests.run(zk + ["--segment", "1", "--commit-only", "--seed-file", dir.appendingPathComponent("seed1b").path,
                                       "-o", redone]).status == 0)
        let other = try CLITests.run(zk + ["--segment", "0", "--seed-file", dir.appendingPathComponent("seed0").path,
                                           "--bindings", zkBindings[0], redone] + zkBindings.dropFirst(2)
                                     + ["-o", dir.appendingPathComponent("other.zkvs").path])
        #expect(other.status != 0 && other.stderr.contains("other bindings"), "stderr: \(other.stderr)")
    }

    @Test func proveFailureWritesNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = Self.programs.appendingPathComponent("collatz/collatz.zkasm").path
        let input = Self.programs.appendingPathComponent("collatz/input.json").path
        let proof = dir.appendingPathComponent("x.zkp").path
        // The step limit stops the run: an error naming the source line, no proof file.
        let trace = dir.appendingPathComponent("x.zkt").path
        let r = try CLITests.run(["prove", program, "--input", input, "-o", proof, "--max-steps", "50", "--trace", trace])
        #expect(r.status != 0)
        #expect(r.stderr.contains("collatz.zkasm:"), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: proof))
        #expect(!FileManager.default.fileExists(atPath: trace))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no temporary files left")
    }

    /// `prove --trace` dumps the proven run itself: byte for byte the dump
    /// `exec --trace` writes for the same program and input.
    @Test func proveWritesTheSameDumpAsExec() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = Self.programs.appendingPathComponent("cnn/cnn.zkasm").path
        let input = Self.programs.appendingPathComponent("cnn/input.json").path
        let proved = dir.appendingPathComponent("proved.zkt").path, executed = dir.appendingPathComponent("executed.zkt").path
        let proof = dir.appendingPathComponent("cnn.zkp").path
        let p = try CLITests.run(["prove", program, "--input", input, "-o", proof, "--no-zk", "--trace", proved])
        #expect(p.status == 0, "stderr: \(p.stderr)")
        let e = try CLITests.run(["exec", program, "--input", input, "--trace", executed])
        #expect(e.status == 0, "stderr: \(e.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: proved)), b = try Data(contentsOf: URL(fileURLWithPath: executed))
        #expect(!a.isEmpty && a == b)
        #expect(try CLITests.run(["verify", proof, "--program", program]).status == 0)
        let same = try CLITests.run(["prove", program, "--input", input, "-o", proof, "--trace", proof])
        #expect(same.status != 0 && same.stderr.contains("same file"), "stderr: \(same.stderr)")
    }
}
