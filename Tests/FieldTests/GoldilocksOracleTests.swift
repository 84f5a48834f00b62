import Testing
import Field
import TestSupport

/// Differential tests of base-field arithmetic against GMP (SECURITY-PLAN D.13):
/// 10^5 seeded cases per operation, a third of them edge values.
@Suite struct GoldilocksOracleTests {
    static let cases = 100_000
    static let p = Goldilocks.modulus

    /// A canonical operand, biased toward edges (edge words ≥ p are reduced).
    static func operand(_ g: inout SeededGenerator) -> Goldilocks {
        Goldilocks(reducing: g.edgyWord())
    }

    @Test func additionSubtractionNegation() {
        var g = SeededGenerator(seed: 1)
        for _ in 0..<Self.cases {
            let a = Self.operand(&g), b = Self.operand(&g)
            #expect((a + b).value == GMPOracle.add(a.value, b.value))
            #expect((a - b).value == GMPOracle.sub(a.value, b.value))
            #expect((-a).value == GMPOracle.neg(a.value))
        }
    }

    @Test func multiplicationAndSquaring() {
        var g = SeededGenerator(seed: 2)
        for _ in 0..<Self.cases {
            let a = Self.operand(&g), b = Self.operand(&g)
            #expect((a * b).value == GMPOracle.mul(a.value, b.value))
            #expect(a.squared().value == GMPOracle.mul(a.value, a.value))
        }
    }

    @Test func wideReductionOfEvery128BitShape() {
        var g = SeededGenerator(seed: 3)
        for _ in 0..<Self.cases {
            let hi = g.edgyWord(), lo = g.edgyWord()
            #expect(Goldilocks.reduce128(high: hi, low: lo) == GMPOracle.reduce128(high: hi, low: lo))
        }
    }

    @Test func powers() {
        var g = SeededGenerator(seed: 4)
        for _ in 0..<Self.cases {
            let a = Self.operand(&g)
            let e = g.next() >> (g.next() % 64)
            #expect(a.power(e).value == GMPOracle.power(a.value, e))
        }
    }

    @Test func inverses() throws {
        var g = SeededGenerator(seed: 5)
        for _ in 0..<Self.cases {
            let a = Self.operand(&g)
            if a.isZero {
                #expect(throws: FieldError.divisionByZero(index: nil)) { try a.inverse() }
            } else {
                #expect(try a.inverse().value == GMPOracle.inverse(a.value))
            }
        }
    }

    @Test func reductionOfArbitraryWords() {
        var g = SeededGenerator(seed: 6)
        for _ in 0..<Self.cases {
            let w = g.edgyWord()
            #expect(Goldilocks(reducing: w).value == GMPOracle.reduce(w))
            #expect((Goldilocks(canonical: w) != nil) == (w < Self.p))
        }
    }

    @Test func signedEmbedding() {
        for v in [0, 1, -1, 42, -42, Int.max, Int.min, Int(Int32.min), Int(UInt32.max)] {
            let x = Goldilocks(v)
            let expected = v >= 0
                ? GMPOracle.reduce(UInt64(v))
                : GMPOracle.neg(GMPOracle.reduce(UInt64(v.magnitude)))
            #expect(x.value == expected, "Goldilocks(\(v))")
        }
        #expect(Goldilocks(-5).signedValue == -5)
        #expect(Goldilocks(7).signedValue == 7)
    }
}

/// The unreduced-word operations on arbitrary 64-bit words (including ≥ p),
/// against GMP: congruence mod p, and the slow paths that canonical inputs
/// never reach.
@Suite struct LazyArithmeticOracleTests {
    @Test func lazyOperationsAreCongruentOnAnyWords() {
        var g = SeededGenerator(seed: 8)
        let p = Goldilocks.modulus
        for _ in 0..<100_000 {
            let a = g.edgyWord(), b = g.edgyWord()
            #expect(Goldilocks.lazyAdd(a, b) % p == GMPOracle.add(a % p, b % p))
            #expect(Goldilocks.lazySubtract(a, b) % p == GMPOracle.sub(a % p, b % p))
            #expect(Goldilocks.lazyMultiply(a, b) % p == GMPOracle.mul(a % p, b % p))
            #expect(Goldilocks.canonical(a).value == GMPOracle.reduce(a))
        }
        // The second-carry and second-borrow slow paths.
        #expect(Goldilocks.lazyAdd(.max, .max) == 8_589_934_588)
        #expect(Goldilocks.lazySubtract(0, .max) == 0xFFFF_FFFE_0000_0003)
        #expect(Goldilocks.lazyAdd(.max, .max) % p == GMPOracle.add(UInt64.max % p, UInt64.max % p))
    }
}
