import ArgumentParser
import Foundation
import Parallel
import ProofFiles
import VMArithmetization

/// `zkvm check-vk model.vk --program PROG`: is this key the program's?
struct CheckVK: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-vk",
        abstract: "Check that a verification key is the one a program derives (exit 0 only then).",
        discussion: """
            A key names a program digest, but only its roots, layout and commitment decide which \
            proofs it accepts. This derives the key from the program again (with the key's blowup, \
            table domains and commitment) and compares every byte, then prints the key's \
            digest: the value to pin and publish.
            """)

    @Argument(help: "The verification key to check.") var vk: String
    @Option(help: "The .zkasm or .zkbin program (its public part suffices).") var program: String
    @Option(help: "Worker threads.") var threads: Int = Parallel.defaultThreads
    @Flag(help: "Print one JSON object (Spec/cli-json.md).") var json = false

    func run() throws {
        try reportingErrors {
            guard let data = FileManager.default.contents(atPath: vk) else { throw CLIError("cannot read '\(vk)'") }
            let key: VerificationKey
            do { key = try VerificationKey.decode([UInt8](data)) } catch { throw CLIError("\(vk): \(error)") }
            let p = try ProgramLoading.load(program)
            do { try key.check(program: p, threads: threads) } catch { throw CLIError("\(vk): \(error)") }
            if json {
                JSONOutput.print(["key_digest": key.digest.description, "program_digest": p.digest.description], command: "check-vk")
            } else {
                print("verification key \(key.digest.description) is program \(p.digest.description)'s")
            }
        }
    }
}
