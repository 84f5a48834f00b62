import AIR
import AlgebraicHashing
import Field

/// A linear combination Σ cᵢ·main(colᵢ) + constant of main-trace cells,
/// used to carry Poseidon2 lanes through linear layers without building
/// nested expressions (which would grow exponentially with the rounds):
/// it is flattened to one sum only where a constraint needs it.
struct LinearForm {
    var terms: [Int: Goldilocks] = [:]
    var constant: Goldilocks = .zero

    init(column: Int) { terms[column] = .one }
    init(constant: Goldilocks) { self.constant = constant }
    init() {}

    static func + (a: LinearForm, b: LinearForm) -> LinearForm {
        var out = a
        for (column, c) in b.terms { out.terms[column, default: .zero] = out.terms[column, default: .zero] + c }
        out.constant = out.constant + b.constant
        return out
    }

    static func * (c: Goldilocks, a: LinearForm) -> LinearForm {
        var out = LinearForm()
        for (column, x) in a.terms { out.terms[column] = c * x }
        out.constant = c * a.constant
        return out
    }

    /// The form as one flat expression (terms in column order).
    var expression: Expression {
        var e: Expression = constant.isZero ? 0 : .constant(constant)
        for column in terms.keys.sorted() {
            let c = terms[column]!
            if c.isZero { continue }
            e = e + (c == .one ? Expression.main(column) : .constant(c) * .main(column))
        }
        return e
    }

    /// y = M·x for a 12 × 12 matrix given by rows.
    static func apply(_ matrix: [[Goldilocks]], to x: [LinearForm]) -> [LinearForm] {
        matrix.map { row in zip(row, x).reduce(LinearForm()) { $0 + $1.0 * $1.1 } }
    }

    /// M_I·x = Σx + D∘x (`Poseidon2.internalLayer`), with one shared sum.
    static func internalLayer(_ x: [LinearForm]) -> [LinearForm] {
        let sum = x.reduce(LinearForm(), +)
        return x.indices.map { sum + Poseidon2.internalDiagonal[$0] * x[$0] }
    }

    /// The matrix of a linear layer, read off by applying it to unit vectors.
    static func matrix(of layer: (inout [Goldilocks]) -> Void) -> [[Goldilocks]] {
        let t = Poseidon2.width
        var rows = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: t), count: t)
        for j in 0..<t {
            var unit = [Goldilocks](repeating: .zero, count: t)
            unit[j] = .one
            layer(&unit)
            for i in 0..<t { rows[i][j] = unit[i] }
        }
        return rows
    }

    static let externalMatrix = matrix(of: Poseidon2.externalLayer)
}
