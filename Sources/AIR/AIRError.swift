/// Errors of AIR definitions and of the debug checker.
public enum AIRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A constraint's degree exceeds `Table.maxConstraintDegree`.
    case degreeTooHigh(table: String, constraint: String, degree: Int, limit: Int)
    /// A constraint refers to a column or value that does not exist.
    case invalidReference(table: String, constraint: String, detail: String)
    /// A table's shape is inconsistent (width, height, column lengths).
    case invalidShape(table: String, detail: String)
    /// The debug checker found a constraint that does not hold.
    case constraintFailed(table: String, constraint: String, row: Int)
    /// The LogUp sums of all buses do not cancel.
    case busImbalance(detail: String)
    /// α − fp(message) vanished on a row (negligible for random challenges).
    case zeroDenominator(table: String, row: Int)

    public var description: String {
        switch self {
        case let .degreeTooHigh(t, c, d, l): return "table \(t): constraint '\(c)' has degree \(d) > \(l)"
        case let .invalidReference(t, c, d): return "table \(t): constraint '\(c)': \(d)"
        case let .invalidShape(t, d): return "table \(t): \(d)"
        case let .constraintFailed(t, c, r): return "table \(t): constraint '\(c)' fails on row \(r)"
        case let .busImbalance(d): return "LogUp buses do not balance: \(d)"
        case let .zeroDenominator(t, r): return "table \(t): LogUp denominator is zero near row \(r)"
        }
    }
}
