import AIR
import Field
import ISA
import ProofFiles
import Prover
import STARK
import Testing
import Verifier
import VMArithmetization
import VMProver
import VMVerifier

/// Runs split into segments (Spec/vm-air.md §8): every example proves and
/// verifies in several segments; a lying prover that changes one cell or
/// boundary of one segment is rejected; reordered, dropped, duplicated,
/// foreign or re-chained segments are rejected.
@Suite struct VMSegmentTests {
    /// CPU constraint families only a run in several segments reaches.
    static let segmentFamilies = ["a full segment leads to pcEnd", "a full segment leads to tsEnd", "only the last segment halts"]
    static let options = VMSoundnessTests.options

    /// Segments bound CPU rows and tensor rows separately: the default
    /// (2^17 and 2^20) splits a long scalar run while a model's tensor work
    /// stays in one segment; here the same rule at a small CPU limit (the
    /// MLP's 5 instructions run ~13,000 tensor rows in one segment).
    @Test func cpuRowsAndTensorRowsAreBoundSeparately() throws {
        #expect(SegmentSize.standard == SegmentSize(cpuRows: 1 << 17, tensorRows: 1 << 20))
        let size = SegmentSize(cpuRows: 8, tensorRows: 1 << 20)
        for (name, minimum, maximum) in [("collatz", 3, Int.max), ("mlp", 1, 1)] {
            let (program, inputs) = try Examples.load(name)
            let vmAir = try VMAir(program: program)
            let run = try WitnessBuilder.execute(program, rawInputs: inputs, maxSteps: 1 << 20)
            let plan = try WitnessBuilder(vmAir: vmAir).plan(of: run, segmentRows: size,
                                                             weightSalt: program.hasCommittedWeights
                                                                 ? [Goldilocks](repeating: .one, count: 4) : nil)
            #expect((minimum...maximum).contains(plan.count), "\(name): \(plan.count) segments")
        }
    }

    @Test(arguments: [("collatz", 64), ("mlp", 16), ("cnn", 32)])
    func examplesProveAndVerifyInSegments(name: String, segmentRows: Int) throws {
        let (program, inputs) = try Examples.load(name)
        let result = try VMProver.prove(program: program, rawInputs: inputs, options: Self.options, segmentRows: .rows(segmentRows),
                                        minimumProvenBits: nil, checkWitness: true)
        #expect(result.file.segments.count >= 2)
        let file = try VMProofFile.decode(result.file.encoded())
        _ = try VMVerifier.verify(file, program: program, policy: .insecureTesting)
        // The same run in one segment proves the same statement.
        let whole = try VMProver.prove(program: program, rawInputs: inputs, options: Self.options, minimumProvenBits: nil)
        #expect(whole.file.segments.count == 1)
        #expect(whole.file.statement == file.statement)
    }

    /// The schedule tables are the last segment's (Spec/vm-air.md §8): the
    /// others carry padding only, and each schedule row's multiplicity is
    /// how many times the whole run executes its descriptor, so the lookups
    /// of every segment balance against it.
    @Test func scheduleTablesAreTheLastSegments() throws {
        let (program, inputs) = try Examples.load("cnn")
        let vmAir = try VMAir(program: program)
        let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: inputs, maxSteps: 1 << 20, segmentRows: .rows(32))
        #expect(witness.segments.count >= 3)
        let run = try WitnessBuilder.execute(program, rawInputs: inputs, maxSteps: 1 << 20)
        var executions = [Int](repeating: 0, count: program.descriptors.count)
        for step in run.steps where Opcode(rawValue: UInt8(truncatingIfNeeded: step.opcode))?.isTensor == true {
            executions[Int(step.imm)] += 1
        }
        let tables = VMAir.scheduleTables.compactMap { t in vmAir.index(of: t).map { (t, $0) } }
        #expect(tables.count >= 2)
        for (k, segment) in witness.segments.enumerated() {
            let isLast = k == witness.segments.count - 1
            for (table, index) in tables {
                let multiplicity = segment.main[index][0]
                #expect(multiplicity.count == 1 << vmAir.codeLogHeight(table, isLastSegment: isLast))
                if !isLast { #expect(multiplicity.count == 1 << vmAir.minLogHeight && multiplicity.allSatisfy(\.isZero)) }
            }
        }
        let last = witness.segments.last!
        if let copy = vmAir.index(of: .copycode) {
            #expect(vmAir.copyCode.steps.enumerated().allSatisfy { last.main[copy][0][$0] == Goldilocks(executions[$1.descriptor]) })
        }
        if let dot = vmAir.index(of: .dotcode) {
            #expect(vmAir.dotCode.steps.enumerated().allSatisfy { last.main[dot][0][$0] == Goldilocks(executions[$1.descriptor]) })
        }
    }

