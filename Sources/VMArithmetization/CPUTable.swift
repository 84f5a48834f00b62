import AIR
import Field
import ISA

/// The CPU table's constraints (Spec/vm-air.md §3): decoding by lookup into
/// the program table, one-hot opcode flags, the semantics of every scalar
/// opcode, control flow, and four timestamped accesses on the memory bus
/// (registers ra and rb, register rc or a memory cell, register rd).
enum CPUTable: VMTableComponent {
    typealias C = CPUColumns

    static func definition(blinded: Bool = false) throws(AIRError) -> Table {
        var t = TableBuilder(name: "cpu", mainWidth: C.width)
        func col(_ c: Int) -> Expression { .main(c) }
        func next(_ c: Int) -> Expression { .mainNext(c) }
        func f(_ op: Opcode) -> Expression { .main(C.flag(op)) }
        let active = col(C.active)
        let two16 = Expression.constant(Goldilocks(1 << 16))
        let two31 = Expression.constant(Goldilocks(Int(1) << 31))
        let two32 = Expression.constant(Goldilocks(Int(1) << 32))
        let (va, vb, vc, res, imm, pc) = (col(C.va), col(C.vb), col(C.vc), col(C.result), col(C.imm), col(C.pc))

        // Row sequencing. A segment (Spec/vm-air.md §8) starts at the public
        // (pcStart, tsStart) and its last active row leads to (pcEnd, tsEnd);
        // only the last segment halts, and it ends with halt.
        let pcStart = Expression.publicValue(SegmentBoundary.Index.pcStart), tsStart = Expression.publicValue(SegmentBoundary.Index.tsStart)
        let pcEnd = Expression.publicValue(SegmentBoundary.Index.pcEnd), tsEnd = Expression.publicValue(SegmentBoundary.Index.tsEnd)
        let isLast = Expression.publicValue(SegmentBoundary.Index.isLast)
        let nextTs = col(C.ts0) + C.timestampsPerRow + col(C.span)
        t.assertOnFirstRow("pc starts at pcStart", pc - pcStart)
        t.assertOnFirstRow("first row is active", active - 1)
        t.assertBoolean("active is boolean", active)
        t.assertOnTransition("inactive rows stay inactive", (1 - active) * next(C.active))
        t.assertOnTransition("pc follows nextPC", next(C.active) * (next(C.pc) - col(C.nextPC)))
        t.assertOnTransition("the segment's last instruction leads to pcEnd", (active - next(C.active)) * (col(C.nextPC) - pcEnd))
        t.assertOnTransition("the segment's last instruction leads to tsEnd", (active - next(C.active)) * (nextTs - tsEnd))
        t.assertOnLastRow("a full segment leads to pcEnd", active * (col(C.nextPC) - pcEnd))
        t.assertOnLastRow("a full segment leads to tsEnd", active * (nextTs - tsEnd))
        t.assertOnTransition("the last executed instruction is halt", (active - next(C.active)) * (1 - f(.halt)) * isLast)
        t.assertOnLastRow("a full trace ends in halt", active * (1 - f(.halt)) * isLast)
        t.assertZero("only the last segment halts", (1 - isLast) * f(.halt))
        t.assertOnTransition("nothing runs after halt", f(.halt) * next(C.active))

        // Decoding: one-hot flags on active rows; the fetched opcode is the
        // flags' combination (tensor instructions share one flag and one class code).
        let tensor = col(C.tensorFlag)
        for op in C.scalarOpcodes { t.assertBoolean("flag \(op) is boolean", f(op)) }
        t.assertBoolean("flag tensor is boolean", tensor)
        t.assertZero("exactly one flag on active rows", Expression.sum(C.scalarOpcodes.map(f)) + tensor - active)
        let opcode = Expression.sum(C.scalarOpcodes.map { C.fetchedOpcode($0) * f($0) }) + C.tensorClass * tensor
        t.send("fetch", bus: Bus.program,
               [pc, opcode, col(C.rd), col(C.ra), col(C.rb), col(C.rc), imm, col(C.pow), col(C.half), col(C.span)],
               multiplicity: active)

        // Timestamps: a running base, advanced by 8 plus the instruction's micro-step span.
        t.assertOnFirstRow("ts0 starts at tsStart", col(C.ts0) - tsStart)
        t.assertOnTransition("ts0 advances", next(C.active) * (next(C.ts0) - col(C.ts0) - C.timestampsPerRow - col(C.span)))

        // Tensor instructions: rd is read (its value is the destination offset)
        // and a micro-step instance is started in the tensor table.
        t.assertZero("tensor instructions keep rd", tensor * (res - col(C.rdOld)))
        t.send("tensor instruction", bus: Bus.tensor, [col(C.ts0), imm, col(C.rdOld), va, vb], multiplicity: tensor)

        // Helpers: vc ≠ 0, comparison, equality.
        let nz = col(C.nonZeroC)
        t.assertZero("nonZeroC = vc·inverse", vc * col(C.inverse) - nz)
        t.assertZero("vc = 0 when nonZeroC = 0", vc * (1 - nz))
        let less = col(C.less)
        t.assertBoolean("less is boolean", less)

        // Semantics.
        t.assertZero("li", f(.li) * (res - imm))
        t.assertZero("mov", f(.mov) * (res - va))
        t.assertZero("add", f(.add) * (res - va - vb))
        t.assertZero("addi", f(.addi) * (res - va - imm))
        t.assertZero("sub", f(.sub) * (res - va + vb))
        t.assertZero("mul", f(.mul) * (res - va * vb))
        // rescale: acc + half = res·2^s + remainder, 0 ≤ remainder < 2^s (slots B and C).
        let rem = col(C.remainder), pow = col(C.pow), half = col(C.half)
        t.assertZero("mulr", f(.mulr) * (va * vb + half - res * pow - rem))
        t.assertZero("rescale", f(.rescale) * (va + half - res * pow - rem))
        t.assertZero("lt", f(.lt) * (res - less))
        t.assertZero("eq: res = 1 − (va − vb)·inverse", f(.eq) * ((va - vb) * col(C.inverse) - 1 + res))
        t.assertZero("eq: res = 0 when va ≠ vb", f(.eq) * (va - vb) * res)
        t.assertZero("select", f(.select) * (res - nz * va - (1 - nz) * vb))
        t.assertZero("min", f(.min) * (res - less * va - (1 - less) * vb))
        t.assertZero("max", f(.max) * (res - less * vb - (1 - less) * va))
        // lut: clamp va to the table's proven domain [domainLow, domainHigh]
        // (from the program table), look up (table, clamped, res).
        let low = col(C.clampLow), high = col(C.clampHigh), clamped = col(C.clamped)
        let domainLow = col(C.domainLow), domainHigh = col(C.domainHigh)
        t.assertBoolean("clampLow is boolean", low)
        t.assertBoolean("clampHigh is boolean", high)
        t.assertZero("clamp sides exclusive", low * high)
        t.assertZero("lut clamp", f(.lut) * (clamped - low * domainLow - high * domainHigh - (1 - low - high) * va))
        t.send("activation lookup", bus: Bus.activation, [imm, clamped, res], multiplicity: f(.lut))

        // Control flow.
        let sequential = active - f(.jmp) - f(.bnz) - f(.bz) - f(.halt)
        t.assertZero("nextPC", col(C.nextPC)
                     - f(.jmp) * imm
                     - f(.bnz) * (nz * imm + (1 - nz) * (pc + 1))
                     - f(.bz) * (nz * (pc + 1) + (1 - nz) * imm)
                     - f(.halt) * pc
                     - sequential * (pc + 1))

        // The third access: select, bnz and bz read register rc; ld and st
        // access memory at va + imm, ld reading into res, st writing vb.
        let memory = f(.ld) + f(.st), readsRC = Expression.sum(C.readsRC.map(f))
        let cAddress = col(C.cAddress), cNew = col(C.cNew)
        t.assertZero("rc address", readsRC * (cAddress - col(C.rc)))
        t.assertZero("rc read keeps rc", readsRC * (cNew - vc))
        t.assertZero("memory address", memory * (cAddress - va - imm))
        t.assertZero("ld keeps memory", f(.ld) * (cNew - vc))
        t.assertZero("ld result", f(.ld) * (res - vc))
        t.assertZero("st value", f(.st) * (cNew - vb))

        // Range slots: Σ_op flag·value = lo + 2^16·hi with lo, hi 16-bit.
        let writes = Expression.sum(C.writers.map(f)) + tensor
        let slotA = Expression.sum([.add, .addi, .sub, .mul, .mulr, .rescale].map { f($0) * (res + two31) })
            + (f(.lt) + f(.min) + f(.max)) * (va - vb + less * two32)
            + f(.lut) * (low * (domainLow - 1 - va) + high * (va - domainHigh))
        let slotB = (f(.mulr) + f(.rescale)) * rem + f(.lut) * (clamped - domainLow)
        let slotC = (f(.mulr) + f(.rescale)) * (pow - 1 - rem)
        for (s, value) in [slotA, slotB, slotC].enumerated() {
            let lo = col(C.slotLimbs + 2 * s), hi = col(C.slotLimbs + 2 * s + 1)
            t.assertZero("range slot \(s)", value - lo - two16 * hi)
            t.send("range slot \(s) low", bus: Bus.range, [lo], multiplicity: active)
            t.send("range slot \(s) high", bus: Bus.range, [hi], multiplicity: active)
        }
        t.assertZero("lut clamp is 16-bit", f(.lut) * col(C.slotLimbs + 3))

        // Accesses: receive (space, addr, old, prev), send (space, addr, new, ts), prev < ts.
        // The third access's space is a register's for readsRC, memory's for ld and st.
        let reg = Expression.space(AddressSpace.register)
        let cSpace = readsRC * reg + memory * .space(AddressSpace.memory)
        let accesses: [(String, Expression, Expression, Expression, Expression, Expression)] = [
            ("ra", reg, col(C.ra), va, va, active),
            ("rb", reg, col(C.rb), vb, vb, active),
            ("c", cSpace, cAddress, vc, cNew, readsRC + memory),
            ("rd", reg, col(C.rd), col(C.rdOld), res, writes),
        ]
        for (slot, (name, space, address, old, new, enabled)) in accesses.enumerated() {
            MemoryAccess(name: name, enabled: enabled, space: space, address: address, old: old, new: new,
                         timestamp: col(C.ts0) + (slot + 1), previousColumn: C.previousTimestamp + slot,
                         limbColumn: C.timestampLimbs + 2 * slot).constrain(&t)
        }
        return try t.build(publicValueCount: SegmentBoundary.Index.count, blinded: blinded)
    }
}
