/// Which positions of each committed matrix the queries open; prover and
/// verifier derive them identically from the query indices.
public enum QueryPositions {
    /// Sorted distinct positions of a table group at LDE level `level`.
    public static func positions(level: Int, queries: [Int], schedule: FRISchedule) -> [Int] {
        var set = Set<Int>()
        for q in queries { set.formUnion(schedule.block(level: level, query: q)) }
        return set.sorted()
    }

    /// Sorted distinct leaf indices of the committed layer of size 2^logSize
    /// whose leaves hold 2^arity values.
    public static func leaves(logSize: Int, arity: Int, queries: [Int], schedule: FRISchedule) -> [Int] {
        Set(queries.map { ($0 >> (schedule.topLogSize - logSize)) >> arity }).sorted()
    }
}
