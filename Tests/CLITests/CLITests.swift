import Foundation
import Testing

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
                         "merkle.commit.2^12x16", "sha256.raw", "merkle.node-hash"] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        for m in measurements { #expect((m["value"] as? Double ?? -1) > 0) }
        #expect(r.stderr.contains("bench: "), "progress goes to stderr")
    }
}
