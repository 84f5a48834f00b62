import Field
import ISA
import ProofFiles
import STARK
import Testing
import VM
import VMArithmetization
import VMProver
import VMVerifier

/// What a weights matmul means (Spec/isa.md §4a) and that the VM and the
/// proof agree on it at its edges: declared values, in-place and
/// overlapping writes, one-row instructions, results at the ends of V,
/// the wrap guard, segments under zero knowledge.
@Suite struct WeightsMatmulTests {
    static func prove(_ program: Program, _ inputs: [[Int64]], options: ProofOptions = VMSoundnessTests.options,
                      segmentRows: SegmentSize = .standard, seed: [UInt8]? = nil) throws -> VMProofFile {
        let result = try VMProver.prove(program: program, rawInputs: inputs, options: options, segmentRows: segmentRows,
                                        minimumProvenBits: nil, checkWitness: true, commitmentSeed: seed)
        let file = try VMProofFile.decode(result.file.encoded())
        let commitment = seed == nil ? nil : try VMProver.commitment(program: program, seed: seed!)
        _ = try VMVerifier.verify(file, program: program, commitment: commitment, policy: .insecureTesting)
        return file
    }

    /// A store into a weights cell changes what `ld` and other tensor
    /// instructions read there, not what a weights matmul multiplies by.
    @Test func storesIntoWeightsDoNotChangeWhatAMatmulReads() throws {
        let program = try Examples.assemble("""
        .input x [1, 2] scale=0 public
        .weights w [2, 2] scale=0 raw [1, 2, 3, 4]
        .output y [1, 2] scale=0 public
        .output seen [2] scale=0 public
            li r1, 100
            st r1, [w]
            matmul y, x, w
            copy seen, w, shape=[2], strides=[1]
            halt
        """)
        #expect(try VMAir(program: program).shape.hasWeightsMatmuls)
        let run = try Machine(program: program).run(rawInputs: [[5, 7]])
        let expected: [Int64] = [5 * 1 + 7 * 3, 5 * 2 + 7 * 4]
        #expect(run.outputs[0].raw == expected)
        let seen: [Int64] = [100, 2]
        #expect(run.outputs[1].raw == seen)
        let file = try Self.prove(program, [[5, 7]])
        #expect(file.statement.publicOutputs == [expected, seen])
    }

    /// In place (dst over A), overlapping rows (drs = 0: the last row
    /// wins), a one-row instruction (k = 1, no bias, one lane block) and
    /// results at both ends of V.
    @Test func edgeShapesProveWhatTheVMComputes() throws {
        let cases: [(String, [[Int64]])] = [
            ("""
            .input x [2, 2] scale=0 public
            .weights w [2, 2] scale=0 raw [1, -1, 2, 3]
            .output y [2, 2] scale=0 public
                copy y, x, shape=[4], strides=[1]
                matmul y, y, w
                halt
            """, [[3, 4, -5, 6]]),
            ("""
            .input x [2, 3] scale=0 public
            .weights w [3, 2] scale=0 raw [1, 2, 3, 4, 5, 6]
            .output y [1, 2] scale=0 public
                matmul y, x, w, m=2, k=3, n=2, ars=3, acs=1, brs=2, bcs=1, drs=0, shift=0
                halt
            """, [[1, 1, 1, 2, 0, -1]]),
            ("""
            .input x [1, 1] scale=0 public
            .weights w [1, 3] scale=0 raw [1, 0, 1]
            .output y [1, 3] scale=0 public
                matmul y, x, w
                halt
            """, [[Int64(FixedPoint.minValue)]]),
            ("""
            .input x [1, 1] scale=0 public
            .weights w [1, 3] scale=0 raw [1, -1, 0]
            .output y [1, 3] scale=0 public
                matmul y, x, w
                halt
            """, [[Int64(FixedPoint.maxValue)]]),
        ]
        for (source, inputs) in cases {
            let program = try Examples.assemble(source)
            #expect(try VMAir(program: program).shape.hasWeightsMatmuls)
            let run = try Machine(program: program).run(rawInputs: inputs)
            let file = try Self.prove(program, inputs)
            #expect(file.statement.publicOutputs == run.outputs.map(\.raw))
        }
        // −(−2^31) leaves V: the VM stops and the prover has no run.
        let negated = try Examples.assemble(cases[2].0.replacingOccurrences(of: "raw [1, 0, 1]", with: "raw [1, -1, 0]"))
        let outside: [[Int64]] = [[Int64(FixedPoint.minValue)]]
        #expect(throws: VMError.self) { _ = try Machine(program: negated).run(rawInputs: outside) }
        let vmAir = try VMAir(program: negated)
        #expect(throws: (any Error).self) { _ = try WitnessBuilder(vmAir: vmAir).run(rawInputs: outside, maxSteps: 100) }
    }

