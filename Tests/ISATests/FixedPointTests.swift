import Foundation
import Testing
import ISA

@Suite struct FixedPointTests {
    /// rescale(x, s) = ⌊x/2^s + 1/2⌋ for every x in [−2^13, 2^13] and s ≤ 10,
    /// against an independent Double formula (exact at these sizes).
    @Test func rescaleIsRoundHalfUpExhaustively() {
        for s in 0...10 {
            for x in Int64(-(1 << 13))...Int64(1 << 13) {
                let expected = Int64((Double(x) / Double(1 << s) + (s == 0 ? 0 : 0.5)).rounded(.down))
                #expect(FixedPoint.rescale(x, shift: s) == expected)
                if FixedPoint.rescale(x, shift: s) != expected { return }
            }
        }
        // Ties go up: 0.5 → 1, −0.5 → 0, −1.5 → −1.
        #expect(FixedPoint.rescale(1, shift: 1) == 1)
        #expect(FixedPoint.rescale(-1, shift: 1) == 0)
        #expect(FixedPoint.rescale(-3, shift: 1) == -1)
    }

    /// Near the accumulator bound, against 128-bit arithmetic.
    @Test func rescaleAtTheAccumulatorLimits() {
        let bound = FixedPoint.accumulatorBound - 1
        for x in [bound, -bound, bound - 12345, -bound + 7, 0, 1, -1] {
            for s in [1, 7, 16, 31] {
                let wide = Int128(x) + (Int128(1) << (s - 1))
                let expected = wide >> s   // arithmetic shift: floor
                #expect(Int128(FixedPoint.rescale(x, shift: s)) == expected)
            }
        }
    }

    @Test func quantization() {
        #expect(FixedPoint.quantize(1.5, scale: 4) == 24)
        #expect(FixedPoint.quantize(-0.03125, scale: 4) == -1)   // −0.5 ulp rounds away from zero
        #expect(FixedPoint.quantize(.nan, scale: 4) == nil)
        #expect(FixedPoint.quantize(.infinity, scale: 4) == nil)
        #expect(FixedPoint.quantize(1e12, scale: 4) == nil)
        #expect(FixedPoint.quantize(Double(FixedPoint.maxValue), scale: 0) == FixedPoint.maxValue)
        #expect(FixedPoint.dequantize(-24, scale: 4) == -1.5)
        #expect(FixedPoint.inRange(FixedPoint.minValue) && !FixedPoint.inRange(FixedPoint.minValue - 1))
    }
}

@Suite struct LookupTableTests {
    @Test func deterministicMathMatchesLibm() {
        var x = -40.0
        while x <= 40 {
            let e = DeterministicMath.exp(x)
            #expect(abs(e - Foundation.exp(x)) <= 1e-13 * Foundation.exp(x), "exp(\(x))")
            #expect(abs(DeterministicMath.erf(x) - Foundation.erf(x)) < 2e-7, "erf(\(x))")
            #expect(abs(DeterministicMath.tanh(x) - Foundation.tanh(x)) < 1e-12, "tanh(\(x))")
            #expect(abs(DeterministicMath.sigmoid(x) - 1 / (1 + Foundation.exp(-x))) < 1e-12, "sigmoid(\(x))")
            if x > 0 {
                for y in [x, x * 1e-6, x * 1e6] {
                    #expect(abs(DeterministicMath.log(y) - Foundation.log(y)) <= 1e-14 * max(1, abs(Foundation.log(y))), "log(\(y))")
                }
            }
            x += 0.01
        }
    }

