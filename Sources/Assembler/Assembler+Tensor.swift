import ISA

/// Tensor instructions: operands are tensor references, parameters default
/// to what the declared shapes and scales imply, and `key=value` options
/// override any of them (Spec/zkasm.md §4).
extension Assembler {
    mutating func tensorInstruction(_ op: Opcode, _ c: inout LineCursor) throws(AssemblerError) -> Instruction {
        let dst = try tensorReference(&c)
        try c.comma()
        let a = try tensorReference(&c)
        var i = Instruction(op, rd: dst.register, ra: a.register)
        let descriptor: TensorOperation
        switch op {
        case .matmul:
            try c.comma()
            let b = try tensorReference(&c)
            i.rb = b.register
            var bias: TensorReference? = nil
            if c.peekPunctuation(","), c.tokens.count >= c.index + 2,
               c.tokens[c.index + 1].kind == .punctuation("@") || !isOption(c, at: c.index + 1),
               c.tokens[c.index + 1].kind == .punctuation("@") || { if case .identifier = c.tokens[c.index + 1].kind { true } else { false } }() {
                try c.comma()
                bias = try tensorReference(&c)
                guard bias!.register == 0 else { throw c.error("the bias cannot have a register offset", at: bias!.token) }
            }
            var o = try parseOptions(&c)
            let aShape = matrixShape(a.tensor, vector: .row), bShape = matrixShape(b.tensor, vector: .column)
            // A as a pattern: arows=[R1, R0] with ars=[s1, s0] and acols=[C2, C1, C0] with acs=[…] (Spec/zkasm.md §4).
            let rows = try patternDigits(&o, extentsKey: "arows", stridesKey: "ars", maxRank: 2, &c)
            let cols = try patternDigits(&o, extentsKey: "acols", stridesKey: "acs", maxRank: 3, &c)
            let rowCount = try patternSize(rows, "arows", o, &c), columnCount = try patternSize(cols, "acols", o, &c)
            let m = try o.integer("m", &c) ?? rowCount ?? aShape.0
            let k = try o.integer("k", &c) ?? columnCount ?? aShape.1
            let n = try o.integer("n", &c) ?? bShape.1
            guard bShape.0 == k || o.values["k"] != nil || o.values["brs"] != nil else {
                throw c.error("inner dimensions differ: \(a.tensor?.name ?? "a") has \(k) columns, \(b.tensor?.name ?? "b") has \(bShape.0) rows", at: b.token)
            }
            if let bias, let t = bias.tensor, bias.address - t.address + n > Int64(t.count) {
                throw c.error("the bias needs \(n) values inside '\(t.name)'", at: bias.token)
            }
            let accumulatorScale = a.scale + b.scale
            if let bias, bias.scale != accumulatorScale, o.values["shift"] == nil {
                throw c.error("bias scale must be \(accumulatorScale) (the sum of the operand scales)", at: bias.token)
            }
            let shift = try o.integer("shift", &c) ?? Int64(accumulatorScale - dst.scale)
            var mm = TensorOperation.MatMul(
                dst: dst.address, a: a.address, b: b.address, bias: bias?.address, m: m, k: k, n: n,
                aRowStride: rows == nil ? try o.integer("ars", &c) ?? k : 0, aColStride: cols == nil ? try o.integer("acs", &c) ?? 1 : 0,
                bRowStride: try o.integer("brs", &c) ?? n, bColStride: try o.integer("bcs", &c) ?? 1,
                dstRowStride: try o.integer("drs", &c) ?? n, shift: shift)
            // Outermost digit first, padded inwards with (1, 0): one digit is the plain form.
            if let rows {
                let r = Self.padded(rows, rank: 2)
                mm.aRowStride = r[0].stride
                (mm.aRowInner, mm.aRowInnerStride) = r[1]
            }
            if let cols {
                let q = Self.padded(cols, rank: 3)
                mm.aColStride = q[0].stride
                (mm.aColMiddle, mm.aColMiddleStride) = q[1]
                (mm.aColInner, mm.aColInnerStride) = q[2]
            }
            if let dcs = try o.integer("dcs", &c) { mm.dstColStride = dcs }
            try checkShift(shift, &c, dst.token)
            try o.rejectUnused(&c)
            descriptor = .matmul(mm)

        case .map:
            try c.comma()
            let (fname, fToken) = try c.identifier("a function: relu, clamp, rescale, lut or an activation")
            var function: TensorOperation.MapFunction
            var tableName: String? = nil
            if fname == "lut" { tableName = try c.identifier("a table name").0 }
            var o = try parseOptions(&c)
            switch fname {
            case "relu": function = .clamp(lo: 0, hi: FixedPoint.maxValue)
            case "clamp":
                function = .clamp(lo: try o.integer("lo", &c) ?? FixedPoint.minValue, hi: try o.integer("hi", &c) ?? FixedPoint.maxValue)
            case "rescale":
                let s = try o.integer("shift", &c) ?? Int64(a.scale - dst.scale)
                try checkShift(s, &c, fToken)
                function = .rescale(shift: s)
            case "lut":
                guard let t = namedTables[tableName!] else { throw c.error("unknown table '\(tableName!)'", at: fToken) }
                function = .lookup(table: t)
            default:
                guard let f = ActivationFunction(rawValue: fname) else {
                    let all = ["relu", "clamp", "rescale", "lut"] + ActivationFunction.allCases.map(\.rawValue)
                    let hint = suggestion(for: fname, among: all).map { "; did you mean '\($0)'?" } ?? ""
                    throw c.error("unknown map function '\(fname)'\(hint)", at: fToken)
                }
                // lo=/hi= clamp the input (raw, at the source's scale) before f, as for clamp.
                let domain = LookupTableSpec.domainMin...LookupTableSpec.domainMax
                let low = try o.integer("lo", &c, range: domain) ?? LookupTableSpec.domainMin
                let high = try o.integer("hi", &c, range: domain) ?? LookupTableSpec.domainMax
                guard low <= high else { throw c.error("the table's input domain needs lo ≤ hi", at: fToken) }
                function = .lookup(table: tableIndex(LookupTableSpec(function: f, inputScale: a.scale, outputScale: dst.scale,
                                                                     inputLow: low, inputHigh: high)))
            }
            if case .clamp = function, a.scale != dst.scale { throw c.error("\(fname) keeps the scale: source and destination scales differ", at: fToken) }
            let count = try o.integer("count", &c) ?? dst.count
            if o.values["count"] == nil && a.count != count && o.values["ss"] == nil {
                throw c.error("sizes differ (\(a.count) vs \(count)); give count=", at: a.token)
            }
            descriptor = .map(.init(dst: dst.address, src: a.address, count: count, dstStride: try o.integer("ds", &c) ?? 1,
                                    srcStride: try o.integer("ss", &c) ?? 1, function: function))
            try o.rejectUnused(&c)

        case .zip:
            try c.comma()
            let b = try tensorReference(&c)
            i.rb = b.register
            try c.comma()
            let (opName, opToken) = try c.identifier("add, sub, max, min or mul")
            var o = try parseOptions(&c)
            let operation: TensorOperation.ZipOperation
            switch opName {
            case "add": operation = .add
            case "sub": operation = .sub
            case "max": operation = .max
            case "min": operation = .min
            case "mul":
                let s = try o.integer("shift", &c) ?? Int64(a.scale + b.scale - dst.scale)
                try checkShift(s, &c, opToken)
                operation = .mul(shift: s)
            default:
                let hint = suggestion(for: opName, among: ["add", "sub", "max", "min", "mul"]).map { "; did you mean '\($0)'?" } ?? ""
                throw c.error("unknown zip operation '\(opName)'\(hint)", at: opToken)
            }
            if opName != "mul" && (a.scale != b.scale || a.scale != dst.scale) {
                throw c.error("\(opName) needs equal scales (\(a.scale), \(b.scale) → \(dst.scale)); rescale first", at: opToken)
            }
            let count = try o.integer("count", &c) ?? dst.count
            let bDefault: Int64 = b.count == count ? 1 : (b.count == 1 ? 0 : -1)
            let bStride = try o.integer("bs", &c) ?? bDefault
            guard bStride >= 0 || o.values["bs"] != nil else {
                throw c.error("\(b.tensor?.name ?? "b") has \(b.count) values for \(count) outputs; give bs=", at: b.token)
            }
            if o.values["count"] == nil && o.values["as"] == nil && a.count != count {
                throw c.error("sizes differ (\(a.count) vs \(count)); give count=", at: a.token)
            }
            descriptor = .zip(.init(dst: dst.address, a: a.address, b: b.address, count: count,
                                    dstStride: try o.integer("ds", &c) ?? 1, aStride: try o.integer("as", &c) ?? 1,
                                    bStride: bStride, operation: operation))
            try o.rejectUnused(&c)

        case .reduce:
            try c.comma()
            let (opName, opToken) = try c.identifier("sum, max or argmax")
            var o = try parseOptions(&c)
            let operation: TensorOperation.ReduceOperation
            switch opName {
            case "sum":
                let s = try o.integer("shift", &c) ?? Int64(a.scale - dst.scale)
                try checkShift(s, &c, opToken)
                operation = .sum(shift: s)
            case "max": operation = .max
            case "argmax": operation = .argmax
            default:
                let hint = suggestion(for: opName, among: ["sum", "max", "argmax"]).map { "; did you mean '\($0)'?" } ?? ""
                throw c.error("unknown reduction '\(opName)'\(hint)", at: opToken)
            }
            let rows = try o.integer("rows", &c) ?? 1
            let cols = try o.integer("cols", &c) ?? (a.count / max(1, rows))
            descriptor = .reduce(.init(dst: dst.address, src: a.address, rows: rows, cols: cols,
                                       rowStride: try o.integer("rs", &c) ?? cols, colStride: try o.integer("cs", &c) ?? 1,
                                       operation: operation))
            try o.rejectUnused(&c)

        default: // copy
            var o = try parseOptions(&c)
            let shape = o.list("shape") ?? [dst.count]
            let strides = o.list("strides") ?? [1]
            guard (1...4).contains(shape.count), shape.count == strides.count else {
                throw c.error("shape= and strides= need the same length, 1…4", at: dst.token)
            }
            descriptor = .copy(.init(dst: dst.address, src: a.address, shape: shape, strides: strides))
            try o.rejectUnused(&c)
        }
        try c.finish()
        i.imm = descriptorIndex(descriptor)
        do {
            try Program(memorySize: nextAddress, tensors: [], tables: tables, descriptors: [descriptor],
                        code: [Instruction(op, imm: 0)]).validate(descriptor: descriptor)
        } catch {
            throw c.error(error.description.replacingPrefix("invalid program: descriptor 0: ", with: ""), at: dst.token)
        }
        return i
    }

