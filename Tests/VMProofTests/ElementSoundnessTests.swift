import Field
import ISA
import Prover
import Testing
import VM
@testable import VMArithmetization
import VMProver
import VMVerifier

/// Single-cell changes to the `element` table and the `elementcode`
/// multiplicities of a program with every map and zip operation — clamps
/// and lookups on both sides of their ranges, broadcast, in-place and
/// register-shifted operands, an empty zip (SECURITY-PLAN A.1–A.2): every
/// constraint family is reached, and every reached family's proof is
/// rejected by the check that owns it.
@Suite struct ElementSoundnessTests {
    static let source = """
    .input x [4] scale=8 public
    .input y [4] scale=8 public
    .output s [4] scale=8 public
    .output d [4] scale=8 public
    .output p [4] scale=8 public
    .output hi [4] scale=8 public
    .output lo [4] scale=8 public
    .output c [4] scale=8 public
    .output e [4] scale=8 public
    .output r [4] scale=4 public
    .output b [4] scale=8 public
    .output z [1] scale=8 public
        zip s, x, y, add
        zip d, x, y, sub
        zip p, x, y, mul
        zip hi, x, y, max
        zip lo, x, y, min
        map c, x, clamp, lo=-100, hi=300
        map e, x, exp, lo=-300, hi=100
        map r, x, rescale
        zip b, x, y + 2, add, bs=0
        zip s, s, x, add
        zip z, x, y, add, count=0, bs=1
        li r1, 1
        zip d + r1, x + r1, y + r1, max, count=2, bs=1
        halt
    """
    static let inputs: [[Int64]] = [[-5000, 77, 256, 4000], [12, 77, -900, 3]]

    static func setup() throws -> VMSoundnessTests.Setup { try VMSoundnessTests.setup(source: source, inputs: inputs) }

    @Test func mapsAndZipsRunOnTheElementTable() throws {
        let s = try Self.setup()
        #expect(s.vmAir.shape.hasElements && s.vmAir.shape.hasTensorInstructions)   // the empty zip stays a micro-step
        #expect(VMSoundnessTests.broken(s, main: s.witness.main) == nil)
        #expect(VMSoundnessTests.proveAndVerify(s, main: s.witness.main))
        let run = try Machine(program: s.program).run(rawInputs: Self.inputs)
        #expect(s.witness.statement.publicOutputs == run.outputs.map(\.raw))
        // Independent arithmetic: rescale rounds half up (Spec/isa.md §1).
        func rescale(_ v: Int64, _ s: Int64) -> Int64 { s == 0 ? v : (v + (1 << (s - 1))) >> s }
        let (x, y) = (Self.inputs[0], Self.inputs[1])
        let sum = zip(x, y).map { $0 + $1 }
        #expect(run.outputs[0].raw == zip(sum, x).map { $0 + $1 })
        let difference = zip(x, y).map { $0 - $1 }
        #expect(run.outputs[1].raw == [difference[0]] + (1...2).map { max(x[$0], y[$0]) } + [difference[3]])
        #expect(run.outputs[2].raw == zip(x, y).map { rescale($0 * $1, 8) })
        #expect(run.outputs[3].raw == zip(x, y).map { max($0, $1) })
        #expect(run.outputs[4].raw == zip(x, y).map { min($0, $1) })
        #expect(run.outputs[5].raw == x.map { min(max($0, -100), 300) })
        let exp = LookupTableSpec(function: .exp, inputScale: 8, outputScale: 8).generate()
        #expect(run.outputs[6].raw == x.map { exp[Int(min(max($0, -300), 100) - LookupTableSpec.domainMin)] })
        #expect(run.outputs[7].raw == x.map { rescale($0, 4) })
        #expect(run.outputs[8].raw == x.map { $0 + y[2] })
    }

