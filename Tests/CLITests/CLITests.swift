import Foundation
import Testing
import Trace

/// Runs the built `zkvm` binary and checks its output and exit status.
@Suite struct CLITests {
    static var binary: URL {
        // The test bundle sits next to the products on Linux and macOS.
        let candidates = [Bundle.main.bundleURL] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for dir in candidates {
            let url = dir.appendingPathComponent("zkvm")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: ".build/release/zkvm")
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func helpListsSubcommands() throws {
        let r = try Self.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE: zkvm <subcommand>"))
        #expect(r.stdout.contains("bench"))
        let b = try Self.run(["bench", "--help"])
        #expect(b.status == 0)
        for flag in ["--json", "--quick", "--threads", "--repetitions", "--only"] { #expect(b.stdout.contains(flag)) }
    }

    @Test func badArgumentsFailWithAMessage() throws {
        let r = try Self.run(["bench", "--threads", "0"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--threads must be at least 1"))
        let u = try Self.run(["no-such-command"])
        #expect(u.status != 0)
    }

    /// The quick benchmark emits every figure issue 2 asks for, as JSON.
    @Test func quickBenchmarkJSON() throws {
        let r = try Self.run(["bench", "--quick", "--json", "--repetitions", "1"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let measurements = object?["measurements"] as? [[String: Any]] ?? []
        let names = Set(measurements.compactMap { $0["name"] as? String })
        for expected in ["field.mul", "ext3.mul", "ntt.2^10", "ntt.2^12", "ntt.2^14", "lde.2^12x4",
                         "merkle.commit.2^12x16", "sha256.raw", "merkle.node-hash", "vm.macs", "vm.trace-rows",
                         "vm.trace-compression"] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        for m in measurements { #expect((m["value"] as? Double ?? -1) > 0) }
        #expect(r.stderr.contains("bench: "), "progress goes to stderr")
    }
}

/// asm, disasm and exec through the built binary.
@Suite struct ProgramCommandTests {
    static let programs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Programs").standardized

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zkvm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func execPrintsTheDocumentedJSON() throws {
        let folder = Self.programs.appendingPathComponent("collatz")
        let r = try CLITests.run(["exec", folder.appendingPathComponent("collatz.zkasm").path,
                                  "--input", folder.appendingPathComponent("input.json").path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let outputs = object?["outputs"] as? [[String: Any]] ?? []
        #expect(outputs.map { $0["name"] as? String } == ["steps", "peak"])
        #expect((outputs.first?["raw"] as? [Int]) == [111])
        #expect((object?["steps"] as? Int ?? 0) > 1000)
        for key in ["lookups", "multiply_accumulates", "seconds"] { #expect(object?[key] != nil) }
    }

    @Test func asmDisasmRoundTripThroughFiles() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = Self.programs.appendingPathComponent("logistic_regression/logistic_regression.zkasm").path
        let bin = dir.appendingPathComponent("a.zkbin").path, text = dir.appendingPathComponent("a.zkasm").path
        let bin2 = dir.appendingPathComponent("b.zkbin").path
        #expect(try CLITests.run(["asm", source, "-o", bin]).status == 0)
        #expect(try CLITests.run(["disasm", bin, "-o", text]).status == 0)
        let again = try CLITests.run(["asm", text, "-o", bin2])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(FileManager.default.contents(atPath: bin) == FileManager.default.contents(atPath: bin2))
    }

    @Test func errorsAreDiagnosticsWithoutHalfWrittenFiles() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.zkasm")
        try ".output y [1] scale=0\n    lii r1, 3\n    halt\n".write(to: bad, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("bad.zkbin").path
        let r = try CLITests.run(["asm", bad.path, "-o", out])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.zkasm:2:5: error: unknown instruction 'lii'; did you mean 'li'?"))
        #expect(r.stderr.contains("    ^"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["bad.zkasm"])

        // A run-time fault names the source line.
        let loop = dir.appendingPathComponent("loop.zkasm")
        try ".output y [1] scale=0\nstart:\n    jmp start\n".write(to: loop, atomically: true, encoding: .utf8)
        let f = try CLITests.run(["exec", loop.path, "--max-steps", "100"])
        #expect(f.status != 0)
        #expect(f.stderr.contains("loop.zkasm:3: error: pc 0: step limit of 100 reached"), "\(f.stderr)")

        // A corrupt .zkbin names a byte offset.
        let corrupt = dir.appendingPathComponent("c.zkbin")
        try Data(Array("ZKBN".utf8) + [2, 0, 0, 0, 5]).write(to: corrupt)
        let c = try CLITests.run(["exec", corrupt.path])
        #expect(c.status != 0 && c.stderr.contains("byte offset"), "\(c.stderr)")
    }
}

/// The Python package's trace reader loads what `zkvm exec --trace` wrote.
@Suite struct PythonTraceReaderTests {
    @Test func pythonReaderAgreesWithTheSummary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let dir = try ProgramCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("run.zkt").path
        let folder = root.appendingPathComponent("Programs/logistic_regression")
        let run = try CLITests.run(["exec", folder.appendingPathComponent("logistic_regression.zkasm").path,
                                    "--input", folder.appendingPathComponent("input.json").path, "--trace", trace, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let steps = (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["steps"] as? Int
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-m", "zkvm.trace", trace]
        python.environment = ProcessInfo.processInfo.environment.merging(
            ["PYTHONPATH": root.appendingPathComponent("Tools/python").path]) { _, new in new }
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "python3 -m zkvm.trace failed (is numpy/zstandard installed? Tools/setup.sh installs them)")
        let summary = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let rows = summary?["rows"] as? [String: Int]
        #expect(rows?["cpu"] == steps)
        #expect(rows?["mac"] == 4)
        #expect(rows?["lookup"] == 1)
        // Every column's sum agrees with the Swift reader: the values, not just the counts.
        let sums = summary?["sums"] as? [String: [String: Int]]
        let reader = try TraceReader(path: trace)
        var swiftSums: [String: [String: Int]] = [:]
        while let chunk = try reader.nextChunk() {
            for (c, name) in chunk.stream.columns.enumerated() {
                swiftSums[chunk.stream.name, default: [:]][name, default: 0] += chunk.columns[c].reduce(0) { $0 + Int($1) }
            }
        }
        #expect(sums?["cpu"] == swiftSums["cpu"])
        #expect(sums?["memory"] == swiftSums["memory"])
        #expect(sums?["mac"] == swiftSums["mac"])
    }
}

/// Golden CLI output (timing lines and compressed sizes, which vary, excluded).
@Suite struct GoldenCLITests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let programs = here.appendingPathComponent("../../Programs").standardized

    @Test func execTextOutput() throws {
        let folder = Self.programs.appendingPathComponent("decision_tree")
        let r = try CLITests.run(["exec", folder.appendingPathComponent("decision_tree.zkasm").path,
                                  "--input", folder.appendingPathComponent("input.json").path])
        #expect(r.status == 0)
        let text = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("steps") }.joined(separator: "\n")
        #expect(text == (try String(contentsOf: Self.here.appendingPathComponent("Golden/decision_tree.exec.txt"), encoding: .utf8)))
    }

    /// EZKL-style inputs may hold JSON booleans (ONNX bool inputs): true
    /// is 1 and false 0; strings stay an error naming the file.
    @Test func booleanInputsAreOneAndZero() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zkvm-bool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("p.zkasm")
        try """
        .input x [3] scale=0
        .output y [3] scale=0 public
            copy y, x, shape=[3], strides=[1]
            halt
        """.write(to: program, atomically: true, encoding: .utf8)
        let input = dir.appendingPathComponent("input.json")
        try #"{"input_data": [[true, false, 7]]}"#.write(to: input, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["exec", program.path, "--input", input.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let outputs = object?["outputs"] as? [[String: Any]]
        #expect((outputs?.first?["raw"] as? [Int]) == [1, 0, 7])
        try #"{"input_data": [["1", 0, 0]]}"#.write(to: input, atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["exec", program.path, "--input", input.path])
        #expect(bad.status != 0 && bad.stderr.contains("input.json") && bad.stderr.contains("a string"), "\(bad.stderr)")
    }

    @Test func traceSummary() throws {
        let folder = Self.programs.appendingPathComponent("collatz")
        let dir = try ProgramCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("c.zkt").path
        #expect(try CLITests.run(["exec", folder.appendingPathComponent("collatz.zkasm").path,
                                  "--input", folder.appendingPathComponent("input.json").path, "--trace", trace]).status == 0)
        let r = try CLITests.run(["trace", trace])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("raw ") }
        let golden = try String(contentsOf: Self.here.appendingPathComponent("Golden/collatz.trace.txt"), encoding: .utf8)
        #expect(lines.joined(separator: "\n") + "\n" == golden)
    }
}

@Suite struct DataFileTests {
    @Test func dataFilesMustStayInTheProgramFolder() throws {
        let dir = try ProgramCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[1, 2]".write(to: dir.appendingPathComponent("w.json"), atomically: true, encoding: .utf8)
        for (name, ok) in [("w.json", true), ("../w.json", false), ("/etc/w.json", false)] {
            let program = dir.appendingPathComponent("p.zkasm")
            try ".weights w [2] scale=0 file \"\(name)\"\n.output y [1] scale=0\n    halt\n".write(to: program, atomically: true, encoding: .utf8)
            let r = try CLITests.run(["asm", program.path, "-o", dir.appendingPathComponent("p.zkbin").path])
            #expect((r.status == 0) == ok, "\(name): \(r.stderr)")
        }
    }
}
