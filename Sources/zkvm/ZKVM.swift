import ArgumentParser

/// The `zkvm` command-line tool.
@main
struct ZKVM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkvm",
        abstract: "Zero-knowledge proofs that an ML model, run on an input, produced an output.",
        discussion: """
            Programs are .zkasm text or .zkbin bytecode. Proving, verification and model \
            import arrive with later issues.
            """,
        version: "0.1.0",
        subcommands: [Asm.self, Disasm.self, Exec.self, TraceCommand.self, Bench.self]
    )
}
