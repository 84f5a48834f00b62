import CGMP

/// Fast GMP arithmetic in F_p[X]/(X³ − X − 1) with preallocated scratch
/// integers, for the 10^5-case extension power sweeps. Not thread-safe: make
/// one per test. Computes only with GMP integers.
public final class GMPExtensionOracle {
    /// Slots 0…4: product coefficients d0…d4; 5: a temporary; 6: p.
    private let slots = UnsafeMutablePointer<__mpz_struct>.allocate(capacity: 7)
    private var d: UnsafeMutablePointer<__mpz_struct> { slots }
    private var t: UnsafeMutablePointer<__mpz_struct> { slots + 5 }
    private var p: UnsafeMutablePointer<__mpz_struct> { slots + 6 }

    public init() {
        for i in 0..<7 { __gmpz_init(slots + i) }
        __gmpz_set_ui(p, UInt(0xFFFF_FFFF_0000_0001))
    }

    deinit {
        for i in 0..<7 { __gmpz_clear(slots + i) }
        slots.deallocate()
    }

    /// (a · b) mod (X³ − X − 1, p), coefficients c0, c1, c2 as words < p.
    public func mul(_ a: (UInt64, UInt64, UInt64), _ b: (UInt64, UInt64, UInt64)) -> (UInt64, UInt64, UInt64) {
        let av = [a.0, a.1, a.2], bv = [b.0, b.1, b.2]
        for k in 0..<5 { __gmpz_set_ui(d + k, 0) }
        for i in 0..<3 {
            for j in 0..<3 {
                __gmpz_set_ui(t, UInt(av[i]))
                __gmpz_mul_ui(t, t, UInt(bv[j]))
                __gmpz_add(d + i + j, d + i + j, t)
            }
        }
        __gmpz_add(d + 2, d + 2, d + 4); __gmpz_add(d + 1, d + 1, d + 4)   // X^4 = X^2 + X
        __gmpz_add(d + 1, d + 1, d + 3); __gmpz_add(d, d, d + 3)           // X^3 = X + 1
        for k in 0..<3 { __gmpz_mod(d + k, d + k, p) }
        return (UInt64(__gmpz_get_ui(d)), UInt64(__gmpz_get_ui(d + 1)), UInt64(__gmpz_get_ui(d + 2)))
    }

    /// a^e by left-to-right square-and-multiply.
    public func power(_ a: (UInt64, UInt64, UInt64), _ e: UInt64) -> (UInt64, UInt64, UInt64) {
        var r: (UInt64, UInt64, UInt64) = (1, 0, 0)
        guard e != 0 else { return r }
        for bit in stride(from: 63 - e.leadingZeroBitCount, through: 0, by: -1) {
            r = mul(r, r)
            if (e >> UInt64(bit)) & 1 == 1 { r = mul(r, a) }
        }
        return r
    }
}
