import ArgumentParser
import Foundation
import ISA
import Trace
import VM

/// `zkvm exec PROG --input input.json [--json] [--max-steps N]`
struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program on an input and print its outputs, steps and lookups.",
        discussion: """
            Inputs follow EZKL's input.json: {"input_data": [[...], ...]}, one flat list of \
            real numbers per input tensor in declaration order, quantized at each tensor's scale. \
            With --json the result is one object: {"outputs": [{"name", "shape", "scale", "raw", \
            "values"}], "steps", "lookups": {table: count}, "clamped_lookups": {table: count}, "multiply_accumulates", "seconds"}; \
            a clamped lookup's input lay beyond its table's declared domain where the function still changes (a warning on stderr).
            """)

    @Argument(help: "A .zkasm or .zkbin program.") var program: String
    @Option(help: "EZKL-style input.json (omit for programs without inputs).") var input: String?
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Stop with an error after this many steps.") var maxSteps: Int = 1 << 32
    @Option(help: "Write the execution trace (zstd-compressed .zkt) to this file.") var trace: String?

    func validate() throws {
        guard maxSteps >= 1 else { throw ValidationError("--max-steps must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let p = try ProgramLoading.load(program)
            let inputs = try input.map(ProgramLoading.readInputs) ?? []
            let machine = Machine(program: p)
            let writer: TraceWriter?
            do { writer = try trace.map { try TraceWriter(path: $0, programDigest: p.digest) } } catch { throw CLIError("\(error)") }
            let start = DispatchTime.now().uptimeNanoseconds
            let result: ExecutionResult
            do {
                result = try machine.run(inputs: inputs, maxSteps: maxSteps, trace: writer)
                do { try writer?.finish() } catch { throw CLIError("\(error)") }
            } catch let error as VMError {
                writer?.abandon()
                var message = "\(program): \(error)"
                if let pc = error.pc, pc < p.sourceLines.count {
                    message = "\(program):\(p.sourceLines[pc]): error: \(error)"
                }
                throw CLIError(message)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            func name(_ t: LookupTableSpec) -> String {
                "\(t.function.rawValue)(in=\(t.inputScale),out=\(t.outputScale)"
                    + (t.hasFullDomain ? ")" : ",lo=\(t.inputLow),hi=\(t.inputHigh))")
            }
            let lookups = Dictionary(p.tables.enumerated().map { (k, t) in (name(t), result.lookups[k]) }, uniquingKeysWith: +)
            let clamped = Dictionary(p.tables.enumerated().filter { result.clampedLookups[$0.offset] > 0 }
                                        .map { (k, t) in (name(t), result.clampedLookups[k]) }, uniquingKeysWith: +)
            for (table, count) in clamped.sorted(by: { $0.key < $1.key }) {
                FileHandle.standardError.write(Data(("warning: \(count) lookup(s) of \(table) had inputs beyond its declared domain, "
                    + "where the function still changes: their results are clamped (calibrate on inputs like these)\n").utf8))
            }
            if json {
                let object: [String: Any] = [
                    "outputs": result.outputs.map { o in
                        ["name": o.name, "shape": o.shape, "scale": o.scale, "raw": o.raw, "values": o.values] as [String: Any]
                    },
                    "steps": result.steps, "lookups": lookups, "clamped_lookups": clamped,
                    "multiply_accumulates": result.multiplyAccumulates, "seconds": seconds,
                ]
                JSONOutput.print(object, command: "exec")
            } else {
                for o in result.outputs {
                    print("\(o.name) \(o.shape) scale \(o.scale)")
                    print("  raw:    \(o.raw)")
                    print("  values: \(o.values)")
                }
                print("steps: \(result.steps), multiply-accumulates: \(result.multiplyAccumulates), time: \(String(format: "%.6f", seconds)) s")
                for (name, count) in lookups.sorted(by: { $0.key < $1.key }) { print("lookups \(name): \(count)") }
            }
        }
    }
}