    /// Standard options over many segments: the prover raises the queries
    /// until the union bound over segments still leaves ≥ 100 proven bits,
    /// and the verifier's floor accepts the result.
    @Test func manySegmentsKeepTheFloor() throws {
        let (program, inputs) = try Examples.load("collatz")
        let result = try VMProver.prove(program: program, rawInputs: inputs, options: .standard, segmentRows: 32)
        #expect(result.file.segments.count >= 4)
        #expect(result.options.queries >= ProofOptions.standard.queries)
        let level = try VMVerifier.verify(try VMProofFile.decode(result.file.encoded()), program: program)
        #expect(level.provenBits >= 100)
        #expect(abs(level.provenBits - result.security.provenBits) < 1e-9)
    }

    /// The soundness program in segments of 8 CPU rows: segment 0 is full.
    struct Run {
        let program: Program
        let vmAir: VMAir
        let witness: WitnessBuilder.Witness

        init(segmentRows: Int = 8, inputs: [[Int64]] = VMSoundnessTests.inputs) throws {
            program = try Examples.assemble(VMSoundnessTests.source)
            vmAir = try VMAir(program: program)
            witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: inputs, maxSteps: 10_000, segmentRows: .rows(segmentRows))
        }

        func inputs(_ mains: [[[[Goldilocks]]]], _ boundaries: [SegmentBoundary]) -> [ProverInput] {
            let count = mains.count
            return mains.indices.map { i in
                ProverInput(air: vmAir.air, main: mains[i],
                            preprocessed: vmAir.preprocessedColumns(isLastSegment: i == count - 1),
                            publicValues: boundaries[i].publicValues(isLast: i == count - 1, weightCommitment: witness.statement.weightCommitment),
                            boundary: i == count - 1 ? vmAir.boundaryMessages(statement: witness.statement) : [],
                            statement: VMProofFile.segmentStatement(witness.statement, layout: witness.layout, index: i, count: count))
            }
        }

        /// Proves the segments as given (no witness check), as a file.
        func file(mains: [[[[Goldilocks]]]]? = nil, boundaries: [SegmentBoundary]? = nil) throws -> VMProofFile {
            let mains = mains ?? witness.segments.map(\.main)
            let boundaries = boundaries ?? witness.segments.map(\.boundary)
            let proofs = try Prover.proveSegments(inputs(mains, boundaries), options: options, checkWitness: false).proofs
            return VMProofFile(statement: witness.statement, segments: zip(boundaries, proofs).map {
                .init(boundary: $0, proof: $1.encoded())
            })
        }

        func accepts(_ file: VMProofFile) -> Bool {
            (try? VMVerifier.verify(file, program: program, policy: .insecureTesting)) != nil
        }