    /// A zip-mul's single product needs no accumulator bound: the VM and
    /// the element table both accept |a·b| ≥ 2^61 (Spec/isa.md §1).
    @Test func aZipProductBeyondTheAccumulatorRangeProves() throws {
        let source = """
        .input x [2] scale=0 public
        .output p [2] scale=0 public
            zip p, x, x, mul, shift=31
            halt
        """
        let big = Int64(1) << 31
        // (2^31 − 1)² = 2^62 − 2^32 + 1 ≥ 2^61; rescaled by 31 it is 2^31 − 2.
        let s = try VMSoundnessTests.setup(source: source, inputs: [[big - 1, -(big - 1)]])
        #expect(VMSoundnessTests.proveAndVerify(s, main: s.witness.main))
        #expect(s.witness.statement.publicOutputs == [[big - 2, big - 2]])
        // (−2^31)² = 2^62 rescales to 2^31, outside V: a fault naming the value, not a trap.
        let program = try Examples.assemble(source)
        #expect(throws: VMError.valueOutOfRange(pc: 0, value: String(big))) {
            _ = try Machine(program: program).run(rawInputs: [[-big, 1]])
        }
    }

    @Test func everyElementConstraintFamilyRejectsAChangedCell() throws {
        try VMSoundnessTests.sweepScheduledTable(try Self.setup(), table: .element, code: .elementcode, width: ElementColumns.width,
                                                 active: ElementColumns.active)
    }

    /// A lookup whose input lies above its table's proven domain must clamp.
    /// Beyond hi = 1600 the sigmoid table (in and out scale 8) is flat, so
    /// the unclamped entry (t, 2000, T(2000)) has the honest output and is a
    /// row of the full 16-bit table: only the activation table's restriction
    /// to the proven domain rejects it (every constraint holds, the range
    /// counts are honest, memory and the statement are unchanged).
    @Test func lookupsOutsideTheProvenDomainMustClamp() throws {
        let source = """
        .input x [2] scale=8 public
        .output y [2] scale=8 public
            map y, x, sigmoid, lo=-1600, hi=1600
            halt
        """
        let s = try VMSoundnessTests.setup(source: source, inputs: [[2000, 5]])
        let full = LookupTableSpec(function: .sigmoid, inputScale: 8, outputScale: 8).generate()
        func t(_ v: Int) -> Int64 { full[v - Int(LookupTableSpec.domainMin)] }
        try #require(t(2000) == t(1600), "the table is flat beyond its domain")
        typealias E = ElementColumns
        let element = s.vmAir.index(of: .element)!
        var main = s.witness.main
        let row = 0
        #expect(main[element][E.clampHigh][row] == .one && main[element][E.va][row] == Goldilocks(2000))
        main[element][E.clampHigh][row] = .zero
        main[element][E.clamped][row] = Goldilocks(2000)
        let lo = Int(main[element][E.parameter1][row].signedValue), slot1 = 2000 - lo
        let limbs = [0, 0, slot1 & 0xFFFF, slot1 >> 16]   // slot 0 (the excess): 0; slot 1: clamped − lo
        let honest = (0..<4).map { Int(s.witness.main[element][E.slotLimbs + $0][row].value) }
        for (k, limb) in limbs.enumerated() { main[element][E.slotLimbs + k][row] = Goldilocks(limb) }
        try VMSoundnessTests.recountRange(&main, removing: honest, adding: limbs)
        #expect(VMSoundnessTests.broken(s, main: main)?.hasPrefix("bus") == true, "every constraint holds")
        #expect(VMSoundnessTests.rejection(s, main: main) == VMSoundnessTests.logUpCheck)
    }

    /// The prover's schedule differs from the verifier's in one entry (a
    /// clamp bound): the key's roots reject it.
    @Test func thePreprocessedScheduleIsTheVerifiers() throws {
        let s = try Self.setup()
        let code = s.vmAir.index(of: .elementcode)!
        let clampRow = s.vmAir.elementCode.steps.firstIndex { $0.kind == .clamp }!
        var preprocessed = s.preprocessed
        preprocessed[code][ElementColumns.parameter2][clampRow] = preprocessed[code][ElementColumns.parameter2][clampRow] + .one
        let input = ProverInput(air: s.vmAir.air, main: s.witness.main, preprocessed: preprocessed, publicValues: s.witness.publicValues,
                                boundary: s.witness.boundary(), statement: s.witness.segmentStatement())
        let proof = try Prover.prove(input, options: VMSoundnessTests.options, checkWitness: false).proof
        #expect(throws: VMVerifierError.proof(.rejected(check: VMSoundnessTests.outOfDomainCheck("program")))) {
            _ = try VMVerifier.verify(s.witness.file(proof.encoded()), program: s.program, policy: .insecureTesting)
        }
    }
}
