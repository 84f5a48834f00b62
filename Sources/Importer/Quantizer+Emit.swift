import Foundation
import ISA

/// Emission of each kernel operation at fixed point (Spec/onnx-import.md §4.2).
extension Quantizer {
    /// The table input scale for `f` given the calibrated input range: the
    /// 16-bit table domain must cover the range where f still changes.
    static func tableInputScale(_ f: ActivationFunction, inputRange r: Double) -> Int {
        let span: Double
        switch f {
        case .sigmoid: span = 16
        case .tanh: span = 8
        case .erf: span = 4
        case .exp: span = min(max(r, 1), 16)
        case .gelu, .geluTanh: span = max(r, 4)
        case .geluResidual, .geluTanhResidual: span = 8
        case .reciprocal, .rsqrt, .log, .sqrt: span = max(r, 1)
        case .softplus: span = max(r, 16)
        case .sin: span = 4   // inputs reduced to [−π, π]
        }
        return max(0, min(maxScale, 15 - Int(Foundation.log2(span).rounded(.up))))
    }

    /// The real input domain a table covers, nil where it keeps the whole
    /// 16-bit domain. Only where clamping changes no result: on a side where
    /// the function flattens out at output scale fo — within 2^−(fo+1) of
    /// its limit or saturated at the ends of V: sigmoid at ±(fo+1)·ln 2,
    /// tanh at ±(fo+2)·ln 2 / 2, erf at ±√(2(fo+2)·ln 2), exp from
    /// −(fo+1)·ln 2 up to (31 − fo)·ln 2, both GELUs from −√(2(fo+2)·ln 2),
    /// their residuals (|x|·Φ(−|x|) and its tanh form) within ±√(2(fo+2)·ln 2),
    /// softplus below −(fo+1)·ln 2, √ below 0 (where it is 0) —
    /// and for an input with a range known by construction (a softmax's
    /// row sum). A side where the function keeps changing keeps the 16-bit
    /// domain's end (nil bound).
    static func tableDomain(_ f: ActivationFunction, known: ClosedRange<Double>?, outputScale fo: Int) -> (low: Double?, high: Double?) {
        let ln2 = 0.6931471805599453, bits = Double(fo)
        let logistic = (bits + 1) * ln2, gaussian = (2 * (bits + 2) * ln2).squareRoot()
        var low: Double?, high: Double?
        switch f {
        case .sigmoid: (low, high) = (-logistic, logistic)
        case .tanh: (low, high) = (-(bits + 2) * ln2 / 2, (bits + 2) * ln2 / 2)
        case .erf: (low, high) = (-gaussian, gaussian)
        case .exp: (low, high) = (-logistic, (31 - bits) * ln2)
        case .gelu, .geluTanh: low = -gaussian
        case .geluResidual, .geluTanhResidual: (low, high) = (-gaussian, gaussian)
        case .reciprocal, .rsqrt, .log: break
        case .sqrt: low = 0
        case .softplus: low = -logistic
        case .sin: break   // periodic: closed by the reduced input's known range
        }
        // A known bound beyond every representable value (an open side of
        // a clamp, `KernelProgram.Tensor.knownRange`) leaves that side as it is.
        if let known, known.lowerBound > -KernelProgram.Tensor.openBound {
            low = max(low ?? known.lowerBound, known.lowerBound)
        }
        if let known, known.upperBound < KernelProgram.Tensor.openBound {
            high = min(high ?? known.upperBound, known.upperBound)
        }
        return (low, high)
    }

    /// The finest input scale at which a domain of `width` real units,
    /// its ends rounded outwards, takes at most 2^bits entries.
    static func budgetScale(width: Double, bits: Int) -> Int {
        guard width > 0, width.isFinite else { return maxScale }
        let entries = Double((1 << bits) - 2)
        return max(0, min(maxScale, Int(Foundation.log2(entries / width).rounded(.down))))
    }

    func ref(_ name: String, _ offset: Int) -> String { offset == 0 ? name : "\(name) + \(offset)" }

    mutating func emitAll() throws(ImportError) {
        for t in program.inputs {
            let s = program.tensors[t].wholeNumbers ? 0 : activationScale(t)
            scales[t] = s
            declare("input", names[t], shape: program.tensors[t].shape, scale: s, visibility: options.inputVisibility,
                    origin: program.tensors[t].origin)
        }
        for step in program.steps { try emit(step) }
        body.append("    halt")
    }

