import ArgumentParser
import Foundation
import ISA
import Parallel
import STARK
import VM
import VMProver

/// `zkvm bench`: throughput of the arithmetic and commitment layer.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure field, NTT, LDE, Merkle and SHA-256 throughput on this machine.",
        discussion: """
            Prints a table (or one JSON object with --json) of medians over several runs. \
            Figures are measured with one thread and with --threads threads, and compared \
            with the issue targets and with a textbook radix-2 NTT measured in the same run. \
            Tools/bench.sh adds C references (gcc -O3 -march=native).
            """
    )

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Small sizes, for smoke tests (figures are not comparable with targets).")
    var quick = false

    @Option(help: "Worker threads for the parallel figures (default: all cores).")
    var threads: Int = Parallel.defaultThreads

    @Option(help: "Timed repetitions per figure (median reported).")
    var repetitions: Int = 5

    @Option(help: "Run only these groups (comma-separated: field, ntt, lde, merkle, vm, prove, import).")
    var only: String?

    @Option(help: "The examples folder for the prove group.")
    var programs: String = "Programs"

    @Option(help: "The ONNX fixtures folder for the import group.")
    var fixtures: String = "Tests/ImporterTests/Fixtures"

    func wants(_ group: String) -> Bool {
        guard let only else { return true }
        return only.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == group }
    }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1") }
    }

    func progress(_ message: String) {
        FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    }

    func run() throws {
        var report = BenchReport(threads: threads, quick: quick)
        let reps = repetitions
        let threadCounts = threads == 1 ? [1] : [1, threads]

        if wants("field") {
        progress("field arithmetic")
        let fieldCount = quick ? 1 << 14 : 1 << 20
        report.add("field.mul", FieldBenchmarks.baseMultiply(count: fieldCount, repetitions: reps), "ns/op", threads: 1,
                   note: "2^\(fieldCount.trailingZeroBitCount) random pairs")
        report.add("field.add", FieldBenchmarks.baseAdd(count: fieldCount, repetitions: reps), "ns/op", threads: 1)
        report.add("ext3.mul", FieldBenchmarks.extensionMultiply(count: fieldCount / 4, repetitions: reps), "ns/op", threads: 1)
        report.add("field.inverse", FieldBenchmarks.inverse(count: quick ? 1 << 10 : 1 << 14, repetitions: reps), "ns/op", threads: 1)

        }
        let nttSizes = quick ? [10, 12, 14] : [16, 20, 22]
        if wants("ntt") {
        for log in nttSizes {
            progress("NTT 2^\(log)")
            for t in threadCounts {
                report.add("ntt.2^\(log)", PolynomialBenchmarks.ntt(logSize: log, threads: t, repetitions: reps), "ms", threads: t,
                           note: "natural → bit-reversed")
            }
            report.add("ntt.natural.2^\(log)", PolynomialBenchmarks.nttNatural(logSize: log, threads: threads, repetitions: reps),
                       "ms", threads: threads, note: "with bit reversal")
        }
        let midLog = nttSizes[1]
        progress("reference radix-2 NTT 2^\(midLog)")
        report.add("ntt.reference-radix2.2^\(midLog)", PolynomialBenchmarks.referenceRadix2(logSize: midLog, repetitions: reps),
                   "ms", threads: 1, note: "textbook loop, same twiddles")

        }
        let ldeLog = quick ? 12 : 20
        if wants("lde") {
        progress("LDE 2^\(ldeLog) × 4")
        for t in threadCounts {
            report.add("lde.2^\(ldeLog)x4", PolynomialBenchmarks.lde(logSize: ldeLog, logBlowup: 2, threads: t, repetitions: reps),
                       "ms", threads: t, note: "one column, coset, bit-reversed output")
        }

        }
        let rows = quick ? 1 << 12 : 1 << 20
        let width = 16
        if wants("merkle") { progress("Merkle commit 2^\(rows.trailingZeroBitCount) × \(width)") }
        if wants("merkle") {
        let matrix = CommitmentBenchmarks.randomMatrix(height: rows, width: width)
        for t in threadCounts {
            report.add("merkle.commit.2^\(rows.trailingZeroBitCount)x\(width)",
                       CommitmentBenchmarks.merkleCommit(matrix, threads: t, repetitions: reps), "ms", threads: t)
        }
        progress("SHA-256")
        let shaBytes = quick ? 1 << 20 : rows * width * 8
        for t in threadCounts {
            report.add("sha256.raw", CommitmentBenchmarks.sha256Throughput(bytes: shaBytes, threads: t, repetitions: reps),
                       "MB/s", threads: t, note: "libcrypto, \(shaBytes >> 20) MiB")
        }
        report.add("merkle.node-hash", CommitmentBenchmarks.nodeHash(count: quick ? 1 << 12 : 1 << 18, repetitions: reps),
                   "ns/op", threads: 1, note: "one compression")
        }

        if wants("vm") {
            progress("VM (matrix-heavy program, with and without trace)")
            let vm = try VMBenchmarks.measure(repeats: quick ? 2 : 20, repetitions: reps)
            report.add("vm.macs", vm.macsPerSecond / 1e6, "M MAC/s", threads: 1, note: "784×64 matmul + ReLU loop, no trace")
            report.add("vm.trace-rows", vm.traceRowsPerSecond / 1e6, "M rows/s", threads: 1,
                       note: "\(vm.rows) rows: cpu + memory + lookup + mac, written to a .zkt")
            report.add("vm.trace-write", vm.traceRawMBPerSecond, "MB/s", threads: 1, note: "raw trace bytes per second, zstd level 3")
            report.add("vm.trace-compression", vm.compressionRatio, "×", threads: 1)
            if !quick {
                report.targets.append(TargetCheck(name: "VM with trace recording (M rows/s)", measured: vm.traceRowsPerSecond / 1e6,
                                                  target: "≥ 20", met: vm.traceRowsPerSecond >= 20e6))
                report.targets.append(TargetCheck(name: "trace compression (×)", measured: vm.compressionRatio,
                                                  target: "≥ 4", met: vm.compressionRatio >= 4))
                report.targets.append(TargetCheck(name: "trace written (MB/s of raw trace)", measured: vm.traceRawMBPerSecond,
                                                  target: "≥ 200", met: vm.traceRawMBPerSecond >= 200))
            }
        }

        if wants("prove") { try proveGroup(&report) }
        if wants("import") { try importGroup(&report) }

        if !quick { checkTargets(&report, rows: rows, width: width) }

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.table())
        }
    }

    /// Proves and verifies the examples and scalar loops (the proving figures and their targets).
    func proveGroup(_ report: inout BenchReport) throws {
        var cases = [(String, Program, [[Int64]], ProofOptions, SegmentSize)]()
        let standard = ProofOptions.standard, whole = SegmentSize.rows(1 << 20)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: programs)) ?? []).sorted()
        for name in names where !quick || ["collatz", "logistic_regression"].contains(name) {
            let folder = programs + "/" + name
            guard FileManager.default.fileExists(atPath: folder + "/\(name).zkasm") else { continue }
            let p = try ProgramLoading.load(folder + "/\(name).zkasm")
            let inputs = FileManager.default.fileExists(atPath: folder + "/input.json")
                ? try ProgramLoading.readInputs(folder + "/input.json") : []
            cases.append((name, p, try Machine(program: p).quantizeInputs(inputs), standard, whole))
        }
        func loop(_ log: Int) throws -> Program { try ProverBenchmarks.loopProgram(iterations: (1 << log) / 4 - 2) }
        // The 2^20-row loop three times: in one segment, in the default
        // segments of 2^17 CPU rows (the memory target: one segment's
        // witness and extended trace at a time), and the fast profile
        // (blowup 4, segments of 2^18 rows). The segmented ones run before the larger runs, the
        // smaller first, so each "peak so far" is its own or below it.
        var fast = standard
        fast.logBlowup = 2
        if quick {
            cases.append(("loop.2^12", try loop(12), [], standard, whole))
        } else {
            cases.append(("loop.2^16", try loop(16), [], standard, whole))
            cases.append(("loop.2^20.blowup4.segments2^18", try loop(20), [], fast, .rows(1 << 18)))
            cases.append(("loop.2^20.segments2^17", try loop(20), [], standard, .standard))
            cases.append(("loop.2^18", try loop(18), [], standard, whole))
            cases.append(("loop.2^20", try loop(20), [], standard, whole))
            for batch in [1, 10] {
                let (program, inputs) = try ProverBenchmarks.mlpProgram(batch: batch)
                cases.append(("mlp100k.batch\(batch)", program, inputs, standard, whole))
            }
        }
        for (name, program, inputs, options, segmentRows) in cases {
            progress("prove \(name)")
            let f = try ProverBenchmarks.measure(name: name, program: program, rawInputs: inputs, options: options,
                                                 segmentRows: segmentRows, threads: threads)
            report.add("prove.\(name).seconds", f.proveSeconds, "s", threads: threads,
                       note: "\(f.rows) rows in all tables, cpu \(f.cpuRows) rows in \(f.segments) segment(s), "
                           + "blowup \(options.blowup), \(f.queries) queries; execute + witness + prove")
            report.add("prove.\(name).rows-per-second", Double(f.rows) / f.proveSeconds, "rows/s", threads: threads)
            report.add("prove.\(name).verify", f.verifySeconds * 1000, "ms", threads: 1,
                       note: "against the verification key, decoding included; median of 3")
            report.add("prove.\(name).key-derivation", f.keySeconds, "s", threads: threads,
                       note: "export-vk / verify --program: commit the preprocessed columns")
            report.add("prove.\(name).key-size", Double(f.keyBytes), "bytes", threads: 1)
            report.add("prove.\(name).proof-size", Double(f.proofBytes) / 1024, "KiB", threads: threads,
                       note: String(format: "%.0f proven bits", f.provenBits))
            for (phase, seconds) in f.phases {
                report.add("prove.\(name).phase.\(phase)", seconds, "s", threads: threads)
            }
            let peak = ProverBenchmarks.peakMemoryMiB()
            report.add("prove.\(name).peak-memory", peak, "MiB", threads: threads, note: "process peak so far")
            if name.hasPrefix("loop.2^20") {
                report.targets.append(TargetCheck(name: "peak memory \(name) (MiB)", measured: peak,
                                                  target: "≤ 2048", met: peak <= 2048))
            }
            if name == "cnn" && !quick {
                report.targets.append(TargetCheck(name: "CNN proves end to end (s)", measured: f.proveSeconds,
                                                  target: "≤ 2", met: f.proveSeconds <= 2))
            }
            if !quick {
                report.targets.append(TargetCheck(name: "verify \(name) against its key (ms)", measured: f.verifySeconds * 1000,
                                                  target: "≤ 20", met: f.verifySeconds <= 0.02))
                report.targets.append(TargetCheck(name: "verification key \(name) (bytes)", measured: Double(f.keyBytes),
                                                  target: "≤ 2048", met: f.keyBytes <= 2048))
                report.targets.append(TargetCheck(name: "proof size \(name) (KiB)", measured: Double(f.proofBytes) / 1024,
                                                  target: "≤ 250", met: f.proofBytes <= 250 * 1024))
            }
            if name.hasPrefix("mlp100k") {
                let limit = name.hasSuffix("batch1") ? 1.0 : 3.0
                report.targets.append(TargetCheck(name: "100k-parameter MLP, \(name.dropFirst(8)) (s)", measured: f.proveSeconds,
                                                  target: "≤ \(Int(limit))", met: f.proveSeconds <= limit))
            }
            if name.hasPrefix("loop.2^20") {
                report.targets.append(TargetCheck(name: "prover throughput \(name) (rows/s)", measured: Double(f.rows) / f.proveSeconds,
                                                  target: "≥ 100000 (at 2^20 rows)", met: Double(f.rows) / f.proveSeconds >= 100_000))
            }
        }
    }

    /// The field, NTT, LDE and Merkle targets, evaluated on this run's figures.
    func checkTargets(_ report: inout BenchReport, rows: Int, width: Int) {
        if let one = report.value("ntt.2^20", threads: 1) {
            report.targets.append(TargetCheck(name: "NTT 2^20, one thread (ms)", measured: one, target: "≤ 15", met: one <= 15))
        }
        for log in [20, 22] where threads > 1 {
            if let one = report.value("ntt.2^\(log)", threads: 1), let many = report.value("ntt.2^\(log)", threads: threads) {
                let speedup = one / many
                report.targets.append(TargetCheck(name: "NTT 2^\(log) speed-up with \(threads) threads", measured: speedup,
                                                  target: "≥ 1.7×", met: speedup >= 1.7))
            }
        }
        let name = "merkle.commit.2^\(rows.trailingZeroBitCount)x\(width)"
        for t in Set([1, threads]).sorted() {
            guard let commit = report.value(name, threads: t), let sha = report.value("sha256.raw", threads: t) else { continue }
            // Raw SHA-256 time over the matrix bytes alone, and over every byte
            // the tree hashes (rows padded to 64-byte blocks plus 64 bytes per inner node).
            let dataBytes = Double(rows * width * 8)
            let hashedBytes = Double(rows * ((width * 8 + 63) / 64) * 64 + (rows - 1) * 64)
            let overData = commit / (dataBytes / (sha * 1e6) * 1e3)
            let overHashed = commit / (hashedBytes / (sha * 1e6) * 1e3)
            report.targets.append(TargetCheck(name: "Merkle commit ÷ raw SHA-256 of the hashed bytes, \(t) thread(s)",
                                              measured: overHashed, target: "≤ 1.3×", met: overHashed <= 1.3))
            report.targets.append(TargetCheck(name: "Merkle commit ÷ raw SHA-256 of the matrix bytes only, \(t) thread(s)",
                                              measured: overData, target: "≤ 1.3× (≥ 1.5× floor for a binary tree of 128-byte rows)",
                                              met: overData <= 1.3))
        }
    }
}
