import Field
import VMArithmetization

/// A table's rows as a witness filler appends them, row-major and without
/// a per-row allocation, then its columns.
struct WitnessRows {
    let width: Int
    private var values: [Goldilocks] = []

    init(width: Int) { self.width = width }

    var count: Int { values.count / width }

    /// Appends a row of zeros; returns its index.
    mutating func append() -> Int {
        values.append(contentsOf: repeatElement(.zero, count: width))
        return count - 1
    }

    subscript(row: Int, column: Int) -> Goldilocks {
        get { values[row * width + column] }
        set { values[row * width + column] = newValue }
    }

    /// Appends an active row of a scheduled table (`ScheduledInstances`):
    /// the schedule row's fields first, then active = 1, T, baseA and baseD
    /// in the columns the table names; returns its index.
    mutating func appendScheduled(fields: [Int64], active: Int, instructionTime: Int, baseA: Int, baseD: Int,
                                  time: Int64, baseAValue: Int64, baseDValue: Int64) -> Int {
        let r = append()
        for (k, v) in fields.enumerated() { set(r, k, v) }
        set(r, active, 1)
        set(r, instructionTime, time); set(r, baseA, baseAValue); set(r, baseD, baseDValue)
        return r
    }

    /// Sets a cell to an integer's field element.
    mutating func set(_ row: Int, _ column: Int, _ value: Int64) { self[row, column] = Goldilocks(value) }

    /// The columns of a table that runs a schedule (`copy`, `element`),
    /// padded to 2^logHeight rows whose `isLast` column is 1 and every other cell 0.
    func scheduledColumns(logHeight: Int, isLast: Int) -> [[Goldilocks]] {
        var padding = [Goldilocks](repeating: .zero, count: width)
        padding[isLast] = .one
        return columns(logHeight: logHeight, padding: padding)
    }

    /// The columns, padded to 2^logHeight rows with `padding`.
    func columns(logHeight: Int, padding: [Goldilocks]) -> [[Goldilocks]] {
        let n = 1 << logHeight, rows = count
        return values.withUnsafeBufferPointer { flat in
            (0..<width).map { c in
                [Goldilocks](unsafeUninitializedCapacity: n) { buffer, initialized in
                    for i in 0..<rows { buffer.initializeElement(at: i, to: flat[i * width + c]) }
                    for i in rows..<n { buffer.initializeElement(at: i, to: padding[c]) }
                    initialized = n
                }
            }
        }
    }
}

/// The helper cells of range checks and timestamped accesses (Spec/vm-air.md
/// §4, §4a), shared by the tables' witness fillers.
enum RangeLimbs {
    /// A value in [0, 2^32) as two 16-bit limbs, both counted in `range`.
    static func split(_ value: Int64, _ what: String, range: inout [Int]) throws -> (low: Int64, high: Int64) {
        guard value >= 0, value < 1 << 32 else { throw VMArithmetizationError.witness("\(what): \(value) outside [0, 2^32)") }
        range[Int(value & 0xFFFF)] += 1
        range[Int(value >> 16)] += 1
        return (value & 0xFFFF, value >> 16)
    }

    /// One memory access of `address` at `timestamp`: the cell, its previous
    /// timestamp and the gap's two limbs (counted); the cell's last
    /// timestamp becomes `timestamp`.
    static func access(_ address: Int64, at timestamp: Int64, lastTs: inout [Int64], range: inout [Int],
                       _ what: String) throws -> (cell: Int, previous: Int64, low: Int64, high: Int64) {
        guard address >= 0, address < lastTs.count else { throw VMArithmetizationError.witness("\(what) outside memory") }
        let cell = Int(address), previous = lastTs[cell]
        let (low, high) = try split(timestamp - previous - 1, "timestamp", range: &range)
        lastTs[cell] = timestamp
        return (cell, previous, low, high)
    }
}

