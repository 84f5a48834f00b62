import Field
import Prover
import Testing
@testable import VMArithmetization
import VMProver
import VMVerifier

/// The full range table (Spec/vm-air.md §4a): a run whose range bound
/// reaches 2^16 uses it instead of the byte-checked table; a changed value
/// or multiplicity is rejected by the check that owns it, and a table
/// taller than 2^16 rows — whose last rows would pass values of 17 bits —
/// is refused by the verifier.
@Suite struct RangeFullTableTests {
    /// 1,400 loop iterations: 4.2k CPU rows of 8 timestamps each, 2 range messages per timestamp: the bound passes 2^16.
    static let source = """
    .output out [1] scale=8 public
        li r1, 1400
        li r2, 3
    loop:
        mulr r3, r2, r2, 1
        addi r1, r1, -1
        bnz r1, loop
        st r3, [out]
        halt
    """

    @Test func aLongRunUsesItAndEveryCellIsBound() throws {
        let s = try VMSoundnessTests.setup(source: Self.source, inputs: [])
        let full = VMAir.TableIndex.rangeFull, bytes = VMAir.TableIndex.range
        #expect(s.witness.main[full][0].count == 1 << 16 && s.witness.main[bytes][0].count == 1 << s.vmAir.minLogHeight)
        #expect(VMSoundnessTests.proveAndVerify(s, main: s.witness.main))
        // A row's value moved, a used value's multiplicity changed, an unused one's claimed.
        let used = try #require(s.witness.main[full][RangeFullTable.Column.multiplicity].firstIndex { !$0.isZero })
        let unused = try #require(s.witness.main[full][RangeFullTable.Column.multiplicity].firstIndex { $0.isZero })
        for (column, row, family) in [(RangeFullTable.Column.value, 100, "values count up"),
                                      (RangeFullTable.Column.multiplicity, used, "bus balance"),
                                      (RangeFullTable.Column.multiplicity, unused, "bus balance")] {
            var main = s.witness.main
            main[full][column][row] = main[full][column][row] + .one
            let check = try VMSoundnessTests.TableCheck(s, table: full)
            #expect(try check.broken(main[full]).contains(family), "\(family)")
            let rejected = VMSoundnessTests.rejection(s, main: main)
            #expect([VMSoundnessTests.outOfDomainCheck("range16"), VMSoundnessTests.logUpCheck].contains(rejected ?? ""),
                    "\(family): rejected by \(rejected ?? "nothing")")
        }
    }

    /// A prover that doubles the table to 2^17 rows (values 0 … 2^17 − 1,
    /// every constraint kept) could answer a 17-bit "limb"; the verifier
    /// refuses the height before anything else.
    @Test func aTallerTableIsRefused() throws {
        let s = try VMSoundnessTests.setup(source: Self.source, inputs: [])
        let full = VMAir.TableIndex.rangeFull
        var main = s.witness.main
        main[full][RangeFullTable.Column.value] = (0..<(1 << 17)).map { Goldilocks($0) }
        main[full][RangeFullTable.Column.multiplicity] += [Goldilocks](repeating: .zero, count: 1 << 16)
        #expect(VMSoundnessTests.broken(s, main: main) == nil, "the taller table keeps every constraint")
        #expect(VMSoundnessTests.rejection(s, main: main) == "table range16: height 2^17 above its 2^16 rows")
    }
}
