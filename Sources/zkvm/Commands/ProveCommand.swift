import AlgebraicHashing
import ArgumentParser
import Foundation
import Hashing
import ISA
import ProofFiles
import Prover
import Parallel
import STARK
import Trace
import VM
import VMArithmetization
import VMProver

/// `zkvm prove PROG --input input.json -o proof.zkp`
struct Prove: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a program on an input and prove the run (a .zkp proof file).",
        discussion: """
            The proof states: this program (by digest), run on its public inputs, produced its \
            public outputs; private inputs stay in the witness. A run longer than --segment-rows \
            is split into segments, proven one after another with shared challenges and bundled \
            in one file. Progress goes to stderr. With --json one object is printed: {"steps", \
            "rows", "segments": [{"tables": [{"name", "rows", "cells"}]}], "phases": [{"name", "seconds"}], \
            "prove_seconds", "proof_bytes", "queries", "proven_bits", "conjectured_bits", \
            "program_digest"}; a table's "cells" are the base-field cells the prover commits for \
            it over its domain (main, LogUp and quotient columns, and the zero-knowledge FRI mask).
            """)

    @Argument(help: "A .zkasm or .zkbin program.") var program: String
    @Option(help: "EZKL-style input.json (omit for programs without inputs).") var input: String?
    @Option(name: .shortAndLong, help: "Where to write the proof.") var output: String
    @Flag(help: "Print one JSON object (Spec/cli-json.md).") var json = false
    @Option(help: "Progress on stderr: auto (text on a terminal unless --json), text, json (one object per line) or none.")
    var progress: ProgressMode = .auto
    @Option(help: "Stop with an error after this many steps.") var maxSteps: Int = 1 << 26
    @Option(help: "FRI queries (default: 79, raised for long segmented runs until ≥ 110 proven bits).") var queries: Int?
    @Option(help: "log2 of the blowup factor, 1…4 (3 or more with committed weights: the Poseidon2 table's degree-7 constraints).")
    var logBlowup: Int?
    @Option(help: "Proof-of-work bits before the queries.") var grinding: Int?
    @Option(help: "log2 of the FRI folding arity, 1…4.") var logFoldingArity: Int?
    @Option(help: "Worker threads.") var threads: Int = Parallel.defaultThreads
    @Option(help: ArgumentHelp("Most CPU rows and tensor rows per segment (default: 131072 CPU rows, 1048576 tensor rows).",
                               discussion: "Prover memory follows the segment, about 12–15 KiB per row at blowup 8: the default keeps a long scalar run under 2 GiB per segment and a model's tensor work in one segment."))
    var segmentRows: Int?
    @Option(help: ArgumentHelp("Distributed proving: work on this segment only (0-based).",
                               discussion: "With --commit-only, write its binding (.zkvb); with --bindings, its proof (.zkvs) for `zkvm bundle`."))
    var segment: Int?
    @Flag(help: "With --segment: commit the segment's main trace and write its binding only.") var commitOnly = false
    @Option(parsing: .upToNextOption, help: "With --segment: every segment's binding file, in any order.") var bindings: [String] = []
    @Flag(name: .customLong("no-zk"),
          help: "Transparent proof: no zero-knowledge masking (smaller and faster; private inputs are NOT hidden).")
    var noZeroKnowledge = false
    @Option(help: "With committed weights: the commitment's secret seed (default: PROG.commitment-secret, from `zkvm commit`).")
    var commitmentSecret: String?
    @Option(help: ArgumentHelp("With --segment and zero knowledge: this segment proof's secret mask seed (32 bytes).",
                               discussion: "--commit-only creates it (a new file for every segment proof); --bindings reads it again. Keep it private, delete it after."))
    var seedFile: String?
    @Option(help: ArgumentHelp("Also write the run's execution trace (zstd-compressed .zkt) to this file.",
                               discussion: "Recorded while the proof is made, from the same run; written only if proving succeeds."))
    var trace: String?

    /// `--segment-rows` of each, or the default.
    var segmentSize: SegmentSize { segmentRows.map(SegmentSize.rows) ?? .standard }

    func validate() throws {
        guard maxSteps >= 1 else { throw ValidationError("--max-steps must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if let segmentRows, segmentRows < 8 { throw ValidationError("--segment-rows must be at least 8") }
        if let segment {
            guard segment >= 0 else { throw ValidationError("--segment must be at least 0") }
            guard commitOnly != !bindings.isEmpty else {
                throw ValidationError("--segment needs either --commit-only or --bindings")
            }
        } else if commitOnly || !bindings.isEmpty {
            throw ValidationError("--commit-only and --bindings need --segment")
        }
        if trace != nil, segment != nil { throw ValidationError("--trace goes with whole-run proving, not --segment") }
    }


    func run() throws {
        try reportingErrors {
            let p = try ProgramLoading.load(program)
            let inputs = try input.map(ProgramLoading.readInputs) ?? []
            var options = noZeroKnowledge ? ProofOptions.transparent : .standard
            if let queries { options.queries = queries }
            if let logBlowup { options.logBlowup = logBlowup }
            if let grinding { options.grindingBits = grinding }
            if let logFoldingArity { options.logFoldingArity = logFoldingArity }
            do { try options.validate() } catch { throw CLIError("\(error)") }
            let raw: [[Int64]]
            do { raw = try Machine(program: p).quantizeInputs(inputs) } catch { throw CLIError("\(program): \(error)") }
            // Committed weights: the proof must carry the published commitment, made with the same secret.
            let hasCommitted = p.hasCommittedWeights
            var commitmentSeed: [UInt8]? = nil
            if hasCommitted {
                guard options.zeroKnowledge else { throw CLIError("committed weights need a zero-knowledge proof (drop --no-zk)") }
                let path = commitmentSecret ?? ModelPaths.secret(program)
                guard FileManager.default.fileExists(atPath: path) else {
                    throw CLIError("\(program): committed weights: run `zkvm commit \(program)` first (no secret at '\(path)')")
                }
                guard !ModelPaths.sameFile(path, output) else { throw CLIError("the proof would overwrite the secret '\(path)'") }
                commitmentSeed = try ModelPaths.loadSecret(path, create: false)
                // The published commitment next to the program, if any, must be the one this seed gives.
                let published = ModelPaths.commitment(program)
                if FileManager.default.fileExists(atPath: published) {
                    let file = try ModelPaths.loadCommitment(published)
                    guard file.programDigest == p.digest else { throw CLIError("\(published): the commitment is for another program") }
                    let ours: WeightCommitment?
                    do { ours = try VMProver.commitment(program: p, seed: commitmentSeed!) } catch { throw CLIError("\(program): \(error)") }
                    guard ours == file.commitment else {
                        throw CLIError("\(program): its weights and secret give another commitment than the published '\(published)'; "
                                       + "commit again, or prove with its --commitment-secret")
                    }
                }
            }
            if let seedFile, ModelPaths.sameFile(seedFile, output) { throw CLIError("the proof would overwrite the seed file '\(seedFile)'") }
            if let segment {
                try proveOneSegment(segment, program: p, raw: raw, options: options, commitmentSeed: commitmentSeed)
                return
            }
            if let trace {
                guard !ModelPaths.sameFile(trace, output) else { throw CLIError("--trace and --output name the same file '\(trace)'") }
            }
            let writer: TraceWriter?
            do { writer = try trace.map { try TraceWriter(path: $0, programDigest: p.digest) } } catch { throw CLIError("\(error)") }
            let reporter = ProgressReporter(progress, command: "prove", json: json)
            reporter.stage("execute", "executing \(program) and building its witness (\(options))")
            let start = ContinuousClock.now
            let result: VMProver.Result
            do {
                result = try VMProver.prove(program: p, rawInputs: raw, options: options, maxSteps: maxSteps,
                                            segmentRows: segmentSize,
                                            minimumProvenBits: queries == nil ? ProofOptions.targetProvenBits : nil,
                                            commitmentSeed: commitmentSeed, threads: threads, dump: writer, progress: reporter.proving)
            } catch let error as VMError {
                if let pc = error.pc, pc < p.sourceLines.count {
                    throw CLIError("\(program):\(p.sourceLines[pc]): error: \(error)")
                }
                throw CLIError("\(program): \(error)")
            } catch {
                throw CLIError("\(program): \(error)")
            }
            let seconds = Self.seconds(ContinuousClock.now - start)
            let bytes = result.file.encoded()
            do { try writer?.finish() } catch { throw CLIError("\(error)") }
            try ProgramLoading.writeAtomically(bytes, to: output)
            reporter.stage("done", "\(bytes.count) bytes → \(output)")
            let vmAir = try VMAir(program: p)
            let heights = try result.file.segments.map { try Proof.decode($0.proof).tables.map(\.logHeight) }
            let level = result.security
            let rows = heights.joined().reduce(0) { $0 + (1 << $1) }
            let phases = [("execute + witness", result.witnessSeconds)] + ProverReport.combined(result.reports).phases
            if json {
                let object: [String: Any] = [
                    "steps": result.steps, "rows": rows,
                    "segments": try heights.map { h in
                        ["tables": zip(try vmAir.shape.committedCells(options: result.options, logHeights: h), h).map {
                            ["name": $0.table, "rows": 1 << $1, "cells": $0.cells] as [String: Any]
                        }]
                    },
                    "phases": phases.map { ["name": $0.0, "seconds": $0.1] as [String: Any] },
                    "prove_seconds": seconds, "proof_bytes": bytes.count, "queries": result.options.queries,
                    "proven_bits": level.provenBits, "conjectured_bits": level.conjecturedBits,
                    "program_digest": p.digest.description,
                ]
                JSONOutput.print(object, command: "prove")
            } else {
                print("program \(p.digest.description)")
                print("steps: \(result.steps), segments: \(heights.count), trace rows (all tables): \(rows)")
                for (i, h) in heights.enumerated() {
                    let tables = zip(vmAir.air.tables, h).map { "\($0.name) 2^\($1)" }.joined(separator: ", ")
                    print("  segment \(i): \(tables)")
                }
                for (name, s) in phases {
                    print("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%8.3f s", s))
                }
                print(String(format: "proved in %.3f s (%.0f rows/s); proof %d bytes → %@", seconds,
                             Double(rows) / seconds, bytes.count, output as NSString))
                print("security: \(level) (\(result.options.queries) queries)")
            }
        }
    }

    /// Distributed proving (Spec/proof-system.md §4): phase 1 writes the
    /// segment's binding, phase 2 (given all bindings) its proof.
    func proveOneSegment(_ index: Int, program p: Program, raw: [[Int64]], options: ProofOptions,
                         commitmentSeed: [UInt8]?) throws {
        let minimum: Double? = queries == nil ? ProofOptions.targetProvenBits : nil
        let seed = try options.zeroKnowledge ? loadSeed(create: commitOnly) : nil
        if !options.zeroKnowledge && seedFile != nil { throw CLIError("--seed-file goes with zero-knowledge proofs (drop --no-zk or the seed file)") }
        do {
            if commitOnly {
                ProgressReporter(progress, command: "prove", json: json).stage("commit", "segment \(index): committing the main trace")
                let binding: SegmentBinding
                do {
                    binding = try VMProver.commitSegment(index, program: p, rawInputs: raw, options: options, maxSteps: maxSteps,
                                                         segmentRows: segmentSize, minimumProvenBits: minimum, seedFile: seed,
                                                         commitmentSeed: commitmentSeed, threads: threads)
                } catch {
                    // The seed file was created by this call and masked nothing: leave no secret behind.
                    if let seedFile { try? FileManager.default.removeItem(atPath: seedFile) }
                    throw error
                }
                try ProgramLoading.writeAtomically(binding.encoded(), to: output)
                if json {
                    JSONOutput.print(["phase": "commit", "segment": index, "segments": binding.count,
                                      "binding": binding.binding.description, "file": output], command: "segment")
                } else {
                    print("segment \(index) of \(binding.count): binding \(binding.binding.description) → \(output)")
                }
            } else {
                var all = [SegmentBinding]()
                for path in bindings {
                    guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
                    do { all.append(try SegmentBinding.decode([UInt8](data))) } catch { throw CLIError("\(path): \(error)") }
                }
                all.sort { $0.index < $1.index }
                ProgressReporter(progress, command: "prove", json: json).stage("prove", "segment \(index): proving with \(all.count) bindings")
                let part = try VMProver.proveSegment(index, bindings: all, program: p, rawInputs: raw, options: options,
                                                     maxSteps: maxSteps, segmentRows: segmentSize, minimumProvenBits: minimum,
                                                     seedFile: seed, commitmentSeed: commitmentSeed, threads: threads)
                let bytes = part.encoded()
                try ProgramLoading.writeAtomically(bytes, to: output)
                if json {
                    JSONOutput.print(["phase": "prove", "segment": index, "segments": part.count, "proof_bytes": bytes.count,
                                      "file": output], command: "segment")
                } else {
                    print("segment \(index) of \(part.count): proof \(bytes.count) bytes → \(output)")
                }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(program): \(error)")
        }
    }

    /// The secret mask seed of distributed zero-knowledge proving: both
    /// phases must use the same one so phase 2 reproduces phase 1's commitment.
    func loadSeed(create: Bool) throws -> SegmentSeedFile {
        guard let seedFile else {
            throw CLIError("distributed zero-knowledge proving needs --seed-file (the same file in both phases), or --no-zk")
        }
        // A fresh seed per segment proof: reusing one would reuse its masks.
        do { return create ? try SegmentSeedFile.create(at: seedFile) : try SegmentSeedFile.open(at: seedFile) } catch {
            throw CLIError("\(error)")
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
