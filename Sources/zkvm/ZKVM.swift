import ArgumentParser

/// The `zkvm` command-line tool.
@main
struct ZKVM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkvm",
        abstract: "Zero-knowledge proofs that an ML model, run on an input, produced an output.",
        discussion: """
            Later stages (asm, exec, prove, verify, import) arrive with their issues; \
            today the tool measures the arithmetic and commitment layer they build on.
            """,
        version: "0.1.0",
        subcommands: [Bench.self]
    )
}
