import Field
import Hashing

extension Transcript {
    /// A uniform base-field challenge: 64-bit words are drawn until one is
    /// < p (rejection sampling; no modulo bias, redraw probability ≈ 2^−32).
    public mutating func challengeElement() -> Goldilocks {
        var out = Goldilocks.zero
        words { source in
            while true {
                if let x = Goldilocks(canonical: source.next()) { out = x; return }
            }
        }
        return out
    }

    /// A uniform challenge in the cubic extension (three uniform coefficients).
    public mutating func challengeExtension() -> GoldilocksExt3 {
        var out = GoldilocksExt3.zero
        words { source in
            func element() -> Goldilocks {
                while true { if let x = Goldilocks(canonical: source.next()) { return x } }
            }
            out = GoldilocksExt3(element(), element(), element())
        }
        return out
    }

    /// `count` independent uniform extension challenges from one squeeze
    /// (the words of successive blocks): coefficients for linear batching.
    public mutating func challengeExtensions(count: Int) -> [GoldilocksExt3] {
        var out = [GoldilocksExt3]()
        out.reserveCapacity(count)
        words { source in
            func element() -> Goldilocks {
                while true { if let x = Goldilocks(canonical: source.next()) { return x } }
            }
            for _ in 0..<count { out.append(GoldilocksExt3(element(), element(), element())) }
        }
        return out
    }

    /// `count` independent uniform indices in [0, bound).
    ///
    /// Each index takes the low ⌈log2 bound⌉ bits of a fresh 64-bit word and is
    /// redrawn if ≥ bound, so for a power-of-two bound (the query case) it is
    /// exactly the low bits and never redrawn. Indices may repeat.
    /// - Precondition: bound ≥ 1.
    public mutating func challengeIndices(count: Int, bound: Int) -> [Int] {
        precondition(bound >= 1 && count >= 0)
        let bits = bound == 1 ? 0 : 64 - UInt64(bound - 1).leadingZeroBitCount
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        var out = [Int]()
        out.reserveCapacity(count)
        words { source in
            while out.count < count {
                let candidate = source.next() & mask
                if candidate < UInt64(bound) { out.append(Int(candidate)) }
            }
        }
        return out
    }
}

extension Transcript {
    /// 32 challenge bytes as a digest: a binding of everything absorbed so far
    /// (used to tie one proof's transcript into another's, e.g. segments
    /// sharing LogUp challenges; Spec/proof-system.md §4).
    public mutating func challengeDigest() -> Digest {
        ratchet()
        return Digest(bytes: nextBlock())!
    }
}
