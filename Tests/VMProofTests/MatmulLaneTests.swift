import Field
import ISA
import Testing
import VM
@testable import VMArithmetization
import VMProver
import VMVerifier

/// Two multiply-accumulates per tensor row (Spec/vm-air.md §6b): the
/// microcode covers every product exactly once, timestamps stay ordered,
/// and accumulators at the edge of the 2^61 bound prove or are refused.
@Suite struct MatmulLaneTests {
    static func matmul(k: Int64, bias: Int64?) -> TensorOperation.MatMul {
        .init(dst: 500, a: 0, b: 100, bias: bias, m: 2, k: k, n: 3,
              aRowStride: max(k, 1), aColStride: 1, bRowStride: 3, bColStride: 1, dstRowStride: 3, shift: 4)
    }

    @Test(arguments: [Int64(0), 1, 2, 3, 4, 5, 8])
    func everyProductIsTakenOnceByOneLane(k: Int64) throws {
        for bias: Int64? in [nil, 300] {
            let mm = Self.matmul(k: k, bias: bias)
            var steps = [MicroStep]()
            MicroCode.generate(TensorOperation.matmul(mm), domains: []) { steps.append($0) }
            let perOutput = Int(max(1, (k + 1) / 2))
            #expect(steps.count == 2 * 3 * perOutput)
            for (o, group) in stride(from: 0, to: steps.count, by: perOutput).enumerated() {
                let (i, j) = (Int64(o / 3), Int64(o % 3))
                let rows = steps[group ..< group + perOutput]
                var products = [(Int64, Int64)]()
                for s in rows {
                    #expect(s.accMac && !s.accSum)
                    if s.readA { products.append((s.aOffset, s.bOffset)) }
                    #expect(s.readA == s.readB)
                    if s.lane1 { #expect(s.readA); products.append((s.aOffset1, s.bOffset1)) }
                }
                let expected = (0..<k).map { t in (mm.a + i * mm.aRowStride + t, mm.b + t * 3 + j) }
                #expect(products.map { "\($0)" } == expected.map { "\($0)" }, "output (\(i), \(j)), k = \(k)")
                #expect(rows.first!.groupFirst && rows.dropFirst().allSatisfy { !$0.groupFirst })
                #expect(rows.map(\.readC) == [bias != nil] + [Bool](repeating: false, count: perOutput - 1))
                #expect(rows.map(\.write) == [Bool](repeating: false, count: perOutput - 1) + [true])
                #expect(rows.last!.resultRescale && rows.last!.dOffset == 500 + i * 3 + j)
            }
        }
    }

    /// Every write of an instruction comes after all its reads (5 slots per step).
    @Test func writesFollowEveryReadSlot() throws {
        let program = try Examples.assemble("""
        .input x [3, 5] scale=4 public
        .input w [5, 2] scale=4
        .output y [3, 2] scale=4 public
            matmul y, x, w
            halt
        """)
        let (steps, counts, spans) = MicroCode.expand(program, domains: [])
        #expect(counts == [18])
        #expect(spans == [5 * 18 + 6])
        let lastRead = MicroStep.readsPerStep * Int64(steps.count) - 1
        let writes = steps.filter(\.write).map(\.writeTime)
        #expect(writes == (0..<6).map { lastRead + 1 + Int64($0) })
    }

    /// B is an input, so the matmul runs as tensor micro-steps.
    static let edgeSource = """
    .input x [1, 6] scale=24 public
    .input w [6, 1] scale=24 public
    .output y [1, 1] scale=17 public
        matmul y, x, w
        halt
    """
    static let edgeWeights: [Int64] = [1073741823, 1073741823, 1073741823, 1073741823, -1073741823, -1073741823]

    /// Products P = (2^30 − 1)², two per row: partial sums 2P just below 2^61
    /// prove; four of them in a row leave the bound, and the VM — which runs
    /// the same micro-steps the table proves — stops at the matmul even
    /// though the final sum would be in range.
    @Test func accumulatorsAtTheBoundProveOrAreRefused() throws {
        let program = try Examples.assemble(Self.edgeSource)
        let vmAir = try VMAir(program: program)
        #expect(!vmAir.shape.hasWeightsMatmuls)
        let big: Int64 = (1 << 30) - 1
        // Partial sums 2P, 2P, 2P with P = (2^30 − 1)²: inside.
        let inside: [[Int64]] = [[big, big, big, -big, 1, 1], Self.edgeWeights]
        let result = try VMProver.prove(program: program, rawInputs: inside, options: VMSoundnessTests.options,
                                        minimumProvenBits: nil, checkWitness: true)
        _ = try VMVerifier.verify(result.file, program: program, policy: .insecureTesting)
        #expect(result.file.statement.publicOutputs == [[FixedPoint.rescale(2 * big * big - 2 * big, shift: 31)]])
        // Partial sums 2P, 4P (outside), 2P: the VM stops, so the prover has no run.
        let outside: [[Int64]] = [[big, big, big, big, big, big], Self.edgeWeights]
        let error = VMError.accumulatorOutOfRange(pc: 0, value: String(4 * big * big))
        #expect(throws: error) { _ = try Machine(program: program).run(rawInputs: outside, maxSteps: 100) }
        #expect(throws: error) { _ = try WitnessBuilder(vmAir: vmAir).run(rawInputs: outside, maxSteps: 100) }
    }

    /// The same products with B in a private weights tensor (public weights
    /// this large would stay on the exact path): a weights matmul sums
    /// modulo p (Spec/isa.md §4a), so partial sums past 2^61 are no fault
    /// (4P here, then 2P); the VM, the proof and `DotProduct.accumulator`
    /// agree, and a result outside V is still a fault.
    @Test func weightsMatmulsSumModuloP() throws {
        let source = Self.edgeSource.replacingOccurrences(
            of: ".input w [6, 1] scale=24 public",
            with: ".weights w [6, 1] scale=24 private raw [\(Self.edgeWeights.map(String.init).joined(separator: ", "))]")
        let program = try Examples.assemble(source)
        #expect(try VMAir(program: program).shape.hasWeightsMatmuls)
        let big: Int64 = (1 << 30) - 1, p = DotProduct.modulus
        for x: [Int64] in [[big, big, big, big, big, big], [big, big, big, big, -big, -big], [1, 2, 3, 4, 5, 6]] {
            let exact = zip(x, Self.edgeWeights).reduce(Int128(0)) { $0 + Int128($1.0) * Int128($1.1) }
            var wrapped = exact % p
            if wrapped > p / 2 { wrapped -= p }
            #expect(Int128(DotProduct.accumulator(exact)) == wrapped)
            guard let expected = DotProduct.rescaled(DotProduct.accumulator(exact), shift: 31) else {
                #expect(throws: VMError.self) { _ = try Machine(program: program).run(rawInputs: [x], maxSteps: 100) }
                continue
            }
            let run = try Machine(program: program).run(rawInputs: [x], maxSteps: 100)
            #expect(run.outputs[0].raw == [expected])
            let result = try VMProver.prove(program: program, rawInputs: [x], options: VMSoundnessTests.options,
                                            minimumProvenBits: nil, checkWitness: true)
            _ = try VMVerifier.verify(result.file, program: program, policy: .insecureTesting)
            #expect(result.file.statement.publicOutputs == [[expected]])
        }
    }

    /// The range A is half-open, [−2^61, 2^61), in the VM as in the tensor
    /// table; a zip's product and the scalar `mulr` keep their |a·b| ≤ 2^62 bound.
    @Test func theVMAndTheTablesAgreeAtTheBounds() throws {
        func run(_ source: String, _ inputs: [[Int64]]) throws -> Bool {
            let program = try Examples.assemble(source)
            do { _ = try Machine(program: program).run(rawInputs: inputs, maxSteps: 100) } catch { return false }
            let result = try VMProver.prove(program: program, rawInputs: inputs, options: VMSoundnessTests.options,
                                            minimumProvenBits: nil, checkWitness: true)
            _ = try VMVerifier.verify(result.file, program: program, policy: .insecureTesting)
            return true
        }
        let product = """
        .input x [1] scale=0 public
        .input w [1] scale=0 public
        .output y [1] scale=0 public
            matmul y, x, w, shift=31
            halt
        """
        #expect(try run(product, [[-(1 << 31)], [1 << 30]]), "−2^61 is in A: the VM runs it and it proves")
        #expect(try !run(product, [[-(1 << 31)], [-(1 << 30)]]), "2^61 is outside A: the VM faults")
        // A zip's single product needs no bound (|a·b| ≤ 2^62, Spec/isa.md §1).
        let zip = """
        .input x [1] scale=0 public
        .input w [1] scale=0 public
        .output y [1] scale=0 public
            zip y, x, w, mul, shift=31
            halt
        """
        #expect(try run(zip, [[-(1 << 31)], [-(1 << 30)]]), "2^61 from one zip product runs and proves")
        let mulr = """
        .input x [2] scale=0 public
        .output y [1] scale=0 public
            li r1, x
            ld r2, [r1]
            ld r3, [r1 + 1]
            mulr r4, r2, r3, 31
            st r4, [y]
            halt
        """
        let big: Int64 = (1 << 31) - 1
        #expect(try run(mulr, [[big, big]]), "a mulr product in [2^61, 2^62) runs and proves")
        #expect(try !run(mulr, [[-(1 << 31), -(1 << 31)]]), "(−2^31)² = 2^62 faults")
    }
}
