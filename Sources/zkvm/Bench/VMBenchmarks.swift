import Assembler
import Foundation
import ISA
import Trace
import VM

/// VM throughput on a matrix-heavy program: an MLP layer 784 → 64 with ReLU,
/// repeated by a loop, executed with and without trace recording.
enum VMBenchmarks {
    struct Figures {
        var macsPerSecond: Double
        var traceRowsPerSecond: Double
        var traceRawMBPerSecond: Double
        var compressionRatio: Double
        var rows: Int
    }

    static func program(repeats: Int) throws -> Program {
        var g = BenchRandom()
        let weights = (0..<784 * 64).map { _ in String(Int64(g.next() % 257) - 128) }.joined(separator: ", ")
        let source = """
        .input   x [1, 784] scale=8
        .weights W [784, 64] scale=8 raw [\(weights)]
        .output  h [1, 64] scale=8
            li r1, \(repeats)
        loop:
            matmul h, x, W
            map h, h, relu
            addi r1, r1, -1
            bnz r1, loop
            halt
        """
        return try Assembler.assemble(source, file: "bench.zkasm")
    }

    static func measure(repeats: Int, repetitions: Int) throws -> Figures {
        let p = try program(repeats: repeats)
        let machine = Machine(program: p)
        var g = BenchRandom()
        let input = [(0..<784).map { _ in Int64(g.next() % 256) }]
        var macs = 0
        let plain = Timing.median(repetitions: repetitions) {
            macs = (try? machine.run(rawInputs: input))?.multiplyAccumulates ?? 0
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zkvm-bench-\(getpid()).zkt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var rows = 0, raw = 0, stored = 0
        let traced = Timing.median(repetitions: repetitions) {
            guard let writer = try? TraceWriter(path: path, programDigest: p.digest) else { return }
            _ = try? machine.run(rawInputs: input, trace: writer)
            try? writer.finish()
            rows = writer.rowCounts.reduce(0, +)
            raw = writer.rawBytes
            stored = writer.compressedBytes
        }
        return Figures(macsPerSecond: Double(macs) / plain, traceRowsPerSecond: Double(rows) / traced,
                       traceRawMBPerSecond: Double(raw) / traced / 1e6,
                       compressionRatio: stored > 0 ? Double(raw) / Double(stored) : 0, rows: rows)
    }
}