    /// Clamping to a table's proven domain gives the VM's result for every
    /// raw value (inside, at and beyond the 16-bit domain), and the domain is
    /// the smallest such range: its end entries differ from their neighbours.
    @Test(arguments: ActivationFunction.allCases)
    func provenDomainsKeepEveryResult(function: ActivationFunction) {
        for (fi, fo) in [(8, 8), (4, 12), (12, 4)] {
            let spec = LookupTableSpec(function: function, inputScale: fi, outputScale: fo)
            let table = spec.generate()
            let domain = LookupTableSpec.provenDomain(of: table)
            #expect(domain.lowerBound >= LookupTableSpec.domainMin && domain.upperBound <= LookupTableSpec.domainMax)
            var inputs = Array(stride(from: LookupTableSpec.domainMin - 3, through: LookupTableSpec.domainMax + 3, by: 1))
            inputs += [FixedPoint.minValue, FixedPoint.maxValue, -(1 << 20), 1 << 20]
            for x in inputs {
                let clamped = min(max(x, domain.lowerBound), domain.upperBound)
                #expect(table[Int(clamped - LookupTableSpec.domainMin)] == spec.apply(x, table: table), "\(function) \(fi)/\(fo) at \(x)")
            }
            let low = Int(domain.lowerBound - LookupTableSpec.domainMin), high = Int(domain.upperBound - LookupTableSpec.domainMin)
            if low < high {
                #expect(table[low + 1] != table[low], "\(function) \(fi)/\(fo): the low end could move up")
                #expect(table[high - 1] != table[high], "\(function) \(fi)/\(fo): the high end could move down")
            }
        }
        // Saturating functions need far fewer than 2^16 entries.
        if [.sigmoid, .tanh, .erf].contains(function) {
            let table = LookupTableSpec(function: function, inputScale: 8, outputScale: 8).generate()
            #expect(LookupTableSpec.provenDomain(of: table).count < 1 << 12)
        }
    }

    /// A constant table's domain is a single point.
    @Test func constantTablesHaveOnePoint() {
        let domain = LookupTableSpec.provenDomain(of: [Int64](repeating: 7, count: 1 << 16))
        #expect(domain == LookupTableSpec.domainMin...LookupTableSpec.domainMin)
    }

    /// Every entry is within half a unit (plus float noise) of the real
    /// function computed with libm, except where it saturates.
    @Test(arguments: ActivationFunction.allCases)
    func tablesAreWithinHalfAUnit(function: ActivationFunction) {
        for (fi, fo) in [(8, 8), (10, 12), (12, 16)] {
            let spec = LookupTableSpec(function: function, inputScale: fi, outputScale: fo)
            let table = spec.generate()
            #expect(table.count == 1 << 16)
            var worst = 0.0
            for (i, entry) in table.enumerated() {
                let x = Double(Int64(i) + LookupTableSpec.domainMin) / Double(1 << fi)
                let real: Double = switch function {
                case .sigmoid: 1 / (1 + Foundation.exp(-x))
                case .tanh: Foundation.tanh(x)
                case .exp: Foundation.exp(x)
                case .gelu: 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
                case .erf: Foundation.erf(x)
                case .reciprocal: 1 / x
                case .rsqrt: 1 / x.squareRoot()
                case .log: Foundation.log(x)
                case .geluTanh: 0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
                // |x|·Φ(−|x|) through erfc: no cancellation, another formula than the table's.
                case .geluResidual: abs(x) * 0.5 * Foundation.erfc(abs(x) / 2.0.squareRoot())
                case .geluTanhResidual:
                    max(x, 0) - 0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
                case .sqrt: x <= 0 ? 0 : Foundation.sqrt(x)
                // log1p(exp(x)) from libm: another formula than the table's.
                case .softplus: x > 30 ? x : Foundation.log1p(Foundation.exp(x))
                case .sin: Foundation.sin(x)
                }
                let scaled = real * Double(1 << fo)
                if function == .log && x <= 0 { #expect(entry == FixedPoint.minValue); continue }
                if !scaled.isFinite || scaled >= Double(FixedPoint.maxValue) {
                    #expect(entry == FixedPoint.maxValue || (function == .rsqrt && x <= 0 && entry == FixedPoint.maxValue))
                    continue
                }
                if scaled <= Double(FixedPoint.minValue) { #expect(entry == FixedPoint.minValue); continue }
                worst = max(worst, abs(Double(entry) - scaled))
            }
            // erf/gelu inherit the 2e−7 series error times 2^16 ≈ 0.013 units.
            #expect(worst <= 0.5 + 0.02, "\(function) in \(fi) out \(fo): worst error \(worst) units")
        }
    }

    @Test func clampingAndDeterminism() {
        let spec = LookupTableSpec(function: .sigmoid, inputScale: 10, outputScale: 12)
        let table = spec.generate()
        #expect(table == spec.generate())
        #expect(spec.apply(1_000_000, table: table) == table.last)
        #expect(spec.apply(-1_000_000, table: table) == table.first)
        #expect(spec.apply(0, table: table) == 2048)   // sigmoid(0) = 0.5 at 2^12
        #expect(LookupTableSpec.clampInput(40_000) == LookupTableSpec.domainMax)
    }
}
