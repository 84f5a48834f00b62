import Field

extension SeededGenerator {
    /// `count` uniformly random field elements.
    public mutating func elements(_ count: Int) -> [Goldilocks] {
        (0..<count).map { _ in Goldilocks.random(using: &self) }
    }

    /// A random word biased toward the edge cases of Goldilocks reduction:
    /// 0, 1, p − 1, p − 2, 2^32 ± 1, 2^63, values ≥ p, and all-ones patterns.
    public mutating func edgyWord() -> UInt64 {
        let edges: [UInt64] = [0, 1, 2, 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFE_FFFF_FFFF,
                               0xFFFF_FFFF, 0x1_0000_0000, 0x1_0000_0001, 1 << 63,
                               0xFFFF_FFFF_0000_0001, 0xFFFF_FFFF_0000_0002, UInt64.max,
                               0xFFFF_FFFF_FFFF_FFFE, 0x0000_0001_FFFF_FFFF]
        return next() % 3 == 0 ? edges[Int(next() % UInt64(edges.count))] : next()
    }
}
