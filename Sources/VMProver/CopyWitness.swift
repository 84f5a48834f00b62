import Field
import ISA
import VMArithmetization

/// Rows of the `copy` table (Spec/vm-air.md §11): each executed copy's
/// elements on the memory state — every read first, then the writes in
/// element order — with the previous timestamps, limbs and `copycode`
/// multiplicities the constraints need.
struct CopyWitness {
    typealias C = CopyColumns
    let code: CopyCode
    /// Row-major rows.
    var rows: [Int64] = []
    /// Per schedule row: how many `copy` rows looked it up.
    var stepCounts: [Int]

    init(code: CopyCode) {
        self.code = code
        stepCounts = [Int](repeating: 0, count: code.steps.count)
    }

    mutating func execute(descriptor d: Int, time: Int64, baseD: Int64, baseA: Int64,
                          memory: inout [Int64], lastTs: inout [Int64], range: inout [Int]) throws {
        let steps = code.steps[code.firstStep[d] ..< code.firstStep[d] + code.stepCounts[d]]
        let t0 = time + Int64(CPUColumns.timestampsPerRow)
        let first = rows.count
        func access(_ address: Int64, _ ts: Int64, previous: Int, limbs: Int, row: Int) throws -> Int {
            guard address >= 0, address < memory.count else { throw VMArithmetizationError.witness("copy outside memory") }
            let i = Int(address)
            let (lo, hi) = try DotWitness.limbs(ts - lastTs[i] - 1, "timestamp")
            rows[row + previous] = lastTs[i]
            rows[row + limbs] = lo; rows[row + limbs + 1] = hi
            range[Int(lo)] += 1; range[Int(hi)] += 1
            lastTs[i] = ts
            return i
        }
        for s in steps {
            stepCounts[s.id] += 1
            let row = rows.count
            rows += [Int64](repeating: 0, count: C.width)
            for (k, v) in s.fields.enumerated() { rows[row + k] = v }
            rows[row + C.active] = 1
            rows[row + C.instructionTime] = time; rows[row + C.baseA] = baseA; rows[row + C.baseD] = baseD
            let i = try access(baseA + s.srcOffset, t0 + s.readTime, previous: C.readPrevious, limbs: C.readLimbs, row: row)
            rows[row + C.value] = memory[i]
        }
        for (k, s) in steps.enumerated() {
            let row = first + k * C.width
            let i = try access(baseD + s.dstOffset, t0 + s.writeTime, previous: C.writePrevious, limbs: C.writeLimbs, row: row)
            rows[row + C.old] = memory[i]
            memory[i] = rows[row + C.value]
        }
    }

    func codeColumn(logHeight: Int) -> [Goldilocks] {
        var out = [Goldilocks](repeating: .zero, count: 1 << logHeight)
        for (i, c) in stepCounts.enumerated() { out[i] = Goldilocks(c) }
        return out
    }

    var rowCount: Int { rows.count / C.width }

    /// The table's columns, padded with rows whose isLast = 1 and everything else 0.
    func columns(logHeight: Int) -> [[Goldilocks]] {
        let n = 1 << logHeight, count = rowCount
        return (0..<C.width).map { c in
            [Goldilocks](unsafeUninitializedCapacity: n) { buffer, initialized in
                for i in 0..<count { buffer.initializeElement(at: i, to: Goldilocks(rows[i * C.width + c])) }
                let padding: Goldilocks = c == C.isLast ? .one : .zero
                for i in count..<n { buffer.initializeElement(at: i, to: padding) }
                initialized = n
            }
        }
    }
}
