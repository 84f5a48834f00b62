import Field
import VMArithmetization

/// The range and byte tables' main columns of one segment (Spec/vm-air.md
/// §4a), from how often each 16-bit limb was sent on the range bus.
enum RangeWitness {
    /// - Parameters:
    ///   - counts: 2^16 entries: how many range messages carry each value.
    ///   - logHeight: the byte-checked range table's height
    ///     (`VMAir.rangeLogHeight`), which must hold every value sent at least once.
    ///   - fullLogHeight: the full range table's height
    ///     (`VMAir.rangeFullLogHeight`): at 2^16 it takes every count and
    ///     the byte-checked table idles; otherwise it idles.
    /// - Returns: the byte-checked table's rows (distinct values in
    ///   increasing order with their counts, then zero rows of multiplicity
    ///   0), the full table's (row i holds i), and the byte table's
    ///   multiplicities (every byte-checked row sends both its bytes).
    static func columns(counts: [Int], logHeight: Int, fullLogHeight: Int,
                        byteLogHeight: Int) throws -> (range: [[Goldilocks]], full: [[Goldilocks]], byte: [[Goldilocks]]) {
        typealias C = RangeTable.Column
        let n = 1 << logHeight, fullRows = 1 << fullLogHeight
        var full = [(0..<fullRows).map { Goldilocks($0) }, [Goldilocks](repeating: .zero, count: fullRows)]
        var range = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: C.width)
        var bytes = [Int](repeating: 0, count: 1 << byteLogHeight)
        var row = 0
        if fullLogHeight == RangeTable.maxLogHeight {
            for (value, count) in counts.enumerated() where count > 0 { full[RangeFullTable.Column.multiplicity][value] = Goldilocks(count) }
        } else {
            for (value, count) in counts.enumerated() where count > 0 {
                guard row < n else {
                    throw VMArithmetizationError.witness("more distinct range values than the range table's 2^\(logHeight) rows")
                }
                range[C.low][row] = Goldilocks(value & 0xFF)
                range[C.high][row] = Goldilocks(value >> 8)
                range[C.multiplicity][row] = Goldilocks(count)
                bytes[value & 0xFF] += 1
                bytes[value >> 8] += 1
                row += 1
            }
        }
        bytes[0] += 2 * (n - row)   // padding rows: value 0 = 0 + 2^8·0
        return (range, full, [bytes.map { Goldilocks($0) }])
    }
}
