import ArgumentParser
import Foundation
import ISA
import STARK
import Verifier
import VMArithmetization
import VMVerifier

/// `zkvm verify proof.zkp --program PROG`
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a proof against a program; exit 0 only if it is valid.",
        discussion: """
            Prints the program digest, the public inputs and outputs the proof binds, and the \
            security level. Proofs below --min-bits proven bits are rejected, not accepted at \
            lower security. With --json: {"valid", "program_digest", "public_inputs", \
            "public_outputs", "proven_bits", "conjectured_bits", "seconds", "segments"} (or {"valid": false, "error"}).
            """)

    @Argument(help: "The .zkp proof file.") var proof: String
    @Option(help: "The .zkasm or .zkbin program the proof must be for (or give --vk).") var program: String?
    @Option(help: "A verification key from `zkvm export-vk`: the program's public part and its weight commitment.") var vk: String?
    @Option(help: "With --program and committed weights: the commitment file (default: PROG.commitment).") var commitment: String?
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Minimum proven security in bits.") var minBits: Double = 100

    func validate() throws {
        guard (program == nil) != (vk == nil) else { throw ValidationError("give exactly one of --program and --vk") }
        if vk != nil && commitment != nil { throw ValidationError("--commitment goes with --program; a key holds its commitment") }
    }

    /// The program (its public part suffices) and the commitment its committed weights must match.
    func loadStatementSource() throws -> (Program, ModelCommitment?) {
        if let vk {
            guard let data = FileManager.default.contents(atPath: vk) else { throw CLIError("cannot read '\(vk)'") }
            do {
                let key = try VerificationKey.decode([UInt8](data))
                return (key.program, key.commitment)
            } catch { throw CLIError("\(vk): \(error)") }
        }
        let p = try ProgramLoading.load(program!)
        guard p.hasCommittedWeights else { return (p, nil) }
        let file = try ModelPaths.loadCommitment(commitment ?? ModelPaths.commitment(program!))
        guard file.programDigest == p.digest else { throw CLIError("the commitment file is for another program") }
        return (p, file)
    }

    func run() throws {
        try reportingErrors {
            let (p, model) = try loadStatementSource()
            guard let data = FileManager.default.contents(atPath: proof) else { throw CLIError("cannot read '\(proof)'") }
            let start = ContinuousClock.now
            let file: VMProofFile
            let level: SecurityLevel
            do {
                file = try VMProofFile.decode([UInt8](data))
                level = try VMVerifier.verify(file, program: p, commitment: model?.commitment,
                                              policy: VerifierPolicy(minimumProvenBits: minBits))
            } catch {
                if json {
                    let object: [String: Any] = ["valid": false, "error": "\(error)"]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                    throw ExitCode.failure
                }
                throw CLIError("\(proof): invalid proof: \(error)")
            }
            let seconds = Prove.seconds(ContinuousClock.now - start)
            let outputs = p.tensors.filter { $0.kind == .output && $0.visibility == .public }
            let inputs = p.tensors.filter { $0.kind == .input && $0.visibility == .public }
            func values(_ t: TensorDeclaration, _ raw: [Int64]) -> [Double] { raw.map { FixedPoint.dequantize($0, scale: t.scale) } }
            if json {
                let object: [String: Any] = [
                    "valid": true, "program_digest": p.digest.description,
                    "public_inputs": zip(inputs, file.statement.publicInputs).map { ["name": $0.name, "raw": $1, "values": values($0, $1)] as [String: Any] },
                    "public_outputs": zip(outputs, file.statement.publicOutputs).map { ["name": $0.name, "raw": $1, "values": values($0, $1)] as [String: Any] },
                    "proven_bits": level.provenBits, "conjectured_bits": level.conjecturedBits, "seconds": seconds,
                    "segments": file.segments.count, "commitment": model?.commitment.description ?? NSNull(),
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("valid proof (\(file.segments.count) segment\(file.segments.count == 1 ? "" : "s"))")
                print("program \(p.digest.description)")
                if let model { print("committed weights \(model.commitment.description)") }
                for (t, raw) in zip(inputs, file.statement.publicInputs) { print("public input \(t.name): \(values(t, raw))") }
                for (t, raw) in zip(outputs, file.statement.publicOutputs) { print("public output \(t.name): \(values(t, raw))") }
                print("security: \(level)")
                print(String(format: "verified in %.3f ms", seconds * 1000))
            }
        }
    }
}
