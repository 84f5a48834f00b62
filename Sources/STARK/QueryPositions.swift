/// Which positions of each committed matrix the queries open; prover and
/// verifier derive them identically from the query indices.
public enum QueryPositions {
    /// Sorted distinct positions of the tables at LDE level `level`.
    public static func positions(level: Int, queries: [Int], schedule: FRISchedule) -> [Int] {
        Set(queries.map { schedule.position(level: level, query: $0) }).sorted()
    }

    /// Sorted distinct leaf indices of committed layer `k`.
    public static func leaves(layer k: Int, queries: [Int], schedule: FRISchedule) -> [Int] {
        let level = schedule.layerLogSizes[k], arity = schedule.stepArities[k]
        return Set(queries.map { schedule.position(level: level, query: $0) >> arity }).sorted()
    }
}
