import ArgumentParser
import Foundation
import Hashing
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
    @Option(help: "A verification key from `zkvm export-vk`: the program's digest, public tensors, preprocessed roots and weight commitment.") var vk: String?
    @Option(help: "With --program and committed weights: the commitment file (default: PROG.commitment).") var commitment: String?
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Minimum proven security in bits.") var minBits: Double = 100

    func validate() throws {
        guard (program == nil) != (vk == nil) else { throw ValidationError("give exactly one of --program and --vk") }
        if vk != nil && commitment != nil { throw ValidationError("--commitment goes with --program; a key holds its commitment") }
    }

    /// What the proof is checked against: a verification key, or a program
    /// (its key is derived from it, at a cost linear in its size).
    enum Source {
        case key(VerificationKey)
        case program(Program, ModelCommitment?)

        var digest: Digest {
            switch self {
            case .key(let key): return key.programDigest
            case .program(let p, _): return p.digest
            }
        }
        var layout: PublicLayout {
            switch self {
            case .key(let key): return key.layout
            case .program(let p, _): return PublicLayout(program: p)
            }
        }
        /// The key's digest (the identity to pin), when verifying against a key.
        var keyDigest: Digest? {
            if case .key(let key) = self { return key.digest }
            return nil
        }
        var commitment: ModelCommitment? {
            switch self {
            case .key(let key): return key.commitment
            case .program(_, let c): return c
            }
        }
    }

    func loadSource() throws -> Source {
        if let vk {
            guard let data = FileManager.default.contents(atPath: vk) else { throw CLIError("cannot read '\(vk)'") }
            do { return .key(try VerificationKey.decode([UInt8](data))) } catch { throw CLIError("\(vk): \(error)") }
        }
        let p = try ProgramLoading.load(program!)
        guard p.hasCommittedWeights else { return .program(p, nil) }
        let file = try ModelPaths.loadCommitment(commitment ?? ModelPaths.commitment(program!))
        guard file.programDigest == p.digest else { throw CLIError("the commitment file is for another program") }
        return .program(p, file)
    }

    func run() throws {
        try reportingErrors {
            let source = try loadSource()
            let model = source.commitment
            guard let data = FileManager.default.contents(atPath: proof) else { throw CLIError("cannot read '\(proof)'") }
            let start = ContinuousClock.now
            let file: VMProofFile
            let level: SecurityLevel
            do {
                file = try VMProofFile.decode([UInt8](data))
                let policy = VerifierPolicy(minimumProvenBits: minBits)
                switch source {
                case .key(let key): level = try VMVerifier.verify(file, key: key, policy: policy)
                case .program(let p, let c): level = try VMVerifier.verify(file, program: p, commitment: c?.commitment, policy: policy)
                }
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
            let outputs = source.layout.outputs, inputs = source.layout.inputs
            func values(_ t: PublicLayout.Tensor, _ raw: [Int64]) -> [Double] { raw.map { FixedPoint.dequantize($0, scale: t.scale) } }
            if json {
                let object: [String: Any] = [
                    "valid": true, "program_digest": source.digest.description,
                    "public_inputs": zip(inputs, file.statement.publicInputs).map { ["name": $0.name, "raw": $1, "values": values($0, $1)] as [String: Any] },
                    "public_outputs": zip(outputs, file.statement.publicOutputs).map { ["name": $0.name, "raw": $1, "values": values($0, $1)] as [String: Any] },
                    "proven_bits": level.provenBits, "conjectured_bits": level.conjecturedBits, "seconds": seconds,
                    "segments": file.segments.count, "commitment": model?.commitment.description ?? NSNull(),
                    "key_digest": source.keyDigest?.description ?? NSNull(),
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("valid proof (\(file.segments.count) segment\(file.segments.count == 1 ? "" : "s"))")
                if let keyDigest = source.keyDigest {
                    print("verification key \(keyDigest.description) (names program \(source.digest.description); `zkvm check-vk` confirms it)")
                } else {
                    print("program \(source.digest.description)")
                }
                if let model { print("committed weights \(model.commitment.description)") }
                for (t, raw) in zip(inputs, file.statement.publicInputs) { print("public input \(t.name): \(values(t, raw))") }
                for (t, raw) in zip(outputs, file.statement.publicOutputs) { print("public output \(t.name): \(values(t, raw))") }
                print("security: \(level)")
                print(String(format: "verified in %.3f ms", seconds * 1000))
            }
        }
    }
}
