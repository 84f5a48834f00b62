/// Tokens of one `.zkasm` line (Spec/zkasm.md §1).
struct Token: Equatable {
    enum Kind: Equatable {
        case identifier(String)
        case integer(Int64)
        case number(Double)       // a literal with '.' or exponent (data only)
        case string(String)
        case punctuation(Character)
    }
    var kind: Kind
    /// 1-based column of the first character.
    var column: Int
    /// The source text.
    var text: String
}

/// Splits one line into tokens; stops at a comment (`;` or `#` outside a string).
func tokenize(_ line: String, lineNumber: Int, file: String) throws(AssemblerError) -> [Token] {
    let chars = Array(line)
    var tokens: [Token] = []
    var i = 0
    func fail(_ message: String, at column: Int) -> AssemblerError {
        AssemblerError(file: file, line: lineNumber, column: column, message: message, sourceLine: line)
    }
    while i < chars.count {
        let c = chars[i]
        let column = i + 1
        if c == " " || c == "\t" || c == "\r" { i += 1; continue }
        if c == ";" || c == "#" { break }
        if c.isLetter || c == "_" || c == "." && i + 1 < chars.count && chars[i + 1].isLetter {
            var j = i + 1
            while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
            let text = String(chars[i..<j])
            guard text.unicodeScalars.allSatisfy({ $0.isASCII }) else { throw fail("identifiers must be ASCII", at: column) }
            tokens.append(Token(kind: .identifier(text), column: column, text: text))
            i = j
            continue
        }
        if c.isASCII && c.isNumber || (c == "-" || c == "+") && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber
            && (tokens.last.map { if case .punctuation(let p) = $0.kind { return p != ")" && p != "]" } else { return false } } ?? true) {
            var j = i + 1
            while j < chars.count, chars[j].isASCII && (chars[j].isLetter || chars[j].isNumber || chars[j] == "." || chars[j] == "_")
                    || (j > i && (chars[j] == "-" || chars[j] == "+") && (chars[j - 1] == "e" || chars[j - 1] == "E")) {
                j += 1
            }
            let text = String(chars[i..<j])
            let cleaned = String(text.filter { $0 != "_" })
            let negative = cleaned.hasPrefix("-")
            let body = cleaned.hasPrefix("-") || cleaned.hasPrefix("+") ? String(cleaned.dropFirst()) : cleaned
            if body.hasPrefix("0x") || body.hasPrefix("0X") {
                guard let v = UInt64(body.dropFirst(2), radix: 16), v <= UInt64(Int64.max) else { throw fail("bad hexadecimal literal '\(text)'", at: column) }
                tokens.append(Token(kind: .integer(negative ? -Int64(v) : Int64(v)), column: column, text: text))
            } else if let v = Int64(cleaned) {
                tokens.append(Token(kind: .integer(v), column: column, text: text))
            } else if let d = Double(cleaned), d.isFinite {
                tokens.append(Token(kind: .number(d), column: column, text: text))
            } else {
                throw fail("bad number '\(text)'", at: column)
            }
            i = j
            continue
        }
        if c == "\"" {
            var j = i + 1
            while j < chars.count, chars[j] != "\"" { j += 1 }
            guard j < chars.count else { throw fail("unterminated string", at: column) }
            let text = String(chars[(i + 1)..<j])
            tokens.append(Token(kind: .string(text), column: column, text: String(chars[i...j])))
            i = j + 1
            continue
        }
        if ",[]()+-=:@".contains(c) {
            tokens.append(Token(kind: .punctuation(c), column: column, text: String(c)))
            i += 1
            continue
        }
        throw fail("unexpected character '\(c)'", at: column)
    }
    return tokens
}
