import AIR
import Field

/// One timestamped access on the memory bus (Spec/vm-air.md §4): receive
/// (space, address, old, previous), send (space, address, new, timestamp),
/// and range-check timestamp − previous − 1 ∈ [0, 2^32) with two 16-bit
/// limbs, all when `enabled` (degree ≤ 1) is 1. A read has new = old.
struct MemoryAccess {
    var name: String
    var enabled: Expression
    /// The address space (degree ≤ 1: a constant, or a combination of flags).
    var space: Expression
    var address: Expression
    var old: Expression
    var new: Expression
    var timestamp: Expression
    /// Column of the previous timestamp, and of the first of the two limbs.
    var previousColumn: Int
    var limbColumn: Int

    func constrain(_ t: inout TableBuilder) {
        let previous = Expression.main(previousColumn)
        let lo = Expression.main(limbColumn), hi = Expression.main(limbColumn + 1)
        t.receive("\(name) read", bus: Bus.memory, [space, address, old, previous], multiplicity: enabled)
        t.send("\(name) write", bus: Bus.memory, [space, address, new, timestamp], multiplicity: enabled)
        t.assertZero("\(name) timestamp increases",
                     enabled * (timestamp - previous - 1 - lo - Expression.constant(Goldilocks(1 << 16)) * hi))
        t.send("\(name) timestamp low", bus: Bus.range, [lo], multiplicity: enabled)
        t.send("\(name) timestamp high", bus: Bus.range, [hi], multiplicity: enabled)
    }
}

extension Expression {
    /// The constant of address space `space` (`AddressSpace`).
    static func space(_ space: Int) -> Expression { .constant(Goldilocks(space)) }
}
