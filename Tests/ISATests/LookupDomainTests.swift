import ISA
import Testing

/// Lookup tables with a declared input domain (Spec/isa.md §5): inputs
/// clamp to [lo, hi], the table's proven domain lies inside it, and the
/// encoding stays canonical.
@Suite struct LookupDomainTests {
    static let spec = LookupTableSpec(function: .exp, inputScale: 8, outputScale: 8, inputLow: -700, inputHigh: 300)

    @Test func inputsClampToTheDomain() {
        let table = Self.spec.generate(), full = LookupTableSpec(function: .exp, inputScale: 8, outputScale: 8).generate()
        for x in stride(from: LookupTableSpec.domainMin, through: LookupTableSpec.domainMax, by: 37) {
            let clamped = min(max(x, -700), 300)
            #expect(Self.spec.apply(x, table: table) == full[Int(clamped - LookupTableSpec.domainMin)], "x = \(x)")
        }
        let proven = LookupTableSpec.provenDomain(of: table)
        #expect(proven.lowerBound >= -700 && proven.upperBound <= 300)
        #expect(proven.count < LookupTableSpec.provenDomain(of: full).count)
    }

    static func program(_ spec: LookupTableSpec) -> Program {
        Program(memorySize: 2, tensors: [TensorDeclaration(name: "x", shape: [1], scale: 8, kind: .input, visibility: .public, address: 0),
                                         TensorDeclaration(name: "y", shape: [1], scale: 8, kind: .output, visibility: .public, address: 1)],
                tables: [spec], descriptors: [.map(.init(dst: 1, src: 0, count: 1, function: .lookup(table: 0)))],
                code: [Instruction(.map, imm: 0), Instruction(.halt)])
    }

    @Test func theDomainIsEncodedOnlyWhenDeclared() throws {
        let declared = Self.program(Self.spec), full = Self.program(LookupTableSpec(function: .exp, inputScale: 8, outputScale: 8))
        try declared.validate()
        #expect(try Program.decode(declared.encoded()) == declared)
        #expect(declared.encoded().count == full.encoded().count + 8 && declared.digest != full.digest)
        // The full domain written in the long form is not canonical.
        var bytes = full.encoded()
        let at = try #require(bytes.firstRange(of: [ActivationFunction.exp.code, 8, 8])).lowerBound
        bytes[at] |= 0x80
        var tail = [UInt8]()
        for v in [Int32(LookupTableSpec.domainMin), Int32(LookupTableSpec.domainMax)] { withUnsafeBytes(of: v.littleEndian) { tail += $0 } }
        bytes.insert(contentsOf: tail, at: at + 3)
        #expect(throws: ISAError.invalidProgram("non-canonical encoding")) { try Program.decode(bytes) }
        // Empty or out-of-range domains are invalid.
        for (low, high) in [(Int64(5), Int64(4)), (LookupTableSpec.domainMin - 1, 0), (0, LookupTableSpec.domainMax + 1)] {
            var bad = Self.spec
            (bad.inputLow, bad.inputHigh) = (low, high)
            #expect(throws: ISAError.self) { try Self.program(bad).validate() }
        }
    }
}
