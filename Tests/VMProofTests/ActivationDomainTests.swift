import ISA
import Testing
import VM
import VMArithmetization

/// A lookup table with a declared input domain (Spec/isa.md §5) proves
/// what the VM computes — inputs beyond it clamp to its ends — on an
/// activation table no larger than the domain (Spec/vm-air.md §4b).
@Suite struct ActivationDomainTests {
    @Test func inputsBeyondTheDomainClampAndProve() throws {
        let program = try Examples.assemble("""
        .input x [4] scale=8 public
        .output y [4] scale=8 public
        .output z [1] scale=8 public
        .table t tanh in=8 out=8 lo=-200 hi=150
            map y, x, exp, lo=-300, hi=100
            ld r1, [x]
            lut r2, r1, t
            st r2, [z]
            halt
        """)
        let x: [Int64] = [-5000, -300, 64, 4000]
        let exp = LookupTableSpec(function: .exp, inputScale: 8, outputScale: 8)
        let full = exp.generate()
        func e(_ v: Int64) -> Int64 { full[Int(min(max(v, -300), 100) - LookupTableSpec.domainMin)] }
        let tanh = LookupTableSpec(function: .tanh, inputScale: 8, outputScale: 8).generate()
        let run = try Machine(program: program).run(rawInputs: [x])
        #expect(run.outputs[0].raw == x.map(e))
        #expect(run.outputs[1].raw == [tanh[Int(-200 - LookupTableSpec.domainMin)]])
        // Lookups the domain clamped where the function still changes: −5000 and 4000 for exp, −5000 for tanh.
        let expIndex = program.tables.firstIndex { $0.function == .exp }!, tanhIndex = program.tables.firstIndex { $0.function == .tanh }!
        #expect(run.clampedLookups[expIndex] == 2 && run.clampedLookups[tanhIndex] == 1)
        let vmAir = try VMAir(program: program)
        #expect(vmAir.activationDomains.allSatisfy { $0.count <= 401 })
        let file = try WeightsMatmulTests.prove(program, [x])
        #expect(file.statement.publicOutputs == run.outputs.map(\.raw))
    }
}
