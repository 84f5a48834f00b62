extension GoldilocksExt3 {
    /// X^p mod (X³ − X − 1): the image of X under the Frobenius map.
    @usableFromInline
    static let frobeniusOfX: GoldilocksExt3 = GoldilocksExt3(.zero, .one, .zero).power(Goldilocks.modulus)

    /// X^(2p) = (X^p)².
    @usableFromInline
    static let frobeniusOfXSquared: GoldilocksExt3 = frobeniusOfX.squared()

    /// The Frobenius automorphism a ↦ a^p, computed F_p-linearly as
    /// c0 + c1·X^p + c2·X^(2p) (coefficients are fixed by it).
    @inlinable
    public func frobenius() -> GoldilocksExt3 {
        GoldilocksExt3(c0) + GoldilocksExt3.frobeniusOfX * c1 + GoldilocksExt3.frobeniusOfXSquared * c2
    }

    /// The norm N(a) = a · a^p · a^(p²) ∈ F_p.
    @inlinable
    public func norm() -> Goldilocks {
        let f1 = frobenius()
        let conjugates = f1 * f1.frobenius()
        let n = self * conjugates
        assert(n.c1.isZero && n.c2.isZero, "norm must lie in the base field")
        return n.c0
    }

    /// a⁻¹ = (a^p · a^(p²)) / N(a): two Frobenius maps, three extension
    /// multiplications and one base-field inversion.
    @inlinable
    public func inverse() throws(FieldError) -> GoldilocksExt3 {
        if isZero { throw .divisionByZero(index: nil) }
        let f1 = frobenius()
        let conjugates = f1 * f1.frobenius()
        let n = self * conjugates
        return conjugates * (try n.c0.inverse())
    }
}

/// Canonical encoding: the three coefficients c0, c1, c2 in order, each as a
/// canonical 8-byte little-endian Goldilocks element (24 bytes).
extension GoldilocksExt3 {
    public static let byteCount = 24

    @inlinable
    public func encode(into bytes: inout [UInt8]) {
        c0.encode(into: &bytes)
        c1.encode(into: &bytes)
        c2.encode(into: &bytes)
    }

    @inlinable
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(24)
        encode(into: &out)
        return out
    }

    /// Decodes 24 bytes at `offset`; each coefficient must be canonical.
    @inlinable
    public static func decode(_ bytes: [UInt8], at offset: Int) throws(FieldError) -> GoldilocksExt3 {
        GoldilocksExt3(try Goldilocks.decode(bytes, at: offset),
                       try Goldilocks.decode(bytes, at: offset + 8),
                       try Goldilocks.decode(bytes, at: offset + 16))
    }
}
