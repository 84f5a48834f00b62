import Field
import ISA
import Parallel
import Prover
import STARK
import VMArithmetization

/// Proves a program's execution: run, build the witness, prove.
public enum VMProver {
    public struct Result {
        public var file: VMProofFile
        public var report: ProverReport
        public var steps: Int
        public var witnessSeconds: Double
    }

    /// Debug builds check every witness with the `DebugChecker` before
    /// proving (naming the failing table, constraint and row); release
    /// builds skip it for speed unless asked.
    #if DEBUG
    public static let checksWitnessByDefault = true
    #else
    public static let checksWitnessByDefault = false
    #endif

    public static func prove(program: Program, rawInputs: [[Int64]], options: ProofOptions = .standard,
                             maxSteps: Int = 1 << 26, checkWitness: Bool = checksWitnessByDefault,
                             threads: Int = Parallel.defaultThreads) throws -> Result {
        let vmAir = try VMAir(program: program)
        let start = ContinuousClock.now
        let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: rawInputs, maxSteps: maxSteps)
        let elapsed = ContinuousClock.now - start
        let input = ProverInput(air: vmAir.air, main: witness.main,
                                preprocessed: vmAir.preprocessedColumns(statement: witness.statement),
                                publicValues: [], statement: witness.statement.encoded())
        let (proof, report) = try Prover.prove(input, options: options, checkWitness: checkWitness, threads: threads)
        return Result(file: VMProofFile(statement: witness.statement, segments: [proof.encoded()]), report: report,
                      steps: witness.steps,
                      witnessSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
