import ArgumentParser
import Foundation
import ISA
import Trace

/// `zkvm trace run.zkt`: summarize, print, filter and export a dump.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Read a .zkt execution trace: summary, rows, filters, JSON or CSV export.",
        discussion: """
            Without --rows, --opcode or --table it prints a summary: rows per stream, \
            executed instructions per opcode, lookups per table and the compression ratio. \
            --rows A..B, --opcode NAME and --table N select rows of the cpu stream (or of \
            --stream); --format json|csv exports the selection.
            """)

    @Argument(help: "The .zkt file.") var path: String
    @Option(help: "Stream to print rows from: cpu, memory, lookup, mac.") var stream: String = "cpu"
    @Option(help: "Row range A..B (half-open) of the selected stream.") var rows: String?
    @Option(help: "Only cpu rows of this opcode (e.g. matmul).") var opcode: String?
    @Option(help: "Only lookup rows of this table index.") var table: Int?
    @Option(help: "Output format: text (default), json or csv.") var format: String = "text"

    func run() throws {
        try reportingErrors {
            guard let selected = TraceStream.allCases.first(where: { $0.name == stream }) else {
                throw CLIError("unknown stream '\(stream)' (cpu, memory, lookup, mac)")
            }
            guard ["text", "json", "csv"].contains(format) else { throw CLIError("--format must be text, json or csv") }
            var range: Range<Int>? = nil
            if let rows {
                let parts = rows.components(separatedBy: "..")
                guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, a <= b else {
                    throw CLIError("--rows takes A..B with 0 ≤ A ≤ B")
                }
                range = a..<b
            }
            var opcodeFilter: Int64? = nil
            if let opcode {
                guard let op = Opcode.allCases.first(where: { $0.mnemonic == opcode.lowercased() }) else {
                    throw CLIError("unknown opcode '\(opcode)'")
                }
                opcodeFilter = Int64(op.rawValue)
            }
            if table != nil && opcodeFilter != nil { throw CLIError("--table selects lookup rows and --opcode cpu rows; give one") }
            if (table != nil && stream != "lookup" && stream != "cpu") || (opcodeFilter != nil && stream != "cpu") {
                throw CLIError("--table applies to the lookup stream and --opcode to the cpu stream")
            }
            let target = table != nil ? TraceStream.lookup : (opcodeFilter != nil ? TraceStream.cpu : selected)
            let listing = range != nil || opcodeFilter != nil || table != nil || format != "text"
            let reader: TraceReader
            do { reader = try TraceReader(path: path) } catch { throw CLIError("\(path): \(error)") }
            var opcodeCounts: [Int64: Int] = [:], tableCounts: [Int64: Int] = [:]
            var index: [TraceStream: Int] = [:]
            var selectedRows: [[Int64]] = []
            do {
                while let chunk = try reader.nextChunk() {
                    let base = index[chunk.stream, default: 0]
                    index[chunk.stream] = base + chunk.rows
                    if chunk.stream == .cpu { for op in chunk.columns[2] { opcodeCounts[op, default: 0] += 1 } }
                    if chunk.stream == .lookup { for t in chunk.columns[1] { tableCounts[t, default: 0] += 1 } }
                    guard listing, chunk.stream == target else { continue }
                    for r in 0..<chunk.rows {
                        if let range, !range.contains(base + r) { continue }
                        if let opcodeFilter, chunk.columns[2][r] != opcodeFilter { continue }
                        if let table, chunk.columns[1][r] != Int64(table) { continue }
                        selectedRows.append(chunk.columns.map { $0[r] })
                    }
                }
            } catch { throw CLIError("\(path): \(error)") }
            if !listing {
                print("trace \(path)")
                print("program digest: \(reader.programDigest)")
                for s in TraceStream.allCases { print("\(s.name) rows: \(reader.totalRows[s] ?? 0)") }
                for (op, count) in opcodeCounts.sorted(by: { $0.key < $1.key }) {
                    print("  \(Opcode(rawValue: UInt8(truncatingIfNeeded: op))?.mnemonic ?? "op\(op)"): \(count)")
                }
                for (t, count) in tableCounts.sorted(by: { $0.key < $1.key }) { print("lookups table \(t): \(count)") }
                let ratio = reader.compressedBytes > 0 ? Double(reader.rawBytes) / Double(reader.compressedBytes) : 0
                print("raw \(reader.rawBytes) bytes, compressed \(reader.compressedBytes) bytes (\(String(format: "%.2f", ratio))×), file \(reader.fileSize) bytes")
                return
            }
            let columns = target.columns
            switch format {
            case "json":
                let objects = selectedRows.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
                JSONOutput.print(["stream": target.name, "rows": objects], command: "trace")
            case "csv":
                print(columns.joined(separator: ","))
                for row in selectedRows { print(row.map(String.init).joined(separator: ",")) }
            default:
                print(columns.joined(separator: "\t"))
                for row in selectedRows {
                    var cells = row.map(String.init)
                    if target == .cpu, let op = Opcode(rawValue: UInt8(truncatingIfNeeded: row[2])) { cells[2] = op.mnemonic }
                    print(cells.joined(separator: "\t"))
                }
            }
        }
    }
}
