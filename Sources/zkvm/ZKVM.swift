import ArgumentParser
import Parallel

/// The `zkvm` command-line tool.
@main
struct ZKVM: ParsableCommand {
    static func main() {
        LargeBuffers.keepFreedMemory()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "zkvm",
        abstract: "Zero-knowledge proofs that an ML model, run on an input, produced an output.",
        discussion: """
            Programs are .zkasm text or .zkbin bytecode. `zkvm prove` runs a program and proves \
            the run; `zkvm verify` checks the proof against the program. `zkvm import` turns an \
            ONNX model into a program.
            """,
        version: "0.1.0",
        subcommands: [Import.self, Asm.self, Disasm.self, Exec.self, TraceCommand.self, Commit.self, Prove.self, Bundle.self, ExportVK.self, CheckVK.self, Verify.self, Bench.self]
    )
}
