import ISA

/// Pass 1 of the assembler: directives and labels (Spec/zkasm.md §2).
extension Assembler {
    static let directives = [".input", ".weights", ".output", ".buffer", ".table"]

    /// `.KIND NAME [dims] scale=N [bits=16|32] [public|private|committed] [data [...] | raw [...] | file "path"]`
    /// and `.table NAME FUNCTION in=N out=M [lo=L hi=H]`.
    mutating func declare(_ directive: String, _ cursor: inout LineCursor, token: Token) throws(AssemblerError) {
        if directive == ".table" {
            let (name, nameToken) = try cursor.identifier("a table name")
            let (fname, fToken) = try cursor.identifier("an activation function")
            guard let function = ActivationFunction(rawValue: fname) else {
                let hint = suggestion(for: fname, among: ActivationFunction.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
                throw cursor.error("unknown activation function '\(fname)'\(hint)", at: fToken)
            }
            var options = try parseOptions(&cursor)
            guard let input = try options.integer("in", &cursor, range: 0...Int64(FixedPoint.maxScale)),
                  let output = try options.integer("out", &cursor, range: 0...Int64(FixedPoint.maxScale)) else {
                throw cursor.error("a table needs in= and out= scales", at: fToken)
            }
            let domain = LookupTableSpec.domainMin...LookupTableSpec.domainMax
            let low = try options.integer("lo", &cursor, range: domain) ?? LookupTableSpec.domainMin
            let high = try options.integer("hi", &cursor, range: domain) ?? LookupTableSpec.domainMax
            guard low <= high else { throw cursor.error("the table's input domain needs lo ≤ hi", at: fToken) }
            try options.rejectUnused(&cursor)
            guard namedTables[name] == nil else { throw cursor.error("table '\(name)' is already declared", at: nameToken) }
            namedTables[name] = tableIndex(LookupTableSpec(function: function, inputScale: Int(input), outputScale: Int(output),
                                                           inputLow: low, inputHigh: high))
            return
        }
        let kind: TensorKind = switch directive {
        case ".input": .input
        case ".weights": .weights
        case ".output": .output
        default: .buffer
        }
        let (name, nameToken) = try cursor.identifier("a tensor name")
        guard Program.isValidName(name) else {
            throw cursor.error("'\(name.prefix(40))' cannot name a tensor (a register, a mnemonic, or not an identifier of at most 255 bytes)", at: nameToken)
        }
        guard tensorIndex[name] == nil else { throw cursor.error("tensor '\(name)' is already declared", at: nameToken) }
        let dimsToken = cursor.current
        let dims = try cursor.integerList()
        guard dims.count <= Program.maxRank, dims.allSatisfy({ $0 >= 1 && $0 <= Program.maxMemory }) else {
            throw cursor.error("dimensions must be 1…2^28 and at most \(Program.maxRank) of them", at: dimsToken)
        }
        var count: Int64 = 1
        for d in dims {
            count *= d
            guard count <= Program.maxMemory else { throw cursor.error("tensor '\(name)' is too large", at: dimsToken) }
        }
        // Defaults: inputs private; weights, outputs and buffers public (a
        // program's inline weights are in the verifier's copy unless marked
        // private or committed; `zkvm import` marks them committed).
        var visibility: Visibility = kind == .input ? .private : .public
        var data: [Int64]? = nil
        var scale: Int64? = nil
        var bits = 32
        var bitsToken: Token? = nil
        var seen = Set<String>()
        while let t = cursor.current {
            guard case .identifier(let word) = t.kind else { throw cursor.error("unexpected '\(t.text)'", at: t) }
            cursor.index += 1
            let group = ["public", "private", "committed"].contains(word) ? "visibility" : (["data", "raw", "file"].contains(word) ? "data" : word)
            guard seen.insert(group).inserted else { throw cursor.error("\(group) is given twice", at: t) }
            switch word {
            case "public": visibility = .public
            case "private": visibility = .private
            case "committed": visibility = .committed
            case "scale":
                try cursor.expect("=", "'=' after scale")
                let at = cursor.current
                scale = try cursor.integer("a scale")
                guard (0...Int64(FixedPoint.maxScale)).contains(scale!) else {
                    throw cursor.error("scale must be 0…\(FixedPoint.maxScale)", at: at)
                }
            case "bits":
                guard kind == .weights else { throw cursor.error("only .weights declare bits=", at: t) }
                try cursor.expect("=", "'=' after bits")
                let at = cursor.current
                let value = try cursor.integer("a width")
                guard TensorDeclaration.allowedBits.contains(Int(value)) else { throw cursor.error("bits must be 16 or 32", at: at) }
                bits = Int(value)
                bitsToken = t
            case "data", "raw", "file":
                guard kind == .weights else { throw cursor.error("only .weights take data", at: t) }
                guard let s = scale else { throw cursor.error("give scale= before the data", at: t) }
                let reals: [Double]
                if word == "file" {
                    let pathToken = try cursor.next()
                    guard case .string(let path) = pathToken.kind else { throw cursor.error("expected a quoted file name", at: pathToken) }
                    do { reals = try loadData(path) } catch {
                        throw cursor.error("cannot read data file '\(path)': \(error)", at: pathToken)
                    }
                } else {
                    reals = try cursor.numberList()
                }
                guard reals.count == Int(count) else {
                    throw cursor.error("'\(name)' needs \(count) values, got \(reals.count)", at: t)
                }
                var values: [Int64] = []
                values.reserveCapacity(reals.count)
                for (i, r) in reals.enumerated() {
                    if word == "raw" {
                        guard r == r.rounded(), let v = Int64(exactly: r), FixedPoint.inRange(v) else {
                            throw cursor.error("raw value \(i) of '\(name)' is not an integer in the value range", at: t)
                        }
                        values.append(v)
                    } else {
                        guard let v = FixedPoint.quantize(r, scale: Int(s)) else {
                            throw cursor.error("value \(i) of '\(name)' (\(r)) does not fit at scale \(s)", at: t)
                        }
                        values.append(v)
                    }
                }
                data = values
            default:
                let hint = suggestion(for: word, among: ["scale", "bits", "public", "private", "committed", "data", "raw", "file"]).map { "; did you mean '\($0)'?" } ?? ""
                throw cursor.error("unknown attribute '\(word)'\(hint)", at: t)
            }
        }
        guard let scale else { throw cursor.error("tensor '\(name)' needs scale=N", at: token) }
        if kind == .weights && data == nil { throw cursor.error("weights '\(name)' need data [...], raw [...] or file \"...\"", at: token) }
        let declaration = TensorDeclaration(name: name, shape: dims.map { Int($0) }, scale: Int(scale), kind: kind,
                                            visibility: visibility, address: nextAddress, data: data, bits: bits)
        if let at = bitsToken, let i = data?.firstIndex(where: { !declaration.fits($0) }) {
            throw cursor.error("value \(i) of '\(name)' (\(data![i])) does not fit in \(bits) bits", at: at)
        }
        tensorIndex[name] = tensors.count
        tensors.append(declaration)
        nextAddress += count
    }

    /// Index of a table spec, adding it if new.
    mutating func tableIndex(_ spec: LookupTableSpec) -> Int64 {
        if let i = tables.firstIndex(of: spec) { return Int64(i) }
        tables.append(spec)
        return Int64(tables.count - 1)
    }
}

/// `key=value` options after an instruction's operands.
struct Options {
    var values: [String: (Token, [Int64])] = [:]
    var used = Set<String>()

