import ISA
import STARK
import Verifier
import VMArithmetization

/// Verifies a `.zkp` file against a program: the statement must name this
/// program and fit its public tensors; every segment's STARK proof must
/// verify against the AIR and the preprocessed columns the verifier
/// computes itself from the program and the statement.
public enum VMVerifier {
    public static func verify(_ file: VMProofFile, program: Program,
                              policy: VerifierPolicy = .standard) throws -> SecurityLevel {
        try file.statement.validate(against: program)
        let vmAir = try VMAir(program: program)
        guard file.segments.count == 1 else {
            throw VMArithmetizationError.unsupported("\(file.segments.count) segments (this version proves one)")
        }
        let proof = try Proof.decode(file.segments[0])
        let input = VerifierInput(air: vmAir.air, preprocessed: vmAir.preprocessedColumns(statement: file.statement),
                                  publicValues: [], boundary: [], statement: file.statement.encoded())
        return try Verifier.verify(proof, input: input, policy: policy)
    }
}