    mutating func emit(_ step: KernelProgram.Step) throws(ImportError) {
        let node = step.node
        switch step.operation {
        case let .copy(dst, src, shape, strides):
            let s = naturalScale(src.tensor, cap: options.scaleBits)
            let f = written(dst.tensor, desired: min(s, activationScale(dst.tensor)))
            let a = try operand(src, scale: f, node: node)
            body.append("    copy \(ref(names[dst.tensor], dst.offset)), \(a), shape=\(Self.dims(shape)), strides=\(Self.dims(strides))   ; \(node)")

        case let .map(dst, src, function, count, ds, ss):
            switch function {
            case let .clamp(lo, hi):
                let f = written(dst.tensor, desired: naturalScale(src.tensor, cap: options.scaleBits))
                let a = try operand(src, scale: f, node: node)
                guard !lo.isNaN, !hi.isNaN else { throw ImportError(op: node, "clip bounds must not be NaN") }
                let scale = Double(1 << f)
                func raw(_ v: Double) -> Int64 {
                    Int64(min(max((v * scale).rounded(), Double(FixedPoint.minValue)), Double(FixedPoint.maxValue)))
                }
                // ONNX: min(max(x, lo), hi), so lo > hi gives hi everywhere.
                let rawHi = raw(hi), rawLo = min(raw(lo), rawHi)
                body.append("    map \(ref(names[dst.tensor], dst.offset)), \(a), clamp, lo=\(rawLo), hi=\(rawHi), count=\(count), ds=\(ds), ss=\(ss)   ; \(node)")
            case .step:
                // Raw x ≥ 1 exactly when x > 0 at any scale s: a clamp to raw
                // [0, 1] (one step of s), then an exact multiplication by 2^s
                // makes it 0 or 1 at scale s.
                let s = naturalScale(src.tensor, cap: options.scaleBits)
                let a = try operand(src, scale: s, node: node)
                guard written(dst.tensor, desired: s) == s else { throw ImportError(op: node, "a comparison's result was fixed at another scale") }
                let steps = freshName("\(names[dst.tensor])_raw")
                declare("buffer", steps, shape: [count], scale: s, visibility: nil, origin: "")
                let factor = powerOfTwo(s)
                body.append("    map \(steps), \(a), clamp, lo=0, hi=1, count=\(count), ds=1, ss=\(ss)   ; \(node): x > 0")
                body.append("    zip \(ref(names[dst.tensor], dst.offset)), \(steps), \(factor), mul, count=\(count), ds=\(ds), bs=0, shift=0   ; \(node)")
            case let .floor(exponent):
                // ⌊raw / 2^(s+e)⌋ = rescale(raw − 2^(s+e−1), s+e) under the ISA's
                // round-half-up rescale; then × 2^s back to scale s (exact). With
                // |raw| < 2^31, a shift beyond 31 bits gives the same −1 or 0 as 31.
                let s = naturalScale(src.tensor, cap: options.scaleBits)
                let a = try operand(src, scale: s, node: node)
                guard written(dst.tensor, desired: s) == s else { throw ImportError(op: node, "a floor's result was fixed at another scale") }
                let shift = min(s + exponent, 31)
                guard shift > 0 else {
                    body.append("    copy \(ref(names[dst.tensor], dst.offset)), \(a), shape=[\(count)], strides=[\(ss)]   ; \(node): ⌊x⌋ of integers")
                    break
                }
                let half = freshName("\(names[dst.tensor])_half")
                declare("weights", half, shape: [], scale: s, visibility: .public, origin: "", data: " raw [\(1 << (shift - 1))]")
                let lowered = freshName("\(names[dst.tensor])_low"), whole = freshName("\(names[dst.tensor])_int")
                declare("buffer", lowered, shape: [count], scale: s, visibility: nil, origin: "")
                declare("buffer", whole, shape: [count], scale: 0, visibility: nil, origin: "")
                let what = exponent == 0 ? "⌊x⌋" : "⌊x / 2^\(exponent)⌋"
                body.append("    zip \(lowered), \(a), \(half), sub, count=\(count), ds=1, as=\(ss), bs=0   ; \(node): x − ½ step")
                body.append("    map \(whole), \(lowered), rescale, count=\(count), shift=\(shift)   ; \(node): \(what)")
                body.append("    zip \(ref(names[dst.tensor], dst.offset)), \(whole), \(powerOfTwo(s)), mul, count=\(count), ds=\(ds), bs=0, shift=0   ; \(node)")
            case let .activation(fn):
                let have = naturalScale(src.tensor, cap: options.scaleBits)
                var t = min(have, Self.tableInputScale(fn, inputRange: ranges[src.tensor]))
                let f = written(dst.tensor, desired: activationScale(dst.tensor))
                var domainText = ""
                if let bits = options.tableBits {
                    let domain = Self.tableDomain(fn, known: program.tensors[src.tensor].knownRange, outputScale: f)
                    // A table closed on both sides fits the budget; an open side keeps the finest t.
                    if let low = domain.low, let high = domain.high { t = min(t, Self.budgetScale(width: high - low, bits: bits)) }
                    // Raw ends at scale t, rounded outwards, inside the 16-bit domain; an open side is its end.
                    func raw(_ x: Double?, _ rounding: FloatingPointRoundingRule, open end: Int64) -> Int64 {
                        guard let x else { return end }
                        let r = (x * Double(1 << t)).rounded(rounding)
                        return Int64(min(max(r, Double(LookupTableSpec.domainMin)), Double(LookupTableSpec.domainMax)))
                    }
                    let low = raw(domain.low, .down, open: LookupTableSpec.domainMin)
                    let high = raw(domain.high, .up, open: LookupTableSpec.domainMax)
                    if low <= high, low > LookupTableSpec.domainMin || high < LookupTableSpec.domainMax { domainText = ", lo=\(low), hi=\(high)" }
                }
                let a = try operand(src, scale: t, node: node)
                body.append("    map \(ref(names[dst.tensor], dst.offset)), \(a), \(fn.rawValue)\(domainText), count=\(count), ds=\(ds), ss=\(ss)   ; \(node) (table in=\(t) out=\(f))")
            }

        case let .zip(dst, a, b, operation, count, ds, as_, bs):
            let sa = naturalScale(a.tensor, cap: options.scaleBits), sb = naturalScale(b.tensor, cap: options.scaleBits)
            let opName: String
            let x: String, y: String
            var shiftOption = ""
            if operation == .mul {
                // A constant factor takes the finest scale that fits V and keeps
                // shift = sa + sb − f ≤ 31.
                let target = scales[dst.tensor] ?? activationScale(dst.tensor)
                var sbUsed = sb
                if program.tensors[b.tensor].kind == .weights {
                    sbUsed = Self.weightScale(program.tensors[b.tensor].data ?? [], cap: max(0, min(Self.maxScale, 31 + target - sa)))
                }
                let f = written(dst.tensor, desired: min(activationScale(dst.tensor), sa + sbUsed))
                var saUsed = sa
                if saUsed + sbUsed < f { saUsed = f - sbUsed }   // exact rescale up of A
                if saUsed + sbUsed - f > 31 { saUsed = f + 31 - sbUsed }
                x = try operand(a, scale: saUsed, node: node)
                y = try operand(b, scale: sbUsed, node: node)
                shiftOption = ", shift=\(saUsed + sbUsed - f)"
                opName = "mul"
            } else {
                let common = min(sa, sb)
                let f = written(dst.tensor, desired: min(common, activationScale(dst.tensor)))
                x = try operand(a, scale: f, node: node)
                y = try operand(b, scale: f, node: node)
                switch operation {
                case .add: opName = "add"
                case .sub: opName = "sub"
                case .max: opName = "max"
                default: opName = "min"
                }
            }
            body.append("    zip \(ref(names[dst.tensor], dst.offset)), \(x), \(y), \(opName), count=\(count), ds=\(ds), as=\(as_), bs=\(bs)\(shiftOption)   ; \(node)")

        case let .reduce(dst, src, operation, rows, cols, rs, cs):
            let s = naturalScale(src.tensor, cap: options.scaleBits)
            switch operation {
            case .argmax:
                _ = written(dst.tensor, desired: 0)
                let a = try operand(src, scale: s, node: node)
                body.append("    reduce \(ref(names[dst.tensor], dst.offset)), \(a), argmax, rows=\(rows), cols=\(cols), rs=\(rs), cs=\(cs)   ; \(node)")
            case .max:
                let f = written(dst.tensor, desired: s)
                let a = try operand(src, scale: f, node: node)
                body.append("    reduce \(ref(names[dst.tensor], dst.offset)), \(a), max, rows=\(rows), cols=\(cols), rs=\(rs), cs=\(cs)   ; \(node)")
            case .sum:
                let f = written(dst.tensor, desired: min(s, activationScale(dst.tensor)))
                let a = try operand(src, scale: max(s, f), node: node)
                body.append("    reduce \(ref(names[dst.tensor], dst.offset)), \(a), sum, rows=\(rows), cols=\(cols), rs=\(rs), cs=\(cs), shift=\(max(s, f) - f)   ; \(node)")
            }

        case let .matmul(dst, a, b, bias, m, k, n, ars, acs, brs, bcs, drs, pattern):
            var sa = naturalScale(a.tensor, cap: options.scaleBits)
            let bIsWeights = program.tensors[b.tensor].kind == .weights
            var sb: Int
            if bIsWeights {
                // With a bias the products' scale sa + sb is the bias's (≤ 24);
                // without one only shift = sa + sb − f ≤ 31 limits it.
                let target = scales[dst.tensor] ?? activationScale(dst.tensor)
                let cap = bias != nil ? 24 - sa : 31 + target - sa
                sb = Self.weightScale(program.tensors[b.tensor].data ?? [], cap: max(0, min(Self.maxScale, cap)))
                // Committed weights at 16 bits are held and packed three to an
                // absorbed element (Spec/vm-air.md §10a): a step of 2^−15 of
                // the largest weight, int16 quantization.
                if options.weightVisibility == .committed, let narrow = Self.narrowScale(program.tensors[b.tensor].data ?? []) {
                    sb = min(sb, narrow)
                }
                if let bias, program.tensors[bias.tensor].kind == .weights {
                    // The bias is added at scale sa + sb and must fit V there.
                    let limit = Self.weightScale(program.tensors[bias.tensor].data ?? [], cap: 24)
                    if sa + sb > limit { sb = max(0, limit - sa); if sa + sb > limit { sa = limit - sb } }
                }
            } else {
                sb = naturalScale(b.tensor, cap: options.scaleBits)
                if bias != nil, sa + sb > 24 { sa = max(0, 24 - sb) }
            }
            let f = written(dst.tensor, desired: min(activationScale(dst.tensor), sa + sb))
            if sa + sb < f { sa = f - sb }
            if sa + sb - f > 31 { sa = f + 31 - sb }
            let x = try operand(a, scale: sa, node: node)
            let y = try operand(b, scale: sb, node: node)
            var biasText = ""
            if let bias {
                guard program.tensors[bias.tensor].kind == .weights else { throw ImportError(op: node, "a non-constant bias is not supported") }
                biasText = ", " + (try operand(bias, scale: sa + sb, node: node))
            }
            var aLayout = "ars=\(ars), acs=\(acs)", dcs = ""
            if let pattern {
                aLayout = "arows=\(Self.dims(pattern.rows.map(\.extent))), ars=\(Self.dims(pattern.rows.map(\.stride))), "
                    + "acols=\(Self.dims(pattern.columns.map(\.extent))), acs=\(Self.dims(pattern.columns.map(\.stride)))"
                if pattern.dstColumnStride != 1 { dcs = ", dcs=\(pattern.dstColumnStride)" }
            }
            body.append("    matmul \(ref(names[dst.tensor], dst.offset)), \(x), \(y)\(biasText), m=\(m), k=\(k), n=\(n), \(aLayout), brs=\(brs), bcs=\(bcs), drs=\(drs)\(dcs), shift=\(sa + sb - f)   ; \(node)")
        }
    }

    /// The whole `.zkasm` text.
    func text(header: [String]) -> String {
        (header.map { "; " + $0 } + [""] + declarations + [""] + body).joined(separator: "\n") + "\n"
    }
}
