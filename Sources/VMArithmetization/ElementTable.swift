import AIR
import Field
import ISA

/// Column layout of the `element` table: one row per element a map or zip
/// computes (Spec/vm-air.md §12). The first `ElementCode.Step.fieldCount`
/// columns mirror the schedule row (looked up in `elementcode`).
public enum ElementColumns {
    public static let id = 0, descriptor = 1, isStart = 2, isLast = 3
    public static let aOffset = 4, bOffset = 5, dOffset = 6, readTime = 7, writeTime = 8
    /// One flag per `ElementCode.Step.Kind`, in its order.
    public static let kinds = 9
    public static func kind(_ k: ElementCode.Step.Kind) -> Int { kinds + k.rawValue }
    public static let parameter1 = kinds + ElementCode.Step.Kind.allCases.count, parameter2 = parameter1 + 1
    public static let table = parameter2 + 1
    // Dynamic.
    public static let active = table + 1, instructionTime = active + 1, baseA = active + 2, baseB = active + 3, baseD = active + 4
    /// The operands, the result written and the value it overwrites.
    public static let va = baseD + 1, vb = va + 1, result = va + 2, old = va + 3
    /// Helpers: max/min's comparison bit, a rescale's remainder, a clamp's or
    /// lookup's side bits and clamped input.
    public static let less = old + 1, remainder = less + 1, clampLow = less + 2, clampHigh = less + 3, clamped = less + 4
    /// Previous timestamps of the accesses A, B, D and two gap limbs each.
    public static let previousTimestamp = clamped + 1
    public static let timestampLimbs = previousTimestamp + 3
    /// Three range slots, two 16-bit limbs each.
    public static let slotLimbs = timestampLimbs + 6
    public static let width = slotLimbs + 6

    /// The accesses in timestamp-slot order: A, B (zips only), then the write D.
    public static let accessCount = 3
    public static let writeAccess = 2
}

/// The `elementcode` table: every map's and zip's static schedule
/// (preprocessed, `ElementCode`) with a multiplicity; padding rows have
/// descriptor −1.
enum ElementCodeTable: VMTableComponent {
    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        try ScheduledInstances.codeTable(name: "elementcode", bus: Bus.elementcode, fieldCount: ElementCode.Step.fieldCount,
                                         blinded: blinded)
    }

    static func preprocessedColumns(of air: VMAir, isLastSegment: Bool) -> [[Goldilocks]] {
        ScheduledInstances.codeColumns(isLastSegment ? air.elementCode.steps.map(\.fields) : [],
                                       fieldCount: ElementCode.Step.fieldCount,
                                       logHeight: air.codeLogHeight(.elementcode, isLastSegment: isLastSegment),
                                       descriptor: ElementColumns.descriptor)
    }
}

