/// The non-linear functions the VM evaluates by table lookup (Spec/isa.md §5).
public enum ActivationFunction: String, CaseIterable, Sendable, Codable {
    case sigmoid, tanh, exp, gelu, erf
    /// 1/x; 1/0 saturates to the largest value.
    case reciprocal
    /// 1/√x; x ≤ 0 saturates to the largest value.
    case rsqrt
    /// ln x; x ≤ 0 saturates to the smallest value.
    case log
    /// GELU's tanh approximation: x/2·(1 + tanh(√(2/π)(x + 0.044715x³))).
    case geluTanh = "gelu_tanh"
    /// max(x, 0) − GELU(x) = |x|·Φ(−|x|): what GELU takes from ReLU. It
    /// vanishes on both sides, so its table closes where GELU's cannot
    /// (GELU(x) keeps growing with x): GELU = ReLU − this (Spec/onnx-import.md §3.2).
    case geluResidual = "gelu_residual"
    /// max(x, 0) − the tanh approximation of GELU, likewise.
    case geluTanhResidual = "gelu_tanh_residual"
    /// √x; x < 0 gives 0 (ONNX Sqrt is NaN there: the importer refuses
    /// inputs it calibrates below 0).
    case sqrt
    /// ln(1 + eˣ) (ONNX Softplus).
    case softplus
    /// sin x (ONNX Sin; Cos and Tan shift or divide it). The importer
    /// reduces inputs to [−π, π] first, so its tables close there.
    case sin

    /// The real function, from `DeterministicMath` (bit-identical everywhere).
    public func evaluate(_ x: Double) -> Double {
        switch self {
        case .sigmoid: return DeterministicMath.sigmoid(x)
        case .tanh: return DeterministicMath.tanh(x)
        case .exp: return DeterministicMath.exp(x)
        case .gelu: return DeterministicMath.gelu(x)
        case .erf: return DeterministicMath.erf(x)
        case .reciprocal: return x == 0 ? .infinity : 1 / x
        case .rsqrt: return x <= 0 ? .infinity : 1 / x.squareRoot()
        case .log: return x <= 0 ? -.infinity : DeterministicMath.log(x)
        case .geluTanh: return DeterministicMath.geluTanh(x)
        case .geluResidual: return Swift.max(x, 0) - DeterministicMath.gelu(x)
        case .geluTanhResidual: return Swift.max(x, 0) - DeterministicMath.geluTanh(x)
        case .sqrt: return x <= 0 ? 0 : x.squareRoot()
        case .softplus: return DeterministicMath.softplus(x)
        case .sin: return DeterministicMath.sin(x)
        }
    }

    /// A stable numeric code for the binary encoding.
    public var code: UInt8 {
        switch self {
        case .sigmoid: 1
        case .tanh: 2
        case .exp: 3
        case .gelu: 4
        case .erf: 5
        case .reciprocal: 6
        case .rsqrt: 7
        case .log: 8
        case .geluTanh: 9
        case .geluResidual: 10
        case .geluTanhResidual: 11
        case .sqrt: 12
        case .softplus: 13
        case .sin: 14
        }
    }

    public init?(code: UInt8) {
        guard let f = ActivationFunction.allCases.first(where: { $0.code == code }) else { return nil }
        self = f
    }
}

/// A lookup table: f sampled on every raw input of the domain
/// [−2^15, 2^15) at `inputScale` fractional bits, producing raw outputs at
/// `outputScale` fractional bits:
///
///   T[x] = clamp_V(round_half_away(f(x / 2^inputScale) · 2^outputScale)).
///
/// Inputs outside the domain are clamped to its ends before the lookup (a rule
/// the prover enforces with range checks). Tables are generated, never stored:
/// the program records only (function, inputScale, outputScale).
public struct LookupTableSpec: Hashable, Sendable, Codable {
    public var function: ActivationFunction
    public var inputScale: Int
    public var outputScale: Int
    /// The table's input domain [inputLow, inputHigh] (raw, inside the
    /// 16-bit domain; the whole of it by default): inputs are clamped to it
    /// before f is applied, so entries outside it repeat its ends and the
    /// proven domain (Spec/vm-air.md §4b) lies inside it.
    public var inputLow: Int64 = LookupTableSpec.domainMin
    public var inputHigh: Int64 = LookupTableSpec.domainMax

    /// Raw inputs are clamped to [domainMin, domainMax].
    public static let domainBits = 16
    public static let domainMin: Int64 = -(1 << 15)
    public static let domainMax: Int64 = (1 << 15) - 1

    public init(function: ActivationFunction, inputScale: Int, outputScale: Int,
                inputLow: Int64 = LookupTableSpec.domainMin, inputHigh: Int64 = LookupTableSpec.domainMax) {
        self.function = function
        self.inputScale = inputScale
        self.outputScale = outputScale
        self.inputLow = inputLow
        self.inputHigh = inputHigh
    }

    /// Whether the input domain is the whole 16-bit domain (the short encoding).
    public var hasFullDomain: Bool { inputLow == Self.domainMin && inputHigh == Self.domainMax }

    /// The documented clamp of a raw input to the table domain.
    @inlinable
    public static func clampInput(_ x: Int64) -> Int64 { min(max(x, domainMin), domainMax) }

    /// The table entry for a raw input already inside the domain.
    public func entry(_ x: Int64) -> Int64 {
        let real = function.evaluate(FixedPoint.dequantize(x, scale: inputScale))
        let scaled = real * Double(1 << outputScale)
        if scaled.isNaN { return 0 }
        if scaled >= Double(FixedPoint.maxValue) { return FixedPoint.maxValue }
        if scaled <= Double(FixedPoint.minValue) { return FixedPoint.minValue }
        return Int64(scaled.rounded(.toNearestOrAwayFromZero))
    }

    /// The whole table, indexed by x − domainMin: entry(clamp(x, inputLow, inputHigh)).
    public func generate() -> [Int64] {
        let low = entry(inputLow), high = entry(inputHigh)
        return (LookupTableSpec.domainMin...LookupTableSpec.domainMax).map { x in
            x <= inputLow ? low : x >= inputHigh ? high : entry(x)
        }
    }

    /// The smallest input range outside which `table` (this spec's
    /// `generate()`) is constant: below it every entry equals the entry at
    /// its low end, above it the entry at its high end. Clamping to it
    /// instead of the whole domain gives the same results, so a proof needs
    /// only these entries (Spec/vm-air.md §4b). Functions that saturate on
    /// both sides (sigmoid, tanh, erf) need far fewer than 2^16; exp and
    /// gelu, constant on one side only, about half.
    public static func provenDomain(of table: [Int64]) -> ClosedRange<Int64> {
        guard let first = table.first, let last = table.last,
              let changes = table.firstIndex(where: { $0 != first }),
              let settles = table.lastIndex(where: { $0 != last }) else { return domainMin...domainMin }
        let low = changes - 1, high = settles + 1
        return (domainMin + Int64(low))...(domainMin + Int64(max(low, high)))
    }

    /// Applies the table to any raw value (clamp, then look up).
    public func apply(_ x: Int64, table: [Int64]) -> Int64 {
        table[Int(LookupTableSpec.clampInput(x) - LookupTableSpec.domainMin)]
    }
}
