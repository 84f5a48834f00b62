import Foundation
import Testing
import Assembler
import ISA
import Trace
import VM

@Suite struct TraceTests {
    static let source = """
    .input  x [1, 4] scale=8
    .weights W [4, 3] scale=8 data [0.5, -0.25, 1, 0.125, 0.5, -1, 0, 0.75, 0.25, -0.5, 0.5, 0.5]
    .output y [1, 3] scale=8
    .output s [] scale=8
        li r1, 3
    loop:
        matmul y, x, W
        map y, y, sigmoid
        addi r1, r1, -1
        bnz r1, loop
        reduce s, y, sum
        ld r2, [s]
        st r2, [s]
        halt
    """

    static func path() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("zkvm-trace-\(UUID().uuidString).zkt").path
    }

    static func readAll(_ path: String) throws -> (TraceReader, [TraceStream: [[Int64]]]) {
        let reader = try TraceReader(path: path)
        var columns: [TraceStream: [[Int64]]] = [:]
        while let chunk = try reader.nextChunk() {
            var existing = columns[chunk.stream] ?? chunk.columns.map { _ in [] }
            for c in 0..<chunk.columns.count { existing[c] += chunk.columns[c] }
            columns[chunk.stream] = existing
        }
        return (reader, columns)
    }

    /// The dump holds exactly what the VM did: one cpu row per step, one mac
    /// row per multiply-accumulate, one lookup row per lookup, in order.
    @Test func recordsEveryEventAndReadsBack() throws {
        let program = try Assembler.assemble(Self.source)
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TraceWriter(path: path, programDigest: program.digest, chunkRows: 7)
        let result = try Machine(program: program).run(inputs: [[0.5, -1, 2, 0.25]], trace: writer)
        try writer.finish()
        let (reader, streams) = try Self.readAll(path)
        #expect(reader.programDigest == program.digest)
        let cpu = streams[.cpu]!
        #expect(cpu[0].count == result.steps)
        #expect(cpu[0] == (0..<result.steps).map(Int64.init), "clock column")
        #expect(Array(cpu[2].prefix(2)) == [Int64(Opcode.li.rawValue), Int64(Opcode.matmul.rawValue)])
        #expect(cpu[2].last == Int64(Opcode.halt.rawValue))
        // next_pc of each row is the pc of the following row.
        #expect(Array(cpu[12].dropLast()) == Array(cpu[1].dropFirst()))
        #expect(streams[.mac]![0].count == result.multiplyAccumulates)
        #expect(streams[.lookup]![0].count == result.lookups.reduce(0, +))
        // The final matmul accumulators rescale to the outputs before sigmoid.
        let memory = streams[.memory]!
        #expect(memory[3].contains(1) && memory[3].contains(0))
        #expect(reader.totalRows[.cpu] == result.steps)
    }

    /// The prover's in-memory step log holds exactly the dump's cpu stream,
    /// and forwards the whole run to a dump it wraps (one run, both records).
    @Test func stepLogMatchesTheDumpsCPUStream() throws {
        let program = try Assembler.assemble(Self.source)
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TraceWriter(path: path, programDigest: program.digest, chunkRows: 5)
        let log = StepLog(forwardingTo: writer)
        #expect(log.recordsDetail)
        let result = try Machine(program: program).run(inputs: [[0.5, -1, 2, 0.25]], trace: log)
        try writer.finish()
        let (_, streams) = try Self.readAll(path)
        let cpu = streams[.cpu]!
        #expect(log.steps.count == result.steps)
        let fromLog: [[Int64]] = [\StepRecord.clock, \.pc, \.opcode, \.rd, \.ra, \.rb, \.rc, \.imm, \.a, \.b, \.c, \.result,
                                  \.nextPC].map { field in log.steps.map { $0[keyPath: field] } }
        #expect(fromLog == cpu)
        #expect(streams[.mac]![0].count == result.multiplyAccumulates)
        #expect(streams[.lookup]![0].count == result.lookups.reduce(0, +))

        // Without a dump the log asks for steps only, and gets the same ones.
        let alone = StepLog()
        #expect(!alone.recordsDetail)
        _ = try Machine(program: program).run(inputs: [[0.5, -1, 2, 0.25]], trace: alone)
        #expect(alone.steps == log.steps)
    }

    @Test func corruptionIsDetectedWithOffsets() throws {
        let program = try Assembler.assemble(Self.source)
        let path = Self.path()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TraceWriter(path: path, programDigest: program.digest, chunkRows: 16)
        _ = try Machine(program: program).run(inputs: [[0.5, -1, 2, 0.25]], trace: writer)
        try writer.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let corrupt = Self.path()
        defer { try? FileManager.default.removeItem(atPath: corrupt) }
        // Every truncation fails; flips in the data fail (checksums), never crash.
        var failures = 0
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: corrupt))
            do { _ = try Self.readAll(corrupt) } catch let e as TraceError {
                failures += 1
                if case .io = e { Issue.record("unexpected io error \(e)") }
            }
        }
        #expect(failures == (0..<bytes.count).filter { $0 % max(1, bytes.count / 97) == 0 }.count)
        var accepted = 0
        for position in stride(from: 4, to: bytes.count, by: 3) {
            var m = bytes
            m[position] ^= 0x10
            try m.write(to: URL(fileURLWithPath: corrupt))
            if (try? Self.readAll(corrupt)) != nil { accepted += 1 }
        }
        // Header and chunk checksums catch every flip.
        #expect(accepted == 0)
        var m = bytes
        m[0] = 0
        try m.write(to: URL(fileURLWithPath: corrupt))
        #expect(throws: TraceError.badMagic) { _ = try Self.readAll(corrupt) }
    }

    @Test func abandonedWritersLeaveNoFile() throws {
        let path = Self.path()
        do {
            let writer = try TraceWriter(path: path, programDigest: .zero)
            try writer.record(.memory, 1, 2, 3, 0)
            writer.abandon()
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix(URL(fileURLWithPath: path).lastPathComponent) }.isEmpty)
    }
}
