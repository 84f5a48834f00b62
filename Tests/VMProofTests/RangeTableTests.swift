import AIR
import Field
import ISA
import Testing
@testable import VMArithmetization
import VMProver

/// The range table's height is a function of public data only, and is
/// always enough for the run's distinct limbs (Spec/vm-air.md §4a).
@Suite struct RangeTableTests {
    /// The rate is derived from the tables' own interactions: CPU rows send
    /// 14 range messages per ≥ 8 timestamps, tensor rows 25 per ≥ 5, copy
    /// rows 4 per 2, element rows 12 per ≥ 2, dot rows 2 (per slot) and dotoutput rows 8
    /// per timestamp; tables a program lacks do not count.
    @Test func sendsPerTimestampBoundsTheSenders() throws {
        let cpu = try CPUTable.definition(), tensor = try TensorTable.definition(), copy = try CopyTable.definition()
        let dot = try DotTable.definition(), output = try DotOutputTable.definition(), element = try ElementTable.definition()
        func sends(_ table: Table) -> Int { table.interactions.filter { $0.bus == Bus.range }.count }
        let rates = VMAir.rangeRates
        // Index: 1 tensor micro-steps, 2 weights matmuls, 4 copies, 8 maps and zips.
        #expect(rates == [2, 5, 8, 8, 2, 5, 8, 8, 6, 6, 8, 8, 6, 6, 8, 8])
        #expect(VMAir.rangeSendsPerRow == [.cpu: sends(cpu), .tensor: sends(tensor), .copy: sends(copy), .element: sends(element),
                                            .dot: sends(dot), .dotoutput: sends(output)])
        #expect(sends(cpu) <= rates[0] * CPUColumns.timestampsPerRow)
        #expect(sends(tensor) <= rates[1] * Int(MicroStep.readsPerStep))
        #expect(sends(copy) <= rates[4] * 2)
        #expect(sends(element) <= rates[8] * 2)
        #expect(sends(dot) <= rates[2] * DotProduct.slots && sends(output) <= rates[2])
        let scalar = try VMAir(program: Examples.load("collatz").program)
        let withDot = try VMAir(program: Examples.load("mlp").program)
        let withCopies = try VMAir(program: Examples.load("cnn").program)
        #expect(scalar.rangeSendsPerTimestamp == 2)
        #expect(withDot.shape.hasWeightsMatmuls && withDot.shape.hasTensorInstructions && withDot.rangeSendsPerTimestamp == 8)
        #expect(withCopies.shape.hasCopies && withCopies.rangeSendsPerTimestamp == 8)
        // Every range message has multiplicity ≤ 1 per row: `active`, a
        // flag or a sum of exclusive flags (degree 1; the examples below
        // check the total against the bound on honest runs).
        for table in [cpu, tensor, copy, element, dot, output] {
            for interaction in table.interactions where interaction.bus == Bus.range {
                #expect(interaction.multiplicity.degree <= 1, "\(table.name): \(interaction.label)")
            }
        }
        // Only the CPU, tensor, copy, element, dot, dotoutput, memory and weights tables
        // send range messages (two per hidden cell, from the memory table or a
        // held weights lane, are counted separately).
        let shape = VMShape(hasLookupTables: true, hasTensorInstructions: true, hasCommittedWeights: true, hasWeightsMatmuls: true,
                            hasCopies: true, hasElements: true)
        let senders = try shape.air().tables.filter { table in
            table.interactions.contains { $0.bus == Bus.range && !["range", "range16"].contains(table.name) }
        }.map(\.name)
        #expect(Set(senders) == ["cpu", "memory", "tensor", "copy", "element", "dot", "dotoutput", "weights"])
        let memory = try MemoryTable.definition()
        #expect(memory.interactions.filter { $0.bus == Bus.range }.count == 2)
    }

    /// Two runs with other private inputs but the same public boundary get
    /// the same range height; every example's distinct limbs fit its table
    /// and every message is counted.
    @Test func heightFollowsThePublicBoundary() throws {
        let source = """
        .input x [3] scale=8
        .output y [3] scale=8 public
            li r1, 0
            ld r2, [x]
            max r2, r2, r1
            st r2, [y]
            ld r2, [x+2]
            mulr r2, r2, r2, 8
            st r2, [y+2]
            halt
        """
        let program = try Examples.assemble(source)
        let vmAir = try VMAir(program: program)
        var heights = Set<Int>()
        for input: [Int64] in [[1, 2, 3], [-30_000, 7, 29_999], [0, 0, 0]] {
            let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: [input], maxSteps: 100)
            let segment = witness.segments[0]
            let rows = segment.main[VMAir.TableIndex.range][0].count
            let cpuRows = segment.main[VMAir.TableIndex.cpu][0].count
            #expect(rows == 1 << vmAir.rangeLogHeight(boundary: segment.boundary, isLastSegment: true, senderRows: [.cpu: cpuRows]))
            heights.insert(rows)
        }
        #expect(heights.count == 1)
        #expect(heights.first! <= 1 << 9, "a 8-step run needs far fewer than 2^16 rows")

        for name in ["mlp", "cnn", "collatz", "decision_tree", "linear_regression", "logistic_regression"] {
            let (program, inputs) = try Examples.load(name)
            let vmAir = try VMAir(program: program)
            let witness = try WitnessBuilder(vmAir: vmAir).run(rawInputs: inputs, maxSteps: 1 << 20, segmentRows: .rows(1 << 12),
                                                               weightSalt: program.hasCommittedWeights ? [Goldilocks](repeating: .one, count: 4) : nil)
            for segment in witness.segments {
                let range = segment.main[VMAir.TableIndex.range]
                let used = range[RangeTable.Column.multiplicity].filter { !$0.isZero }.count
                #expect(used <= range[0].count)
                let span = Int(segment.boundary.tsEnd - segment.boundary.tsStart)
                let received = range[RangeTable.Column.multiplicity].reduce(0) { $0 + Int($1.value) }
                #expect(received <= vmAir.rangeSendsPerTimestamp * span + 2 * MemoryTable.hiddenCellCount(program), "\(name)")
                // The bound from the sending tables' heights (public in the proof) holds too.
                var byRows = 2 * MemoryTable.hiddenCellCount(program)
                for (table, sends) in VMAir.rangeSendsPerRow {
                    if let t = vmAir.index(of: table) { byRows += segment.main[t][0].count * sends }
                }
                #expect(received <= byRows, "\(name)")
            }
        }
    }
}
