import AlgebraicHashing
import ArgumentParser
import Foundation
import Hashing
import ISA
import Parallel
import ProofFiles
import STARK
import VMArithmetization
import VMProver

/// Where a program's model files live by default: next to it, named after it.
enum ModelPaths {
    static func base(_ program: String) -> String {
        let url = URL(fileURLWithPath: program)
        return url.deletingPathExtension().path
    }
    /// The public commitment file.
    static func commitment(_ program: String) -> String { base(program) + ".commitment" }
    /// The secret seed of the commitment's salt (keep private, next to the weights).
    static func secret(_ program: String) -> String { base(program) + ".commitment-secret" }

    /// Reads a 32-byte secret seed, or creates one (mode 0600 from the
    /// start, never replacing a file) if `create` and no file exists. A file
    /// that exists but cannot be read is an error, never replaced; a seed
    /// readable by others is refused. (Distributed proving's seed files are
    /// `SegmentSeedFile`s.)
    static func loadSecret(_ path: String, create: Bool) throws -> [UInt8] {
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read the secret seed file '\(path)' (it exists; check its permissions)")
            }
            if let mode = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw CLIError("the secret seed file '\(path)' is readable by others (mode \(String(mode, radix: 8))): chmod 600 it")
            }
            guard data.count == 32 else {
                throw CLIError("\(path): a secret seed file holds 32 bytes, found \(data.count)")
            }
            return Array([UInt8](data).prefix(32))
        }
        guard create else { throw CLIError("cannot read the secret seed file '\(path)'") }
        let seed = SecureRandom.seed()
        try ProgramLoading.writeSecret(seed, to: path)
        return seed
    }

    /// Whether two paths name the same file (or would: the same resolved path).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        let (x, y) = (URL(fileURLWithPath: a).resolvingSymlinksInPath().path, URL(fileURLWithPath: b).resolvingSymlinksInPath().path)
        if x == y { return true }
        guard let ia = try? FileManager.default.attributesOfItem(atPath: a), let ib = try? FileManager.default.attributesOfItem(atPath: b)
        else { return false }
        return (ia[.systemFileNumber] as? Int) == (ib[.systemFileNumber] as? Int)
            && (ia[.systemNumber] as? Int) == (ib[.systemNumber] as? Int)
    }

    static func loadCommitment(_ path: String) throws -> ModelCommitment {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read the commitment file '\(path)' (make it with `zkvm commit`)")
        }
        do { return try ModelCommitment.decode([UInt8](data)) } catch { throw CLIError("\(path): \(error)") }
    }
}

/// `zkvm commit PROG`: the model commitment of a program's committed weights.
struct Commit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Commit to a program's committed weights (print the commitment, write PROG.commitment).",
        discussion: """
            The commitment is a salted Poseidon2 hash of the weights (Spec/zk.md §4), recomputed \
            inside every proof: a proof names it in its statement, and `zkvm verify` checks it \
            against the published one. The salt comes from a secret (32 random bytes, \
            PROG.commitment-secret unless --secret), created on first use and reused after; keep it \
            private, next to the weights: without it no proof names the commitment. The weights stay \
            hidden however many zero-knowledge proofs are made against one commitment. \
            With --json: {"program_digest", "commitment", "file"}.
            """)

    @Argument(help: "A .zkasm or .zkbin program with committed weights.") var program: String
    @Option(name: .shortAndLong, help: "Where to write the commitment (default: PROG.commitment).") var output: String?
    @Option(help: "The secret seed file (default: PROG.commitment-secret; created if missing).") var secret: String?
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        try reportingErrors {
            let p = try ProgramLoading.load(program)
            guard p.hasCommittedWeights else {
                throw CLIError("\(program): no committed weights (mark weights `committed` in the program, or import with --weights-visibility committed)")
            }
            let secretPath = secret ?? ModelPaths.secret(program)
            let path = output ?? ModelPaths.commitment(program)
            guard !ModelPaths.sameFile(secretPath, path) else { throw CLIError("the commitment would overwrite its secret '\(secretPath)'") }
            let seed = try ModelPaths.loadSecret(secretPath, create: true)
            let root: WeightCommitment
            do {
                guard let r = try VMProver.commitment(program: p, seed: seed) else { throw CLIError("no commitment") }
                root = r
            } catch let error as CLIError { throw error } catch { throw CLIError("\(program): \(error)") }
            let file = ModelCommitment(programDigest: p.digest, commitment: root)
            try ProgramLoading.writeAtomically(file.encoded(), to: path)
            if json {
                let object: [String: Any] = ["program_digest": p.digest.description, "commitment": root.description, "file": path]
                JSONOutput.print(object, command: "commit")
            } else {
                print("commitment \(root.description)")
                print("program \(p.digest.description) → \(path)")
            }
        }
    }
}

/// `zkvm export-vk PROG -o model.vk`: the verifier's file, without hidden weights.
struct ExportVK: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-vk",
        abstract: "Write a verification key: the program's digest, public tensors, preprocessed roots and weight commitment.",
        discussion: """
            The key commits the program's preprocessed columns (code, memory layout, lookup and \
            microcode tables) by their Merkle roots, so `zkvm verify proof.zkp --vk model.vk` costs \
            the same for any model. It holds no code and no weight value. A key is made for the \
            proof options it will verify (the blowup, and under zero knowledge the domains the \
            query count gives small tables; a few more queries share the key): give the same \
            --no-zk, --log-blowup and --queries as to `zkvm prove`.
            """)

    @Argument(help: "A .zkasm or .zkbin program.") var program: String
    @Option(name: .shortAndLong, help: "Where to write the key.") var output: String
    @Option(help: "The commitment file of committed weights (default: PROG.commitment).") var commitment: String?
    @Flag(name: .customLong("no-zk"), help: "A key for transparent proofs (`zkvm prove --no-zk`).") var noZeroKnowledge = false
    @Option(help: "log2 of the blowup factor the proofs use, 1…4 (3 or more with committed weights).") var logBlowup: Int?
    @Option(help: "FRI queries the proofs use (zero knowledge: they set the small tables' domains).") var queries: Int?
    @Option(help: "Worker threads.") var threads: Int = Parallel.defaultThreads
    @Flag(help: "Print one JSON object (Spec/cli-json.md).") var json = false

    func run() throws {
        try reportingErrors {
            let p = try ProgramLoading.load(program)
            let hasCommitted = p.hasCommittedWeights
            let file = hasCommitted ? try ModelPaths.loadCommitment(commitment ?? ModelPaths.commitment(program)) : nil
            var options = noZeroKnowledge ? ProofOptions.transparent : .standard
            if let logBlowup { options.logBlowup = logBlowup }
            if let queries { options.queries = queries }
            do { try options.validate() } catch { throw CLIError("\(error)") }
            let key: VerificationKey
            do { key = try VerificationKey(program: p, commitment: file, options: options, threads: threads) } catch {
                throw CLIError("\(program): \(error)")
            }
            let bytes = key.encoded()
            try ProgramLoading.writeAtomically(bytes, to: output)
            let hidden = p.tensors.filter { $0.kind == .weights && $0.visibility != .public }.map(\.count).reduce(0, +)
            if json {
                JSONOutput.print(["key_digest": key.digest.description, "program_digest": p.digest.description, "key_bytes": bytes.count,
                                  "hidden_weight_values": hidden, "file": output], command: "export-vk")
            } else {
                print("verification key \(key.digest.description) for program \(p.digest.description): \(bytes.count) bytes, \(hidden) hidden weight values left out → \(output)")
            }
        }
    }
}
