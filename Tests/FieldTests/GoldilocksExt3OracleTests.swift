import Testing
import Field
import TestSupport

/// Differential tests of the cubic extension against GMP polynomial arithmetic.
@Suite struct GoldilocksExt3OracleTests {
    static let cases = 100_000

    static func operand(_ g: inout SeededGenerator) -> GoldilocksExt3 {
        GoldilocksExt3(Goldilocks(reducing: g.edgyWord()), Goldilocks(reducing: g.edgyWord()),
                       Goldilocks(reducing: g.edgyWord()))
    }

    static func words(_ a: GoldilocksExt3) -> [UInt64] { [a.c0.value, a.c1.value, a.c2.value] }
    static func tuple(_ a: GoldilocksExt3) -> (UInt64, UInt64, UInt64) { (a.c0.value, a.c1.value, a.c2.value) }

    @Test func additionAndSubtraction() {
        var g = SeededGenerator(seed: 11)
        for _ in 0..<Self.cases {
            let a = Self.operand(&g), b = Self.operand(&g)
            #expect(Self.words(a + b) == GMPOracle.extAdd(Self.words(a), Self.words(b)))
            #expect(Self.words(a - b) == GMPOracle.extSub(Self.words(a), Self.words(b)))
            #expect(Self.words(-a) == GMPOracle.extSub([0, 0, 0], Self.words(a)))
        }
    }

    @Test func multiplication() {
        var g = SeededGenerator(seed: 12)
        let oracle = GMPExtensionOracle()
        for _ in 0..<Self.cases {
            let a = Self.operand(&g), b = Self.operand(&g)
            let expected = oracle.mul(Self.tuple(a), Self.tuple(b))
            let got = a * b
            #expect(Self.tuple(got) == expected)
            // Mixed extension × base multiplication agrees with embedding.
            #expect(a * b.c0 == a * GoldilocksExt3(b.c0))
        }
    }

    @Test func powers() {
        var g = SeededGenerator(seed: 13)
        let oracle = GMPExtensionOracle()
        for _ in 0..<Self.cases {
            let a = Self.operand(&g)
            let e = g.next() >> (g.next() % 64)
            #expect(Self.tuple(a.power(e)) == oracle.power(Self.tuple(a), e))
        }
    }

    /// a · a⁻¹ = 1 checked with GMP's product for 10^5 cases.
    @Test func inversesSatisfyDefinition() throws {
        var g = SeededGenerator(seed: 14)
        let oracle = GMPExtensionOracle()
        for _ in 0..<Self.cases {
            let a = Self.operand(&g)
            if a.isZero { continue }
            let inv = try a.inverse()
            #expect(oracle.mul(Self.tuple(a), Self.tuple(inv)) == (1, 0, 0))
        }
        #expect(throws: FieldError.divisionByZero(index: nil)) { try GoldilocksExt3.zero.inverse() }
    }

    /// a⁻¹ = a^(p³ − 2), computed entirely in GMP, for a smaller sample.
    @Test func inversesMatchFermat() throws {
        var g = SeededGenerator(seed: 15)
        for _ in 0..<200 {
            let a = Self.operand(&g)
            if a.isZero { continue }
            #expect(Self.words(try a.inverse()) == GMPOracle.extInverse(Self.words(a)))
        }
    }

    @Test func frobeniusIsPthPowerAndNormIsBase() {
        var g = SeededGenerator(seed: 16)
        for _ in 0..<1_000 {
            let a = Self.operand(&g)
            #expect(a.frobenius() == a.power(Goldilocks.modulus))
            #expect(a.frobenius().frobenius().frobenius() == a)
            let n = a * a.frobenius() * a.frobenius().frobenius()
            #expect(n.baseValue == a.norm())
        }
    }
}
