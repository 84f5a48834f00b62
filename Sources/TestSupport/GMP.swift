import CGMP

/// An arbitrary-precision integer backed by GNU MP, used as an independent
/// oracle for field arithmetic. (GMP's `mpz_*` names are macros over
/// `__gmpz_*`, which is what Swift can call.)
public final class BigInteger: @unchecked Sendable {
    var raw = __mpz_struct()

    public init(_ value: UInt64 = 0) {
        __gmpz_init_set_ui(&raw, UInt(value))
    }

    public convenience init(_ other: BigInteger) {
        self.init()
        __gmpz_set(&raw, &other.raw)
    }

    deinit { __gmpz_clear(&raw) }

    /// The value, which must fit in 64 bits.
    public var uint64: UInt64 {
        precondition(__gmpz_sizeinbase(&raw, 2) <= 64 && __gmpz_cmp_ui(&raw, 0) >= 0)
        return UInt64(__gmpz_get_ui(&raw))
    }

    public static func + (a: BigInteger, b: BigInteger) -> BigInteger {
        let r = BigInteger(); __gmpz_add(&r.raw, &a.raw, &b.raw); return r
    }
    public static func - (a: BigInteger, b: BigInteger) -> BigInteger {
        let r = BigInteger(); __gmpz_sub(&r.raw, &a.raw, &b.raw); return r
    }
    public static func * (a: BigInteger, b: BigInteger) -> BigInteger {
        let r = BigInteger(); __gmpz_mul(&r.raw, &a.raw, &b.raw); return r
    }
    /// The non-negative residue modulo `m` (mpz_mod).
    public static func % (a: BigInteger, m: BigInteger) -> BigInteger {
        let r = BigInteger(); __gmpz_mod(&r.raw, &a.raw, &m.raw); return r
    }
    /// a^e mod m.
    public func power(_ e: BigInteger, modulo m: BigInteger) -> BigInteger {
        let r = BigInteger(); __gmpz_powm(&r.raw, &raw, &e.raw, &m.raw); return r
    }
    /// a⁻¹ mod m, or nil when it does not exist.
    public func inverse(modulo m: BigInteger) -> BigInteger? {
        let r = BigInteger()
        return __gmpz_invert(&r.raw, &raw, &m.raw) == 0 ? nil : r
    }
    public static func << (a: BigInteger, bits: Int) -> BigInteger {
        let r = BigInteger(); __gmpz_mul_2exp(&r.raw, &a.raw, UInt(bits)); return r
    }
    public static func == (a: BigInteger, b: BigInteger) -> Bool { __gmpz_cmp(&a.raw, &b.raw) == 0 }
    public var isZero: Bool { __gmpz_cmp_ui(&raw, 0) == 0 }
    /// Bit `i` of the (non-negative) value.
    public func bit(_ i: Int) -> Bool { __gmpz_tstbit(&raw, UInt(i)) == 1 }
    public var bitWidth: Int { Int(__gmpz_sizeinbase(&raw, 2)) }
}

/// Field arithmetic computed with GMP only: integers mod p and polynomials
/// mod (X³ − X − 1, p). Nothing here calls the `Field` module's arithmetic.
public enum GMPOracle {
    public static let p = BigInteger(0xFFFF_FFFF_0000_0001)

    public static func add(_ a: UInt64, _ b: UInt64) -> UInt64 { ((BigInteger(a) + BigInteger(b)) % p).uint64 }
    public static func sub(_ a: UInt64, _ b: UInt64) -> UInt64 { ((BigInteger(a) - BigInteger(b)) % p).uint64 }
    public static func mul(_ a: UInt64, _ b: UInt64) -> UInt64 { ((BigInteger(a) * BigInteger(b)) % p).uint64 }
    public static func neg(_ a: UInt64) -> UInt64 { ((BigInteger(0) - BigInteger(a)) % p).uint64 }
    public static func reduce(_ a: UInt64) -> UInt64 { (BigInteger(a) % p).uint64 }
    public static func power(_ a: UInt64, _ e: UInt64) -> UInt64 { BigInteger(a).power(BigInteger(e), modulo: p).uint64 }
    public static func inverse(_ a: UInt64) -> UInt64? { BigInteger(a).inverse(modulo: p)?.uint64 }
    /// The residue of hi·2^64 + lo.
    public static func reduce128(high: UInt64, low: UInt64) -> UInt64 {
        (((BigInteger(high) << 64) + BigInteger(low)) % p).uint64
    }

    /// Product in F_p[X]/(X³ − X − 1): schoolbook product of degree ≤ 4, then
    /// X⁴ → X² + X and X³ → X + 1, all in GMP integers.
    public static func extMul(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        precondition(a.count == 3 && b.count == 3)
        var d = [BigInteger](repeating: BigInteger(0), count: 5)
        for i in 0..<3 {
            for j in 0..<3 { d[i + j] = d[i + j] + BigInteger(a[i]) * BigInteger(b[j]) }
        }
        // X^4 = X^2 + X
        d[2] = d[2] + d[4]; d[1] = d[1] + d[4]
        // X^3 = X + 1
        d[1] = d[1] + d[3]; d[0] = d[0] + d[3]
        return (0..<3).map { (d[$0] % p).uint64 }
    }

    public static func extAdd(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] { (0..<3).map { add(a[$0], b[$0]) } }
    public static func extSub(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] { (0..<3).map { sub(a[$0], b[$0]) } }

    /// a^e in the extension by square-and-multiply over the bits of `e`.
    public static func extPower(_ a: [UInt64], _ e: BigInteger) -> [UInt64] {
        var result: [UInt64] = [1, 0, 0]
        let width = e.bitWidth
        if e.isZero { return result }
        for i in stride(from: width - 1, through: 0, by: -1) {
            result = extMul(result, result)
            if e.bit(i) { result = extMul(result, a) }
        }
        return result
    }

    /// a⁻¹ = a^(p³ − 2) in the extension (slow; for a few hundred cases).
    public static func extInverse(_ a: [UInt64]) -> [UInt64] {
        let order = p * p * p
        return extPower(a, order - BigInteger(2))
    }
}
