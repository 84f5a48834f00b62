import Testing
import Field
import TestSupport

@Suite struct FieldStructureTests {
    /// 7 generates F_p^*: 7^((p−1)/q) ≠ 1 for each prime q | p − 1.
    @Test func sevenIsAGenerator() {
        let pMinus1 = Goldilocks.modulus - 1
        for q: UInt64 in [2, 3, 5, 17, 257, 65537] {
            #expect(pMinus1 % q == 0)
            #expect(GMPOracle.power(7, pMinus1 / q) != 1, "7 has order dividing (p−1)/\(q)")
        }
        var rest = pMinus1
        for q: UInt64 in [2, 3, 5, 17, 257, 65537] { while rest % q == 0 { rest /= q } }
        #expect(rest == 1, "p − 1 = 2^32·3·5·17·257·65537")
    }

    @Test(arguments: 0...32)
    func rootsOfUnityHaveExactOrder(logOrder: Int) {
        let w = Goldilocks.rootOfUnity(logOrder: logOrder)
        #expect(w.squared(times: logOrder) == .one)
        if logOrder > 0 {
            #expect(w.squared(times: logOrder - 1) == -Goldilocks.one)
        }
    }

    @Test func twoAdicRootIsSevenToTheOddPart() {
        #expect(Goldilocks.twoAdicRootOfUnity.value == GMPOracle.power(7, (Goldilocks.modulus - 1) >> 32))
    }

    /// X³ − X − 1 is irreducible over F_p: a reducible cubic has a root, and it
    /// has none iff gcd(X^p − X, X³ − X − 1) = 1 (Rabin's test). X^p mod f is
    /// computed with GMP.
    @Test func extensionModulusIsIrreducible() {
        let xp = GMPOracle.extPower([0, 1, 0], BigInteger(Goldilocks.modulus))
        var g = [xp[0], GMPOracle.sub(xp[1], 1), xp[2]]   // X^p − X  mod f
        var f: [UInt64] = [GMPOracle.neg(1), GMPOracle.neg(1), 0, 1]  // X³ − X − 1, low → high
        func trim(_ a: inout [UInt64]) { while let last = a.last, last == 0 { a.removeLast() } }
        trim(&g)
        // Euclid's algorithm over F_p with GMP arithmetic only.
        while !g.isEmpty {
            var r = f
            while r.count >= g.count {
                let factor = GMPOracle.mul(r.last!, GMPOracle.inverse(g.last!)!)
                let shift = r.count - g.count
                for i in 0..<g.count { r[i + shift] = GMPOracle.sub(r[i + shift], GMPOracle.mul(factor, g[i])) }
                trim(&r)
                if r.isEmpty { break }
            }
            f = g
            g = r
        }
        #expect(f.count == 1, "gcd has degree \(f.count - 1)")
    }

    @Test func canonicalSerialization() throws {
        var g = SeededGenerator(seed: 21)
        for _ in 0..<1_000 {
            let x = Goldilocks.random(using: &g)
            #expect(try Goldilocks.decode(x.bytes, at: 0) == x)
            let e = GoldilocksExt3.random(using: &g)
            #expect(try GoldilocksExt3.decode(e.bytes, at: 0) == e)
        }
        #expect(Goldilocks(reducing: 0x0102_0304_0506_0708).bytes == [8, 7, 6, 5, 4, 3, 2, 1])
        for bad: UInt64 in [Goldilocks.modulus, Goldilocks.modulus + 1, UInt64.max] {
            var bytes: [UInt8] = [0xAA]
            withUnsafeBytes(of: bad.littleEndian) { bytes.append(contentsOf: $0) }
            #expect(throws: FieldError.nonCanonical(value: bad, offset: 1)) { try Goldilocks.decode(bytes, at: 1) }
            let ext = GoldilocksExt3.one.bytes[0..<8] + bytes[1...] + GoldilocksExt3.one.bytes[16...]
            #expect(throws: FieldError.nonCanonical(value: bad, offset: 8)) { try GoldilocksExt3.decode(Array(ext), at: 0) }
        }
        #expect(throws: FieldError.truncated(offset: 3, needed: 8, available: 5)) {
            try Goldilocks.decode([UInt8](repeating: 0, count: 8), at: 3)
        }
        #expect(throws: FieldError.self) { try Goldilocks.decode([UInt8](repeating: 0, count: 8), at: -1) }
        #expect(throws: FieldError.self) { try Goldilocks.decode([UInt8](repeating: 0, count: 8), at: Int.max) }
        #expect(throws: FieldError.self) { try GoldilocksExt3.decode([UInt8](repeating: 0, count: 23), at: 0) }
    }

    @Test func batchInversionMatchesSingleInversions() throws {
        var g = SeededGenerator(seed: 22)
        for n in [1, 2, 3, 17, 1000] {
            let base = (0..<n).map { _ in Goldilocks(reducing: g.next() | 1) }
            #expect(try batchInverse(base) == base.map { try $0.inverse() })
            let ext = (0..<n).map { _ in GoldilocksExt3.random(using: &g) }
            #expect(try batchInverse(ext) == ext.map { try $0.inverse() })
        }
        var withZero = g.elements(10).map { $0.isZero ? Goldilocks.one : $0 }
        withZero[6] = .zero
        let before = withZero
        #expect(throws: FieldError.divisionByZero(index: 6)) { try batchInvert(&withZero) }
        #expect(withZero == before)
        var empty: [Goldilocks] = []
        try batchInvert(&empty)
        #expect(empty.isEmpty)
    }
}
