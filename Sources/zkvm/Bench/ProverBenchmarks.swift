import Assembler
import Foundation
import ISA
import ProofFiles
import Prover
import STARK
import VM
import VMArithmetization
import VMProver
import VMVerifier
#if canImport(Glibc)
import Glibc
#endif

/// End-to-end proving figures: execute + witness + prove, then verify, for
/// the shipped examples and for a scalar loop of a chosen length.
enum ProverBenchmarks {
    struct Figure {
        var name: String
        var rows: Int
        var cpuRows: Int
        var proveSeconds: Double
        /// Verifying against the verification key (median of three in this
        /// process; a CLI run adds process start and one AIR compilation).
        var verifySeconds: Double
        /// Deriving the verification key from the program (committing its
        /// preprocessed columns): what `export-vk` and `verify --program` cost.
        var keySeconds: Double
        var keyBytes: Int
        var proofBytes: Int
        var provenBits: Double
        var phases: [(String, Double)]
        var segments: Int
        var queries: Int
        /// Committed base-field cells per table name, over every segment:
        /// rows × (main + 3·LogUp + 3·quotient columns) — the cost model of
        /// Spec/vm-air.md §10.
        var cells: [String: Int]
    }

    /// A loop of `iterations` × 4 instructions (mulr, add, addi, bnz).
    static func loopProgram(iterations: Int) throws -> Program {
        try Assembler.assemble("""
        .output out [1] scale=8 public
            li r1, \(iterations)
            li r2, 256
            li r4, 255
            li r5, 1
        loop:
            mulr r3, r2, r4, 8
            add r2, r3, r5
            addi r1, r1, -1
            bnz r1, loop
            st r2, [out]
            halt
        """, file: "loop.zkasm") { _ in [] }
    }

    /// - Parameter provingKey: the program's proving key, made beforehand (its cost not counted).
    static func measure(name: String, program: Program, rawInputs: [[Int64]], options: ProofOptions = .standard,
                        segmentRows: SegmentSize = .standard, threads: Int,
                        provingKey: ProvingKey? = nil) throws -> Figure {
        let start = ContinuousClock.now
        let result = try VMProver.prove(program: program, rawInputs: rawInputs, options: options, segmentRows: segmentRows,
                                        threads: threads, key: provingKey)
        let proved = ContinuousClock.now
        // Committed weights: the proof's own (one-off) commitment stands for the published one.
        let commitment = result.file.statement.weightCommitment.map { ModelCommitment(programDigest: program.digest, commitment: $0) }
        let key = try VerificationKey(program: program, commitment: commitment, options: result.options, threads: threads)
        let keyed = ContinuousClock.now
        let file = try VMProofFile.decode(result.file.encoded())
        var level: SecurityLevel?
        var times = [Double]()
        for _ in 0..<3 {
            let t0 = ContinuousClock.now
            level = try VMVerifier.verify(try VMProofFile.decode(file.encoded()), key: try VerificationKey.decode(key.encoded()))
            times.append(Prove.seconds(ContinuousClock.now - t0))
        }
        let proofs = try result.file.segments.map { try Proof.decode($0.proof) }
        let rows = proofs.flatMap(\.tables).reduce(0) { $0 + (1 << $1.logHeight) }
        let cpuRows = proofs.reduce(0) { $0 + (1 << $1.tables[VMAir.TableIndex.cpu].logHeight) }
        let air = try VMAir(program: program).air
        var cells = [String: Int]()
        for proof in proofs {
            for (table, opened) in zip(air.tables, proof.tables) {
                cells[table.name, default: 0] += (1 << opened.logHeight) * table.committedCellsPerRow
            }
        }
        return Figure(name: name, rows: rows, cpuRows: cpuRows,
                      proveSeconds: Prove.seconds(proved - start), verifySeconds: times.sorted()[1],
                      keySeconds: Prove.seconds(keyed - proved), keyBytes: key.encoded().count,
                      proofBytes: result.file.encoded().count, provenBits: level!.provenBits,
                      phases: [("execute + witness", result.witnessSeconds)] + ProverReport.combined(result.reports).phases,
                      segments: result.file.segments.count, queries: result.options.queries, cells: cells)
    }

    /// Peak resident memory of this process so far, in MiB.
    static func peakMemoryMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
