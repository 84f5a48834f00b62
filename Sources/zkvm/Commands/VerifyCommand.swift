import ArgumentParser
import Foundation
import Hashing
import ISA
import ProofFiles
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
    @Option(help: ArgumentHelp(
        "Require these public values: a JSON file with \"outputs\" as `zkvm exec --json` prints them and \"input_data\" (the public inputs, as in input.json).",
        discussion: "Every public output must be listed (by name, with \"raw\" or \"values\"), and input_data must hold every public input when the program has any. A valid proof of any other statement is refused."))
    var expectPublic: String?
    @Option(help: "With --vk: require the key's digest (hex, as `zkvm export-vk` and `zkvm check-vk` print it).")
    var keyDigest: String?

    func validate() throws {
        guard (program == nil) != (vk == nil) else { throw ValidationError("give exactly one of --program and --vk") }
        if vk != nil && commitment != nil { throw ValidationError("--commitment goes with --program; a key holds its commitment") }
        if keyDigest != nil && vk == nil { throw ValidationError("--key-digest goes with --vk") }
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
            let key: VerificationKey
            do { key = try VerificationKey.decode([UInt8](data)) } catch { throw CLIError("\(vk): \(error)") }
            if let keyDigest, keyDigest.lowercased() != key.digest.description {
                throw CLIError("\(vk): the key's digest is \(key.digest.description), not the required \(keyDigest)")
            }
            return .key(key)
        }
        let p = try ProgramLoading.load(program!)
        guard p.hasCommittedWeights else { return .program(p, nil) }
        let file = try ModelPaths.loadCommitment(commitment ?? ModelPaths.commitment(program!))
        guard file.programDigest == p.digest else { throw CLIError("the commitment file is for another program") }
        return .program(p, file)
    }

    /// Reads `--expect-public`: {"outputs": [{"name", "raw" | "values"}, …],
    /// "input_data": [[…], …]} — values quantized at each tensor's scale.
    static func readExpected(_ path: String, layout: PublicLayout) throws -> ExpectedPublicValues {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let outputs = object["outputs"] as? [[String: Any]] else {
            throw CLIError("\(path): expected {\"outputs\": [{\"name\", \"raw\" or \"values\"}, ...]} (the layout `zkvm exec --json` prints)")
        }
        func raw(_ entry: Any, scale: Int, path label: String) throws -> [Int64] {
            var values = [Double]()
            try ProgramLoading.flatten(entry, into: &values, path: label)
            return try values.enumerated().map { i, v in
                guard let q = FixedPoint.quantize(v, scale: scale) else { throw CLIError("\(label)[\(i)]: \(v) is not representable") }
                return q
            }
        }
        var byName = [String: [Int64]]()
        for (k, entry) in outputs.enumerated() {
            guard let name = entry["name"] as? String else { throw CLIError("\(path): outputs[\(k)] has no name") }
            guard byName[name] == nil else { throw CLIError("\(path): output '\(name)' is listed twice") }
            let scale = layout.outputs.first { $0.name == name }?.scale ?? 0
            if let r = entry["raw"] {
                var values = [Double]()
                try ProgramLoading.flatten(r, into: &values, path: "\(path) outputs[\(k)].raw")
                byName[name] = try values.map { v in
                    guard v == v.rounded(), let i = Int64(exactly: v) else { throw CLIError("\(path) outputs[\(k)].raw: \(v) is not an integer") }
                    return i
                }
            } else if let v = entry["values"] {
                byName[name] = try raw(v, scale: scale, path: "\(path) outputs[\(k)].values")
            } else {
                throw CLIError("\(path): outputs[\(k)] has neither raw nor values")
            }
        }
        var inputs: [[Int64]]?
        if let given = object["input_data"] {
            guard let lists = given as? [Any] else { throw CLIError("\(path): input_data must be a list of lists") }
            guard lists.count == layout.inputs.count else {
                throw CLIError("\(path): input_data has \(lists.count) lists; the proof has \(layout.inputs.count) public inputs")
            }
            inputs = try zip(lists, layout.inputs).enumerated().map { k, pair in
                try raw(pair.0, scale: pair.1.scale, path: "\(path) input_data[\(k)]")
            }
        }
        // A pin that leaves public inputs open would accept a proof made on
        // other inputs with the same outputs.
        if inputs == nil && !layout.inputs.isEmpty {
            throw CLIError("\(path): the proof has \(layout.inputs.count) public input(s): give them as input_data (the public inputs only, in declaration order)")
        }
        return ExpectedPublicValues(outputs: byName, inputs: inputs)
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
                if let expectPublic {
                    let expected = try Self.readExpected(expectPublic, layout: source.layout)
                    do { try expected.check(file.statement, layout: source.layout) } catch let mismatch as VMArithmetizationError {
                        throw OtherStatement(detail: mismatch.detail)
                    }
                }
            } catch {
                if json {
                    let object: [String: Any] = ["valid": false, "error": "\(error)"]
                    JSONOutput.print(object, command: "verify")
                    throw ExitCode.failure
                }
                if let other = error as? OtherStatement { throw CLIError("\(proof): \(other)") }
                throw CLIError("\(proof): invalid proof: \(error)")
            }
            let seconds = Prove.seconds(ContinuousClock.now - start)
            let outputs = source.layout.outputs, inputs = source.layout.inputs
            func values(_ t: PublicLayout.Tensor, _ raw: [Int64]) -> [Double] { raw.map { FixedPoint.dequantize($0, scale: t.scale) } }
            if json {
                let object: [String: Any] = [
                    "valid": true, "program_digest": source.digest.description,
                    "public_inputs": zip(inputs, file.statement.publicInputs).map {
                        ["name": $0.name, "scale": $0.scale, "raw": $1, "values": values($0, $1)] as [String: Any]
                    },
                    "public_outputs": zip(outputs, file.statement.publicOutputs).map {
                        ["name": $0.name, "scale": $0.scale, "raw": $1, "values": values($0, $1)] as [String: Any]
                    },
                    "proven_bits": level.provenBits, "conjectured_bits": level.conjecturedBits, "seconds": seconds,
                    "segments": file.segments.count, "commitment": model?.commitment.description ?? NSNull(),
                    "key_digest": source.keyDigest?.description ?? NSNull(),
                ]
                JSONOutput.print(object, command: "verify")
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

/// A valid proof whose statement is not the one `--expect-public` requires.
struct OtherStatement: Error, CustomStringConvertible {
    let detail: String
    var description: String { "a valid proof, but of another statement: \(detail)" }
}