    /// Public weights that could carry a sum past p/2 keep the exact tensor
    /// path; committed ones are refused by `commit`.
    @Test func weightsThatCouldWrapAreNotWeightsMatmuls() throws {
        let big = "raw [1073741824, 1073741824, 1073741824, 1073741824]"   // 4·2^30·2^31 = 2^63 ≥ 2^62
        let source = """
        .input x [1, 4] scale=0 public
        .weights w [4, 1] scale=0 VIS \(big)
        .output y [1, 1] scale=0 public
            matmul y, x, w
            halt
        """
        let open = try Examples.assemble(source.replacingOccurrences(of: "VIS", with: "public"))
        #expect(!(try VMAir(program: open).shape.hasWeightsMatmuls))
        let small = try Examples.assemble(source.replacingOccurrences(of: "VIS", with: "public")
            .replacingOccurrences(of: big, with: "raw [536870912, 1, 1, 1]"))   // 2^31·(2^29 + 3) < 2^62
        #expect(try VMAir(program: small).shape.hasWeightsMatmuls)
        let committed = try Examples.assemble(source.replacingOccurrences(of: "VIS", with: "committed"))
        #expect(try VMAir(program: committed).shape.hasWeightsMatmuls)
        #expect(throws: VMArithmetizationError.self) { _ = try VMProver.commitment(program: committed, seed: [UInt8](repeating: 7, count: 32)) }
    }

    /// The class of a matmul never depends on a hidden value: a public B
    /// whose column sum sits just under the bound with a private bias is
    /// classed the same by the prover's program and the verifier's public part.
    @Test func theClassIsTheSameForProverAndVerifier() throws {
        let program = try Examples.assemble("""
        .input x [1, 1] scale=0 public
        .weights w [1, 1] scale=0 public raw [2147483647]
        .weights b [1] scale=0 private raw [5]
        .output y [1, 1] scale=0 public
            matmul y, x, w, b
            halt
        """)
        // 2^31·(2^31 − 1) + |b| ≥ 2^62 only if |b| ≥ 2^31: the hidden bias counts as 2^31.
        #expect(VMShape(program: program) == VMShape(program: program.publicPart))
        #expect(!VMShape(program: program).hasWeightsMatmuls)
        _ = try Self.prove(program, [[-1]])
    }

    /// Weights matmuls in several segments under zero knowledge, with
    /// committed weights: the dot rows of every segment look up the last
    /// segment's weights table.
    @Test func segmentsWithCommittedWeightsUnderZeroKnowledge() throws {
        let (program, inputs) = try Examples.load("mlp")
        var committed = program
        for i in committed.tensors.indices where committed.tensors[i].kind == .weights { committed.tensors[i].visibility = .committed }
        let seed = [UInt8](repeating: 3, count: 32)
        let options = VMSoundnessTests.options.with(zeroKnowledge: true)
        let file = try Self.prove(committed, inputs, options: options, segmentRows: 32, seed: seed)
        #expect(file.segments.count >= 3)
        let run = try Machine(program: program).run(rawInputs: inputs)
        #expect(file.statement.publicOutputs == run.outputs.map(\.raw))
    }
}