    mutating func integer(_ key: String, _ cursor: inout LineCursor, range: ClosedRange<Int64>? = nil) throws(AssemblerError) -> Int64? {
        guard let (token, v) = values[key] else { return nil }
        used.insert(key)
        guard v.count == 1 else { throw cursor.error("\(key) takes one integer", at: token) }
        if let range, !range.contains(v[0]) { throw cursor.error("\(key) must be in \(range.lowerBound)…\(range.upperBound)", at: token) }
        return v[0]
    }

    mutating func list(_ key: String) -> [Int64]? {
        guard let (_, v) = values[key] else { return nil }
        used.insert(key)
        return v
    }

    func rejectUnused(_ cursor: inout LineCursor) throws(AssemblerError) {
        for (key, (token, _)) in values where !used.contains(key) {
            throw cursor.error("unknown option '\(key)'", at: token)
        }
    }
}

extension Assembler {
    /// Parses `, key=value` pairs (value: integer or [list]) to the end of the line.
    func parseOptions(_ cursor: inout LineCursor) throws(AssemblerError) -> Options {
        var options = Options()
        while !cursor.atEnd {
            _ = cursor.accept(",")
            let (key, token) = try cursor.identifier("an option name")
            try cursor.expect("=", "'=' after \(key)")
            let value: [Int64] = cursor.peekPunctuation("[") ? try cursor.integerList() : [try cursor.integer("an integer for \(key)")]
            guard options.values[key] == nil else { throw cursor.error("option '\(key)' given twice", at: token) }
            options.values[key] = (token, value)
        }
        return options
    }
}
