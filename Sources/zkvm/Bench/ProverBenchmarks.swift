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
        /// Committed base-field cells per table name, over every segment
        /// (`VMShape.committedCells`) — the cost model of Spec/vm-air.md §10.
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

    /// A 100k-parameter MLP, 784 → 128 (ReLU) → 10 (101,770 committed
    /// 16-bit weights and biases), on `batch` inputs at once, with fixed
    /// pseudo-random weights in [−60, 60] at scale 8 (|w| < 0.24) and its
    /// input in [−1, 1]: the "100k-parameter MLP" figure.
    static func mlpProgram(batch: Int) throws -> (Program, [[Int64]]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int64) -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((state >> 33) % UInt64(2 * bound + 1)) - bound
        }
        func raw(_ count: Int, _ bound: Int64) -> String { "[" + (0..<count).map { _ in String(next(bound)) }.joined(separator: ", ") + "]" }
        let program = try Assembler.assemble("""
        .input x [\(batch), 784] scale=8
        .weights W1 [784, 128] scale=8 bits=16 committed raw \(raw(784 * 128, 60))
        .weights b1 [128] scale=16 bits=16 committed raw \(raw(128, 6000))
        .buffer h [\(batch), 128] scale=8
        .weights W2 [128, 10] scale=8 bits=16 committed raw \(raw(128 * 10, 60))
        .weights b2 [10] scale=16 bits=16 committed raw \(raw(10, 6000))
        .output y [\(batch), 10] scale=8 public
            matmul h, x, W1, b1
            map h, h, relu
            matmul y, h, W2, b2
            halt
        """, file: "mlp100k.zkasm") { _ in [] }
        return (program, [(0..<(batch * 784)).map { _ in next(256) }])
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
        let shape = try VMAir(program: program).shape
        var cells = [String: Int]()
        for proof in proofs {
            for (table, count) in try shape.committedCells(options: result.options, logHeights: proof.tables.map(\.logHeight)) {
                cells[table, default: 0] += count
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