    /// The digits of a matmul's A pattern from `extentsKey=[…]` and
    /// `stridesKey=[…]` (outermost first, 1…maxRank of them), or nil when
    /// `extentsKey` is absent (then `stridesKey` is one integer).
    func patternDigits(_ o: inout Options, extentsKey: String, stridesKey: String, maxRank: Int,
                       _ c: inout LineCursor) throws(AssemblerError) -> [(extent: Int64, stride: Int64)]? {
        guard let token = o.values[extentsKey]?.0, let extents = o.list(extentsKey) else { return nil }
        guard (1...maxRank).contains(extents.count), extents.allSatisfy({ $0 >= 1 }) else {
            throw c.error("\(extentsKey) takes 1 to \(maxRank) extents, each ≥ 1", at: token)
        }
        guard let strides = o.list(stridesKey), strides.count == extents.count else {
            throw c.error("\(extentsKey) needs \(stridesKey)=[…] with one stride per extent", at: token)
        }
        return zip(extents, strides).map { (extent: $0, stride: $1) }
    }

    /// `digits` padded inwards with (1, 0) to `rank`; an inner digit of
    /// extent 1 gets stride 0 (the canonical encoding, Spec/isa.md §4).
    static func padded(_ digits: [(extent: Int64, stride: Int64)], rank: Int) -> [(extent: Int64, stride: Int64)] {
        let all = digits + Array(repeating: (extent: Int64(1), stride: Int64(0)), count: rank - digits.count)
        return all.enumerated().map { i, d in i > 0 && d.extent == 1 ? (extent: 1, stride: 0) : d }
    }

