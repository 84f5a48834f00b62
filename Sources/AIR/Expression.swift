import Field

/// A leaf of a constraint expression: a trace cell, a verifier challenge, a
/// public value, or a row selector (Spec/proof-system.md §2).
///
/// Trace cells are read on the current row or the next row (row i + 1 mod n).
/// Preprocessed and main cells are base-field values; auxiliary cells,
/// challenges and the LogUp claimed sum are extension-field values.
public enum Variable: Hashable, Sendable {
    /// Main (witness) column `column`, current row or next row.
    case main(Int, next: Bool)
    /// Preprocessed column `column`: fixed by the program, recomputed by the verifier.
    case preprocessed(Int, next: Bool)
    /// Auxiliary (LogUp) extension column, current row or next row.
    case auxiliary(Int, next: Bool)
    /// Challenge `index` of the table's challenge vector (α, β, β², …).
    case challenge(Int)
    /// The table's claimed LogUp sum (extension field).
    case claimedSum
    /// Public value `index` of the statement (base field).
    case publicValue(Int)
    /// 1 on the first row, 0 on every other row (a degree-1 selector).
    case isFirstRow
    /// 1 on the last row, 0 on every other row.
    case isLastRow
    /// 0 on the last row, non-zero on every other row: x − ω^{−1}.
    case isTransition

    /// Whether the variable takes extension-field values.
    public var isExtension: Bool {
        switch self {
        case .auxiliary, .challenge, .claimedSum: return true
        default: return false
        }
    }

    /// Polynomial degree in units of the trace degree: trace cells and
    /// selectors count 1, constants 0 (Spec/proof-system.md §3).
    public var degree: Int {
        switch self {
        case .main, .preprocessed, .auxiliary, .isFirstRow, .isLastRow, .isTransition: return 1
        case .challenge, .claimedSum, .publicValue: return 0
        }
    }
}

/// A polynomial expression over trace cells, written once and evaluated by
/// the prover (over the quotient domain), the verifier (at the out-of-domain
/// point) and the debug checker (on trace rows).
public indirect enum Expression: Hashable, Sendable, ExpressibleByIntegerLiteral {
    case constant(Goldilocks)
    case variable(Variable)
    case sum(Expression, Expression)
    case difference(Expression, Expression)
    case product(Expression, Expression)
    case negation(Expression)

    public init(integerLiteral value: Int) { self = .constant(Goldilocks(value)) }

    /// Degree in units of the trace degree (see `Variable.degree`).
    public var degree: Int {
        switch self {
        case .constant: return 0
        case .variable(let v): return v.degree
        case .sum(let a, let b), .difference(let a, let b): return max(a.degree, b.degree)
        case .product(let a, let b): return a.degree + b.degree
        case .negation(let a): return a.degree
        }
    }

    /// The same expression read one row later (every main and preprocessed
    /// cell on the next row); nil if it reads a next row already, an
    /// auxiliary cell or a row selector.
    public var onNextRow: Expression? {
        switch self {
        case .constant: return self
        case .variable(let v):
            switch v {
            case .main(let c, false): return .variable(.main(c, next: true))
            case .preprocessed(let c, false): return .variable(.preprocessed(c, next: true))
            case .challenge, .claimedSum, .publicValue: return self
            default: return nil
            }
        case .sum(let a, let b):
            guard let x = a.onNextRow, let y = b.onNextRow else { return nil }
            return .sum(x, y)
        case .difference(let a, let b):
            guard let x = a.onNextRow, let y = b.onNextRow else { return nil }
            return .difference(x, y)
        case .product(let a, let b):
            guard let x = a.onNextRow, let y = b.onNextRow else { return nil }
            return .product(x, y)
        case .negation(let a): return a.onNextRow.map { .negation($0) }
        }
    }

    /// Whether the value lies in the extension field.
    public var isExtension: Bool {
        switch self {
        case .constant: return false
        case .variable(let v): return v.isExtension
        case .sum(let a, let b), .difference(let a, let b), .product(let a, let b):
            return a.isExtension || b.isExtension
        case .negation(let a): return a.isExtension
        }
    }

    public static func + (a: Expression, b: Expression) -> Expression { .sum(a, b) }
    public static func - (a: Expression, b: Expression) -> Expression { .difference(a, b) }
    public static func * (a: Expression, b: Expression) -> Expression { .product(a, b) }
    public static prefix func - (a: Expression) -> Expression { .negation(a) }
    public static func + (a: Expression, b: Int) -> Expression { .sum(a, .constant(Goldilocks(b))) }
    public static func - (a: Expression, b: Int) -> Expression { .difference(a, .constant(Goldilocks(b))) }
    public static func * (a: Expression, b: Int) -> Expression { .product(a, .constant(Goldilocks(b))) }
    public static func * (a: Int, b: Expression) -> Expression { .product(.constant(Goldilocks(a)), b) }
    public static func - (a: Int, b: Expression) -> Expression { .difference(.constant(Goldilocks(a)), b) }

    /// Σ terms (0 for an empty list).
    public static func sum<S: Sequence>(_ terms: S) -> Expression where S.Element == Expression {
        var iterator = terms.makeIterator()
        guard var total = iterator.next() else { return 0 }
        while let next = iterator.next() { total = total + next }
        return total
    }

    // Shorthands for constraint authors.
    public static func main(_ column: Int) -> Expression { .variable(.main(column, next: false)) }
    public static func mainNext(_ column: Int) -> Expression { .variable(.main(column, next: true)) }
    public static func fixed(_ column: Int) -> Expression { .variable(.preprocessed(column, next: false)) }
    public static func fixedNext(_ column: Int) -> Expression { .variable(.preprocessed(column, next: true)) }
    public static func publicValue(_ index: Int) -> Expression { .variable(.publicValue(index)) }
    public static var isFirstRow: Expression { .variable(.isFirstRow) }
    public static var isLastRow: Expression { .variable(.isLastRow) }
    public static var isTransition: Expression { .variable(.isTransition) }
}
