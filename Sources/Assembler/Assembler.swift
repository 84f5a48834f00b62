import ISA

/// Assembles `.zkasm` text into a validated `Program` (Spec/zkasm.md).
///
/// Two passes over the lines: the first records tensors, tables and label
/// positions; the second encodes instructions. Every error is an
/// `AssemblerError` at a line and column — the assembler never traps,
/// whatever bytes it is given.
public struct Assembler {
    let file: String
    /// Loads a data file named in a `.weights … file "path"` directive.
    let loadData: (String) throws -> [Double]

    var tensors: [TensorDeclaration] = []
    var tensorIndex: [String: Int] = [:]
    var nextAddress: Int64 = 0
    var tables: [LookupTableSpec] = []
    var namedTables: [String: Int64] = [:]
    var descriptors: [TensorOperation] = []
    var labels: [String: Int64] = [:]
    var code: [Instruction] = []
    var sourceLines: [Int] = []

    /// Assembles `source`. `file` names it in diagnostics; `loadData` resolves
    /// data files (the CLI reads them relative to the program's folder).
    public static func assemble(_ source: String, file: String = "<input>",
                                loadData: @escaping (String) throws -> [Double] = { _ in
                                    throw AssemblerDataError.noLoader }) throws(AssemblerError) -> Program {
        var assembler = Assembler(file: file, loadData: loadData)
        return try assembler.run(source)
    }

    mutating func run(_ source: String) throws(AssemblerError) -> Program {
        let lines = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        // Pass 1: declarations and labels.
        var pending: [(Int, LineCursor)] = []
        var count: Int64 = 0
        for (n, line) in lines.enumerated() {
            var cursor = LineCursor(tokens: try tokenize(line, lineNumber: n + 1, file: file), file: file, lineNumber: n + 1, line: line)
            while cursor.tokens.count >= cursor.index + 2, case .identifier(let label) = cursor.tokens[cursor.index].kind,
                  case .punctuation(":") = cursor.tokens[cursor.index + 1].kind {
                guard labels[label] == nil else { throw cursor.error("label '\(label)' is already defined", at: cursor.tokens[cursor.index]) }
                labels[label] = count
                cursor.index += 2
            }
            guard let first = cursor.current else { continue }
            if case .identifier(let word) = first.kind, word.hasPrefix(".") {
                guard Assembler.directives.contains(word) else {
                    let hint = suggestion(for: word, among: Assembler.directives).map { "; did you mean '\($0)'?" } ?? ""
                    throw cursor.error("unknown directive '\(word)'\(hint)", at: first)
                }
                guard count == 0 else { throw cursor.error("declarations must come before the first instruction", at: first) }
                cursor.index += 1
                try declare(word, &cursor, token: first)
                continue
            }
            pending.append((n + 1, cursor))
            count += 1
            guard count <= Int64(Program.maxCode) else { throw cursor.error("too many instructions") }
        }
        for (name, _) in labels where tensorIndex[name] != nil || namedTables[name] != nil {
            let at = pending.first?.1 ?? LineCursor(tokens: [], file: file, lineNumber: 1, line: lines.first ?? "")
            throw at.error("label '\(name)' has the same name as a tensor or table")
        }
        // Pass 2: instructions.
        for (lineNumber, cursor) in pending {
            var c = cursor
            code.append(try instruction(&c))
            sourceLines.append(lineNumber)
        }
        let program = Program(memorySize: nextAddress, tensors: tensors, tables: tables, descriptors: descriptors,
                              code: code, sourceLines: sourceLines)
        do {
            try program.validate()
        } catch {
            let line = lines.last ?? ""
            throw AssemblerError(file: file, line: max(1, lines.count), column: 1, message: error.description, sourceLine: line)
        }
        return program
    }

    /// Index of a descriptor, reusing an identical one.
    mutating func descriptorIndex(_ op: TensorOperation) -> Int64 {
        if let i = descriptors.firstIndex(of: op) { return Int64(i) }
        descriptors.append(op)
        return Int64(descriptors.count - 1)
    }
}

/// Raised by the default data loader.
public enum AssemblerDataError: Error, CustomStringConvertible {
    case noLoader
    public var description: String { "data files are not available here" }
}