    /// The product of a pattern's extents (nil without a pattern); an overflow is an error at `key`.
    func patternSize(_ digits: [(extent: Int64, stride: Int64)]?, _ key: String, _ o: Options,
                     _ c: inout LineCursor) throws(AssemblerError) -> Int64? {
        guard let digits else { return nil }
        var size: Int64 = 1
        for d in digits {
            let (product, overflow) = size.multipliedReportingOverflow(by: d.extent)
            guard !overflow, product <= Program.maxMemory else {
                throw c.error("\(key) describes more than 2^28 elements", at: o.values[key]!.0)
            }
            size = product
        }
        return size
    }

    enum VectorRole { case row, column }

    /// (rows, columns) of a tensor seen as a matrix; a vector is a row (left
    /// operand) or a column (right operand); higher ranks fold leading dims.
    func matrixShape(_ t: TensorDeclaration?, vector: VectorRole) -> (Int64, Int64) {
        guard let t else { return (1, 1) }
        switch t.shape.count {
        case 0: return (1, 1)
        case 1: return vector == .row ? (1, Int64(t.shape[0])) : (Int64(t.shape[0]), 1)
        default: return (Int64(t.shape.dropLast().reduce(1, *)), Int64(t.shape.last!))
        }
    }

    func isOption(_ c: LineCursor, at index: Int) -> Bool {
        index + 1 < c.tokens.count && c.tokens[index + 1].kind == .punctuation("=")
    }

    func checkShift(_ s: Int64, _ c: inout LineCursor, _ token: Token) throws(AssemblerError) {
        guard s >= 0 && s <= Int64(FixedPoint.maxShift) else {
            throw c.error("the scales imply a shift of \(s), outside 0…31; give shift= or change the scales", at: token)
        }
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