/// The `element` table: one row per executed map or zip element
/// (Spec/vm-air.md §12), in instances of its schedule
/// (`ScheduledInstances`). A row reads A (and a zip's B), computes one
/// operation selected by its schedule's kind flag and writes the result,
/// all through the memory bus; three range slots carry the result's range,
/// a rescale's remainder bounds, a comparison or a clamp's sides.
enum ElementTable: VMTableComponent {
    typealias E = ElementColumns
    typealias Kind = ElementCode.Step.Kind

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "element", mainWidth: E.width)
        func c(_ i: Int) -> Expression { .main(i) }
        func flag(_ k: Kind) -> Expression { c(E.kind(k)) }
        let active = c(E.active)
        ScheduledInstances(bus: Bus.elementcode, fields: ElementCode.Step.fieldCount, paddingOnes: [E.isLast], id: E.id,
                           descriptor: E.descriptor, isStart: E.isStart, isLast: E.isLast, active: E.active,
                           instructionTime: E.instructionTime, baseA: E.baseA, baseD: E.baseD, baseB: E.baseB).constrain(&t)

        let (va, vb, res, rem, less) = (c(E.va), c(E.vb), c(E.result), c(E.remainder), c(E.less))
        let (p1, p2) = (c(E.parameter1), c(E.parameter2))
        let (cl, ch, clamped) = (c(E.clampLow), c(E.clampHigh), c(E.clamped))
        let zip = flag(.add) + flag(.sub) + flag(.mul) + flag(.max) + flag(.min)
        let rescaling = flag(.mul) + flag(.rescale)
        let comparing = flag(.max) + flag(.min)
        let clamping = flag(.clamp) + flag(.lookup)
        let two16 = Expression.constant(Goldilocks(1 << 16))
        let two31 = Expression.constant(Goldilocks(Int(1) << 31))
        let two32 = Expression.constant(Goldilocks(Int(1) << 32))

        // Cells an operation does not use are 0, so each row has one witness.
        t.assertZero("B is 0 unless read", (1 - zip) * vb)
        t.assertZero("B's previous timestamp is 0 unless read", (1 - zip) * c(E.previousTimestamp + 1))
        t.assertZero("B's low gap limb is 0 unless read", (1 - zip) * c(E.timestampLimbs + 2))
        t.assertZero("B's high gap limb is 0 unless read", (1 - zip) * c(E.timestampLimbs + 3))
        t.assertZero("remainder is 0 unless rescaling", (1 - rescaling) * rem)
        t.assertZero("less is 0 unless comparing", (1 - comparing) * less)
        t.assertZero("clamp bits are 0 unless clamping", (1 - clamping) * (cl + ch))
        t.assertZero("clamped is 0 unless clamping", (1 - clamping) * clamped)

        // The operations (Spec/isa.md §4): each row's one kind flag selects its equation.
        t.assertZero("add result", flag(.add) * (res - va - vb))
        t.assertZero("sub result", flag(.sub) * (res - va + vb))
        t.assertZero("rescaled product", flag(.mul) * (va * vb + p2 - res * p1 - rem))
        t.assertZero("rescaled value", flag(.rescale) * (va + p2 - res * p1 - rem))
        t.assertBoolean("less is boolean", less)
        t.assertZero("max result", flag(.max) * (res - less * vb - (1 - less) * va))
        t.assertZero("min result", flag(.min) * (res - less * va - (1 - less) * vb))
        t.assertBoolean("clampLow is boolean", cl)
        t.assertBoolean("clampHigh is boolean", ch)
        t.assertZero("clamp sides exclusive", cl * ch)
        t.assertZero("clamped input", clamping * (clamped - cl * p1 - ch * p2 - (1 - cl - ch) * va))
        t.assertZero("clamp result", flag(.clamp) * (res - clamped))
        t.send("activation lookup", bus: Bus.activation, [c(E.table), clamped, res], multiplicity: flag(.lookup))

        // Range slots: each value is lo + 2^16·hi with both limbs 16-bit.
        let below = cl * (p1 - 1 - va)                      // clampLow ⇒ va < p1
        let slots: [Expression] = [
            (flag(.add) + flag(.sub) + rescaling) * (res + two31)
                + comparing * (va - vb + less * two32)
                + flag(.clamp) * (below + (1 - cl) * (va - p1))
                + flag(.lookup) * (below + ch * (va - p2)),
            rescaling * rem
                + flag(.clamp) * (ch * (va - p2 - 1) + (1 - ch) * (p2 - va))
                + flag(.lookup) * (clamped - p1),
            rescaling * (p1 - 1 - rem),
        ]
        for (s, value) in slots.enumerated() {
            let l = c(E.slotLimbs + 2 * s), h = c(E.slotLimbs + 2 * s + 1)
            t.assertZero("element range slot \(s)", value - l - two16 * h)
            t.send("element slot \(s) low", bus: Bus.range, [l], multiplicity: active)
            t.send("element slot \(s) high", bus: Bus.range, [h], multiplicity: active)
        }
        t.assertZero("lookup input is 16-bit", flag(.lookup) * c(E.slotLimbs + 3))

        // Memory: A at T + 8 + readTime, a zip's B one timestamp later, D at T + 8 + writeTime.
        let base = c(E.instructionTime) + CPUColumns.timestampsPerRow
        let accesses: [(String, Expression, Expression, Expression, Expression, Expression)] = [
            ("A", active, c(E.baseA) + c(E.aOffset), va, va, base + c(E.readTime)),
            ("B", zip, c(E.baseB) + c(E.bOffset), vb, vb, base + c(E.readTime) + 1),
            ("D", active, c(E.baseD) + c(E.dOffset), c(E.old), res, base + c(E.writeTime)),
        ]
        for (k, (name, enabled, address, old, new, ts)) in accesses.enumerated() {
            MemoryAccess(name: name, enabled: enabled, space: .space(AddressSpace.memory), address: address, old: old, new: new,
                         timestamp: ts, previousColumn: E.previousTimestamp + k, limbColumn: E.timestampLimbs + 2 * k)
                .constrain(&t)
        }
        return try t.build(blinded: blinded)
    }
}
