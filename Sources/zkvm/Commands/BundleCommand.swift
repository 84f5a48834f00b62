import ArgumentParser
import Foundation
import ProofFiles
import VMArithmetization

/// `zkvm bundle seg0.zkvs seg1.zkvs … -o proof.zkp`
struct Bundle: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bundle segment proofs (from `zkvm prove --segment K --bindings …`) into one .zkp.",
        discussion: """
            Distributed proving: every machine runs `zkvm prove PROG --input … --segment K --commit-only \
            -o K.zkvb`; the bindings are gathered; every machine runs `zkvm prove PROG --input … \
            --segment K --bindings *.zkvb -o K.zkvs`; then `zkvm bundle *.zkvs -o proof.zkp`. All runs \
            need the same program, input, --segment-rows and proof options. The bundle is checked only \
            for completeness here; `zkvm verify` checks the proofs.
            """)

    @Argument(help: "Segment proofs (.zkvs), every segment of one run once, in any order.") var parts: [String]
    @Option(name: .shortAndLong, help: "Where to write the proof.") var output: String
    @Flag(help: "Print one JSON object (Spec/cli-json.md).") var json = false

    func run() throws {
        try reportingErrors {
            var decoded = [VMSegmentProof]()
            for path in parts {
                guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
                do { decoded.append(try VMSegmentProof.decode([UInt8](data))) } catch { throw CLIError("\(path): \(error)") }
            }
            let file: VMProofFile
            do { file = try VMSegmentProof.bundle(decoded) } catch { throw CLIError("\(error)") }
            let bytes = file.encoded()
            try ProgramLoading.writeAtomically(bytes, to: output)
            if json {
                JSONOutput.print(["segments": file.segments.count, "proof_bytes": bytes.count, "file": output], command: "bundle")
            } else {
                print("\(file.segments.count) segments, \(bytes.count) bytes → \(output)")
            }
        }
    }
}
