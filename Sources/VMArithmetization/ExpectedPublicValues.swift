import ISA

/// Public values a verifier was promised or computed itself, to pin a
/// proof's statement to them (`zkvm verify --expect-public`): a valid proof
/// of any other statement of the same program is then refused.
public struct ExpectedPublicValues: Sendable, Equatable {
    /// Raw values per public output, by tensor name; every public output
    /// must be named.
    public var outputs: [String: [Int64]]
    /// Raw values of every public input, in declaration order; nil leaves
    /// the inputs unpinned.
    public var inputs: [[Int64]]?

    public init(outputs: [String: [Int64]], inputs: [[Int64]]? = nil) {
        self.outputs = outputs
        self.inputs = inputs
    }

    /// Throws a message naming the first tensor and element that differ.
    public func check(_ statement: VMStatement, layout: PublicLayout) throws(VMArithmetizationError) {
        try statement.validate(layout: layout)
        let names = Set(layout.outputs.map(\.name))
        for name in outputs.keys.sorted() where !names.contains(name) {
            throw .statement("expected output '\(name)' is not a public output of the proof")
        }
        for (tensor, actual) in zip(layout.outputs, statement.publicOutputs) {
            guard let expected = outputs[tensor.name] else {
                throw .statement("the expected values name no public output '\(tensor.name)'")
            }
            try Self.compare(expected, actual, what: "public output '\(tensor.name)'")
        }
        if let inputs {
            guard inputs.count == layout.inputs.count else {
                throw .statement("expected \(inputs.count) public inputs, the proof has \(layout.inputs.count)")
            }
            for (k, tensor) in layout.inputs.enumerated() {
                try Self.compare(inputs[k], statement.publicInputs[k], what: "public input '\(tensor.name)'")
            }
        }
    }

    static func compare(_ expected: [Int64], _ actual: [Int64], what: String) throws(VMArithmetizationError) {
        guard expected.count == actual.count else {
            throw .statement("\(what): expected \(expected.count) values, the proof states \(actual.count)")
        }
        if let i = expected.indices.first(where: { expected[$0] != actual[$0] }) {
            throw .statement("\(what)[\(i)]: expected raw \(expected[i]), the proof states \(actual[i])")
        }
    }
}
