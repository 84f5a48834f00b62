import ISA

/// Reads the tokens of one line with position-aware errors.
struct LineCursor {
    let tokens: [Token]
    var index = 0
    let file: String
    let lineNumber: Int
    let line: String

    func error(_ message: String, at token: Token? = nil) -> AssemblerError {
        let column = token?.column ?? (tokens.last.map { $0.column + $0.text.count } ?? 1)
        return AssemblerError(file: file, line: lineNumber, column: column, message: message, sourceLine: line)
    }

    var atEnd: Bool { index >= tokens.count }
    var current: Token? { atEnd ? nil : tokens[index] }

    mutating func next() throws(AssemblerError) -> Token {
        guard let t = current else { throw error("unexpected end of line") }
        index += 1
        return t
    }

    func peekPunctuation(_ c: Character) -> Bool {
        if case .punctuation(c)? = current?.kind { return true }
        return false
    }

    mutating func accept(_ c: Character) -> Bool {
        if peekPunctuation(c) { index += 1; return true }
        return false
    }

    mutating func expect(_ c: Character, _ what: String) throws(AssemblerError) {
        guard accept(c) else { throw error("expected \(what)", at: current) }
    }

    mutating func identifier(_ what: String) throws(AssemblerError) -> (String, Token) {
        let t = try next()
        guard case .identifier(let name) = t.kind else { throw error("expected \(what)", at: t) }
        return (name, t)
    }

    mutating func integer(_ what: String) throws(AssemblerError) -> Int64 {
        let t = try next()
        guard case .integer(let v) = t.kind else { throw error("expected \(what)", at: t) }
        return v
    }

    mutating func register() throws(AssemblerError) -> UInt8 {
        let t = try next()
        guard case .identifier(let name) = t.kind, let r = LineCursor.registerNumber(name) else {
            throw error("expected a register r0…r15", at: t)
        }
        return r
    }

    static func registerNumber(_ name: String) -> UInt8? {
        guard name.first == "r" || name.first == "R", let n = UInt8(name.dropFirst()), n < Instruction.registerCount else { return nil }
        return n
    }

    mutating func comma() throws(AssemblerError) { try expect(",", "','") }

    func finish() throws(AssemblerError) {
        if let t = current { throw error("unexpected '\(t.text)'", at: t) }
    }

    /// `[a, b, c]` of integers (possibly empty).
    mutating func integerList() throws(AssemblerError) -> [Int64] {
        try expect("[", "'['")
        var out: [Int64] = []
        if accept("]") { return out }
        repeat { out.append(try integer("an integer")) } while accept(",")
        try expect("]", "']'")
        return out
    }

    /// `[x, y, …]` of numbers (integers or reals).
    mutating func numberList() throws(AssemblerError) -> [Double] {
        try expect("[", "'['")
        var out: [Double] = []
        if accept("]") { return out }
        repeat {
            let t = try next()
            switch t.kind {
            case .integer(let v): out.append(Double(v))
            case .number(let d): out.append(d)
            default: throw error("expected a number", at: t)
            }
        } while accept(",")
        try expect("]", "']'")
        return out
    }
}
