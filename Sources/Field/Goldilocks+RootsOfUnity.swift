extension Goldilocks {
    /// The 2-adicity of p − 1 = 2^32 · 3 · 5 · 17 · 257 · 65537.
    public static let twoAdicity = 32

    /// A primitive 2^32-th root of unity: 7^((p − 1)/2^32) (Spec/field.md).
    public static let twoAdicRootOfUnity = Goldilocks(canonicalUnchecked: 1_753_635_133_440_165_772)

    /// A primitive 2^logOrder-th root of unity ω, with ω^(2^(logOrder − 1)) = −1.
    ///
    /// Roots of different orders are consistent: `rootOfUnity(k).squared()` ==
    /// `rootOfUnity(k − 1)`.
    /// - Precondition: 0 ≤ logOrder ≤ 32.
    @inlinable
    public static func rootOfUnity(logOrder: Int) -> Goldilocks {
        precondition(logOrder >= 0 && logOrder <= twoAdicity, "2-adic order out of range")
        return twoAdicRootOfUnity.squared(times: twoAdicity - logOrder)
    }

    /// The successive powers 1, x, x², …, x^(count − 1).
    @inlinable
    public func powers(count: Int) -> [Goldilocks] {
        var result = [Goldilocks]()
        result.reserveCapacity(count)
        var current = Goldilocks.one
        for _ in 0..<count {
            result.append(current)
            current = current * self
        }
        return result
    }
}

extension Goldilocks {
    /// A uniformly random element: 64-bit words are drawn until one is < p
    /// (rejection, probability of a redraw ≈ 2^−32), so there is no modulo bias.
    @inlinable
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> Goldilocks {
        while true {
            if let x = Goldilocks(canonical: generator.next()) { return x }
        }
    }
}

extension GoldilocksExt3 {
    /// A uniformly random extension element.
    @inlinable
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> GoldilocksExt3 {
        GoldilocksExt3(.random(using: &generator), .random(using: &generator), .random(using: &generator))
    }
}
