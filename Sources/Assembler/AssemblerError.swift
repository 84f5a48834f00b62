/// A diagnostic at a source position, printed as
/// `file:line:col: error: message`, then the source line and a caret.
public struct AssemblerError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line and column.
    public var line: Int
    public var column: Int
    public var message: String
    /// The offending source line (without newline).
    public var sourceLine: String

    public init(file: String, line: Int, column: Int, message: String, sourceLine: String) {
        self.file = file; self.line = line; self.column = column; self.message = message; self.sourceLine = sourceLine
    }

    public var description: String {
        let caretPad = String(sourceLine.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " })
        return "\(file):\(line):\(column): error: \(message)\n\(sourceLine)\n\(caretPad)^"
    }
}

/// Edit distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    for i in 1...x.count {
        var current = [i] + [Int](repeating: 0, count: y.count)
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[y.count]
}

/// The closest candidate within distance 2, if any.
func suggestion(for word: String, among candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0)) }.filter { $0.1 <= 2 }
    return scored.min { $0.1 < $1.1 }?.0
}
