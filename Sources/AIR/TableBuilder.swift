/// Collects a table's constraints and interactions; `build` validates them
/// and derives the LogUp auxiliary columns (see `Table`).
public struct TableBuilder {
    public let name: String
    public let mainWidth: Int
    public let preprocessedWidth: Int
    private var constraints: [Constraint] = []
    private var interactions: [Interaction] = []

    public init(name: String, mainWidth: Int, preprocessedWidth: Int = 0) {
        self.name = name
        self.mainWidth = mainWidth
        self.preprocessedWidth = preprocessedWidth
    }

    /// `expression` = 0 on every row.
    public mutating func assertZero(_ label: String, _ expression: Expression) {
        constraints.append(Constraint(label: label, expression: expression))
    }

    /// `expression` = 0 on the first row.
    public mutating func assertOnFirstRow(_ label: String, _ expression: Expression) {
        assertZero(label, .isFirstRow * expression)
    }

    /// `expression` = 0 on the last row.
    public mutating func assertOnLastRow(_ label: String, _ expression: Expression) {
        assertZero(label, .isLastRow * expression)
    }

    /// `expression` = 0 on every row but the last (it may read the next row).
    public mutating func assertOnTransition(_ label: String, _ expression: Expression) {
        assertZero(label, .isTransition * expression)
    }

    /// `x` ∈ {0, 1} on every row.
    public mutating func assertBoolean(_ label: String, _ x: Expression) {
        assertZero(label, x * (x - 1))
    }

    /// Adds `multiplicity · 1/(α − fp(bus, message))` to the bus.
    public mutating func send(_ label: String, bus: Int, _ message: [Expression], multiplicity: Expression = 1) {
        interactions.append(Interaction(bus: bus, multiplicity: multiplicity, message: message, label: label))
    }

    /// Removes `multiplicity · 1/(α − fp(bus, message))` from the bus.
    public mutating func receive(_ label: String, bus: Int, _ message: [Expression], multiplicity: Expression = 1) {
        interactions.append(Interaction(bus: bus, multiplicity: -multiplicity, message: message, label: label))
    }

    /// - Parameter blinded: build `Table.blinded()` of the table directly
    ///   (one compilation instead of two).
    /// - Parameter maxLogHeight: the most rows (log2) a proof may give the
    ///   table, when its soundness depends on its height (`Table.maxLogHeight`).
    /// - Parameter degreeLimit: the degree its constraints may reach
    ///   (`Table.degreeLimit`: 3 … 7; above 3 the proof needs a larger
    ///   blowup); nil: 3, or 2 when no constraint exceeds degree 2.
    public func build(publicValueCount: Int = 0, blinded: Bool = false, maxLogHeight: Int? = nil,
                      degreeLimit: Int? = nil) throws(AIRError) -> Table {
        let blind = blinded && !interactions.isEmpty
        var table = try Table(name: name, mainWidth: mainWidth + (blind ? 1 : 0), preprocessedWidth: preprocessedWidth,
                              constraints: constraints, interactions: interactions, publicValueCount: publicValueCount,
                              blindingColumn: blind ? mainWidth : nil, degreeLimit: degreeLimit)
        table.maxLogHeight = maxLogHeight
        return table
    }
}