        /// The constraints of segment `i` a changed main trace breaks (shared challenges, all segments' sums).
        func broken(_ mains: [[[[Goldilocks]]]], segment i: Int, table: Int) throws -> [String] {
            let input = inputs(mains, witness.segments.map(\.boundary))[i]
            let challenges = LogUpChallenges.vector(alpha: GoldilocksExt3(Goldilocks(91), Goldilocks(17), Goldilocks(5)),
                                                    beta: GoldilocksExt3(Goldilocks(3), Goldilocks(77), Goldilocks(12)),
                                                    maxMessageLength: vmAir.air.maxMessageLength)
            let t = vmAir.air.tables[table]
            let (aux, claimed) = try LogUpTrace.build(table: t, main: input.main[table], preprocessed: input.preprocessed[table],
                                                      challenges: challenges, publicValues: input.publicValues, threads: 1)
            return DebugChecker.failingConstraints(table: t, main: input.main[table], preprocessed: input.preprocessed[table],
                                                   auxiliary: aux, claimedSum: claimed, challenges: challenges,
                                                   publicValues: input.publicValues).map(\.constraint)
        }
    }

    /// A plan rebuilds any segment from its checkpoint exactly as the
    /// whole-run witness has it, and knows every segment's heights and
    /// boundary without keeping its columns.
    @Test func plannedSegmentsAreRebuiltExactly() throws {
        let run = try Run(segmentRows: 8)
        let builder = WitnessBuilder(vmAir: run.vmAir)
        let execution = try WitnessBuilder.execute(run.program, rawInputs: VMSoundnessTests.inputs, maxSteps: 10_000)
        let plan = try builder.plan(of: execution, segmentRows: 8)
        #expect(plan.count == run.witness.segments.count && plan.count > 2)
        #expect(plan.statement == run.witness.statement)
        for k in (0..<plan.count).reversed() {
            let segment = try builder.segment(k, of: plan)
            #expect(segment.main == run.witness.segments[k].main, "segment \(k)")
            #expect(segment.boundary == plan.boundaries[k])
            #expect(plan.logHeights[k] == segment.main.map { $0.first!.count.trailingZeroBitCount })
        }
    }

    @Test func honestSegmentsVerifyAndChain() throws {
        let run = try Run()
        let segments = run.witness.segments
        #expect(segments.count >= 3)
        #expect(segments[0].steps == 8, "segment 0 fills its CPU table")
        try SegmentBoundary.checkChain(segments.map(\.boundary))
        // The shared-challenge witness check passes over all segments.
        let inputs = run.inputs(segments.map(\.main), segments.map(\.boundary))
        _ = try Prover.proveSegments(inputs, options: Self.options, checkWitness: true)
        #expect(run.accepts(try run.file()))
    }

    @Test func segmentFamiliesAreReachedAndRejected() throws {
        let run = try Run()
        let cpu = VMAir.TableIndex.cpu
        let last = 7   // segment 0's last row, active
        let changes: [(String, Int, Goldilocks)] = [
            ("a full segment leads to pcEnd", CPUColumns.nextPC, .one),
            ("a full segment leads to tsEnd", CPUColumns.span, .one),
            ("only the last segment halts", CPUColumns.flag(.halt), .one),
        ]
        for (family, column, delta) in changes {
            var mains = run.witness.segments.map(\.main)
            mains[0][cpu][column][last] = mains[0][cpu][column][last] + delta
            #expect(try run.broken(mains, segment: 0, table: cpu).contains(family), "\(family) not reached")
            #expect(!run.accepts(try run.file(mains: mains)), "\(family): proof accepted")
        }
    }

    @Test func changedBoundariesAreRejected() throws {
        let run = try Run()
        let honest = run.witness.segments.map(\.boundary)
        // Shifting one boundary in both segments it joins keeps the chain but breaks the AIR.
        var b = honest
        b[0].pcEnd += 1; b[1].pcStart += 1
        #expect(!run.accepts(try run.file(boundaries: b)))
        b = honest
        b[0].tsEnd += 8; b[1].tsStart += 8
        #expect(!run.accepts(try run.file(boundaries: b)))
        // An honest proof whose file boundary is edited breaks the chain or the transcript.
        let file = try run.file()
        var edited = file
        edited.segments[1].boundary.tsEnd += 1
        #expect(!run.accepts(edited))
        edited = file
        edited.segments[1].boundary.pcStart += 1
        edited.segments[0].boundary.pcEnd += 1
        #expect(!run.accepts(edited))
    }

    @Test func reorderedDroppedDuplicatedAndForeignSegmentsAreRejected() throws {
        let run = try Run()
        let file = try run.file()
        #expect(run.accepts(file))
        var f = file
        f.segments.swapAt(1, 2)
        #expect(!run.accepts(f))
        f = file
        f.segments.removeLast()
        #expect(!run.accepts(f))
        f = file
        f.segments.remove(at: 1)
        #expect(!run.accepts(f))
        f = file
        f.segments.insert(file.segments[1], at: 1)
        #expect(!run.accepts(f))
        // Same program, other private input: same chain of pcs and timestamps, other values.
        let other = try Run(inputs: [VMSoundnessTests.inputs[0], [21, -7]])
        let otherFile = try other.file()
        #expect(other.accepts(otherFile))
        #expect(otherFile.segments.map(\.boundary) == file.segments.map(\.boundary))
        f = file
        f.segments[1] = otherFile.segments[1]
        #expect(!run.accepts(f))
        // A single-segment proof of the same run under the multi-segment statement is not a segment of it.
        let whole = try Run(segmentRows: 1 << 20)
        f = file
        f.segments = [try whole.file().segments[0]] + file.segments.dropFirst()
        #expect(!run.accepts(f))
    }

    @Test func memoryCarriedAcrossSegmentsIsChecked() throws {
        let run = try Run()
        let cpu = VMAir.TableIndex.cpu
        // A register read in segment 1 returns a different value (va and the old value of a read move together).
        var mains = run.witness.segments.map(\.main)
        let row = 2
        mains[1][cpu][CPUColumns.va][row] = mains[1][cpu][CPUColumns.va][row] + .one
        #expect(!run.accepts(try run.file(mains: mains)))
        // The last segment's memory table claims another final value.
        mains = run.witness.segments.map(\.main)
        let n = mains.count - 1
        mains[n][VMAir.TableIndex.memory][1][3] = mains[n][VMAir.TableIndex.memory][1][3] + .one
        #expect(!run.accepts(try run.file(mains: mains)))
    }

    @Test func segmentedFileBitFlipsAreRejected() throws {
        let run = try Run()
        let bytes = try run.file().encoded()
        var accepted = [Int]()
        let step = max(1, bytes.count / 300)
        // Every byte of the header, statement and first boundary, then spread positions.
        let positions = Array(0..<min(bytes.count, 400)) + Array(stride(from: 400, to: bytes.count, by: step))
        for i in positions {
            var mutated = bytes
            mutated[i] ^= UInt8(1 << (i % 8))
            if let file = try? VMProofFile.decode(mutated), run.accepts(file) { accepted.append(i) }
        }
        #expect(accepted.isEmpty, "accepted flips at bytes \(accepted.prefix(10)) of \(bytes.count)")
    }

    /// Distributed proving: each segment's binding and proof computed on
    /// its own (as on separate machines), bundled, equal the local proof
    /// byte for byte; a wrong binding list is refused or rejected.
    @Test func segmentsProvenSeparatelyBundleIntoTheSameProof() throws {
        let run = try Run()
        let inputs = VMSoundnessTests.inputs
        let local = try VMProver.prove(program: run.program, rawInputs: inputs, options: Self.options, segmentRows: 8,
                                       minimumProvenBits: nil, checkWitness: false)
        let count = local.file.segments.count
        func commit(_ i: Int, _ inputs: [[Int64]] = inputs) throws -> SegmentBinding {
            try SegmentBinding.decode(try VMProver.commitSegment(i, program: run.program, rawInputs: inputs, options: Self.options,
                                                                 segmentRows: 8, minimumProvenBits: nil).encoded())
        }
        let bindings = try (0..<count).map { try commit($0) }
        let parts = try (0..<count).reversed().map { i in
            try VMSegmentProof.decode(try VMProver.proveSegment(i, bindings: bindings, program: run.program, rawInputs: inputs,
                                                                options: Self.options, segmentRows: 8,
                                                                minimumProvenBits: nil).encoded())
        }
        let bundled = try VMSegmentProof.bundle(parts)
        #expect(bundled.encoded() == local.file.encoded())
        #expect(run.accepts(bundled))
        // Incomplete or duplicated parts do not bundle.
        #expect(throws: ProofFileError.self) { _ = try VMSegmentProof.bundle(Array(parts.dropFirst())) }
        #expect(throws: ProofFileError.self) { _ = try VMSegmentProof.bundle(parts + [parts[0]]) }
        // A binding of another run (other private input) in the list: the
        // prover of that position refuses, and the others' proofs, drawn
        // with other challenges, do not verify with the honest segments.
        var foreign = bindings
        foreign[1] = try commit(1, [inputs[0], [21, -7]])
        #expect(foreign[1] != bindings[1])
        #expect(throws: STARKError.invalidInput("segment 1: this witness does not give the binding listed for it")) {
            _ = try VMProver.proveSegment(1, bindings: foreign, program: run.program, rawInputs: inputs, options: Self.options,
                                          segmentRows: 8, minimumProvenBits: nil)
        }
        var mixed = parts.sorted { $0.index < $1.index }
        mixed[0] = try VMProver.proveSegment(0, bindings: foreign, program: run.program, rawInputs: inputs,
                                             options: Self.options, segmentRows: 8, minimumProvenBits: nil)
        #expect(!run.accepts(try VMSegmentProof.bundle(mixed)))
        // A run of one segment through the same path is an ordinary proof.
        let single = try VMProver.commitSegment(0, program: run.program, rawInputs: inputs, options: Self.options,
                                                minimumProvenBits: nil)
        #expect(single.count == 1)
        let part = try VMProver.proveSegment(0, bindings: [single], program: run.program, rawInputs: inputs,
                                             options: Self.options, minimumProvenBits: nil)
        let whole = try VMProver.prove(program: run.program, rawInputs: inputs, options: Self.options, minimumProvenBits: nil,
                                       checkWitness: false)
        #expect(try VMSegmentProof.bundle([part]).encoded() == whole.file.encoded())
        #expect(run.accepts(try VMSegmentProof.bundle([part])))
    }

    /// Bindings and segment proofs read from untrusted files: every
    /// truncation is refused with an error, every single-bit flip either
    /// decodes or is refused (no trap), and a flipped magic, version or
    /// index is refused.
    @Test func bindingAndSegmentProofDecodersRefuseHostileBytes() throws {
        let run = try Run()
        let binding = try VMProver.commitSegment(0, program: run.program, rawInputs: VMSoundnessTests.inputs,
                                                 options: Self.options, segmentRows: 8, minimumProvenBits: nil)
        let count = binding.count
        let bindings = try (0..<count).map {
            try VMProver.commitSegment($0, program: run.program, rawInputs: VMSoundnessTests.inputs, options: Self.options,
                                       segmentRows: 8, minimumProvenBits: nil)
        }
        let part = try VMProver.proveSegment(0, bindings: bindings, program: run.program, rawInputs: VMSoundnessTests.inputs,
                                             options: Self.options, segmentRows: 8, minimumProvenBits: nil)
        for bytes in [binding.encoded(), part.encoded()] {
            let decode: ([UInt8]) throws -> Void = bytes == binding.encoded()
                ? { _ = try SegmentBinding.decode($0) } : { _ = try VMSegmentProof.decode($0) }
            try decode(bytes)
            for n in 0..<bytes.count {
                #expect(throws: ProofFileError.self) { try decode(Array(bytes.prefix(n))) }
            }
            for i in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 300)) {
                var mutated = bytes
                mutated[i] ^= UInt8(1 << (i % 8))
                _ = try? decode(mutated)
            }
            for i in 0..<10 {   // magic, version, index (a changed count may still be a valid count)
                var mutated = bytes
                mutated[i] ^= 0x80
                #expect(throws: ProofFileError.self) { try decode(mutated) }
            }
        }
    }
}
