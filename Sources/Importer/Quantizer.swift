import Foundation
import ISA

/// Fixed-point choices of an import (Spec/onnx-import.md §4).
public struct QuantizationOptions: Sendable {
    /// Largest scale (fractional bits) of activations; weights get up to
    /// 24 − (their partner's scale) so a matmul's bias fits scale 24.
    public var scaleBits = 12
    /// log2 of the most entries an activation table spends on its
    /// calibrated input domain (Spec/onnx-import.md §4.1): tables cost
    /// proving time per entry, so their input scale is lowered until the
    /// domain fits; nil keeps every table at the finest scale its function needs.
    public var tableBits: Int? = 13
    public var inputVisibility = Visibility.private
    public var weightVisibility = Visibility.committed
    public var outputVisibility = Visibility.public
    public init() {}
}

/// Chooses a scale per tensor from its calibrated range and the operation
/// that writes it, inserts rescaling where scales must agree, and prints
/// the `.zkasm` program (Spec/onnx-import.md §4).
struct Quantizer {
    let program: KernelProgram
    /// max |x| per tensor over the calibration runs.
    let ranges: [Double]
    let options: QuantizationOptions
    var scales: [Int?]
    var names: [String]
    /// Weight tensors declared per (tensor, scale).
    var weightNames: [Int: [Int: String]] = [:]
    /// Converted copies of (tensor, scale), valid until the tensor is written.
    var converted: [Int: [Int: String]] = [:]
    /// The public scalar 2^d (raw, scale 0) declared for exact rescales up, by d.
    var powersOfTwo: [Int: String] = [:]
    var declarations: [String] = []
    var weightFiles: [(name: String, values: [Double])] = []
    var body: [String] = []
    var extraNames = Set<String>()
    /// Scale of every declared `.zkasm` tensor.
    var declaredScales: [String: Int] = [:]
    let weightFolder: String

    init(program: KernelProgram, ranges: [Double], options: QuantizationOptions, weightFolder: String) {
        self.program = program
        self.ranges = ranges
        self.options = options
        self.weightFolder = weightFolder
        scales = [Int?](repeating: nil, count: program.tensors.count)
        names = program.tensors.map(\.name)
        extraNames = Set(names)
    }

    static let maxScale = FixedPoint.maxScale

    /// The largest scale ≤ cap at which |x| ≤ range keeps a factor-2 margin inside V.
    static func headroomScale(_ range: Double, cap: Int) -> Int {
        guard range > 0, range.isFinite else { return max(0, min(cap, maxScale)) }
        let s = 29 - Int(Foundation.log2(range).rounded(.up))
        return max(0, min(cap, maxScale, s))
    }

    /// The scale of a weight tensor: as fine as `cap` allows while every value fits V.
    static func weightScale(_ values: [Double], cap: Int) -> Int {
        let m = values.map(abs).max() ?? 0
        guard m > 0 else { return max(0, min(cap, maxScale)) }
        return max(0, min(cap, maxScale, 30 - Int(Foundation.log2(m).rounded(.up))))
    }

    /// The finest scale at which every value quantizes into [−2^15, 2^15)
    /// (16 bits), nil if none does (values of 2^15 and more).
    static func narrowScale(_ values: [Double]) -> Int? {
        let m = values.map(abs).max() ?? 0
        guard m > 0 else { return maxScale }
        let s = Int(Foundation.log2((32768 - 0.5) / m).rounded(.down))
        return s < 0 ? nil : min(s, maxScale)
    }

    mutating func freshName(_ base: String) -> String {
        var name = base, k = 1
        while extraNames.contains(name) { k += 1; name = "\(base)_\(k)" }
        extraNames.insert(name)
        return name
    }

    static func dims(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    mutating func declare(_ kind: String, _ name: String, shape: [Int], scale: Int, visibility: Visibility?,
                          origin: String, data: String = "") {
        let vis = visibility.map { " \($0.name)" } ?? ""
        let comment = origin.isEmpty ? "" : "   ; \(origin)"
        declarations.append(".\(kind) \(name) \(Self.dims(shape)) scale=\(scale)\(vis)\(data)\(comment)")
        declaredScales[name] = scale
    }

    /// The `.zkasm` name of weights tensor `t` quantized at `scale`.
    mutating func weights(_ t: Int, scale: Int, node: String) throws(ImportError) -> String {
        if let name = weightNames[t]?[scale] { return name }
        var tensor = program.tensors[t]
        if tensor.rounding != .toNearestOrAwayFromZero, let data = tensor.data {
            // Thresholds rounded down or up onto this scale's grid (exact in a double).
            let unit = Double(1 << scale)
            tensor.data = data.map { ($0 * unit).rounded(tensor.rounding) / unit }
        }
        // A constant must be representable: every value in V at this scale.
        if let bad = (tensor.data ?? []).first(where: { FixedPoint.quantize($0, scale: scale) == nil }) {
            throw ImportError(op: node, "the constant value \(bad) cannot be represented in the VM's range (|x|·2^\(scale) < 2^31)")
        }
        let name = weightNames[t] == nil ? names[t] : freshName("\(names[t])_s\(scale)")
        weightNames[t, default: [:]][scale] = name
        let values = tensor.data ?? []
        // Weights that fit 16 bits say so: the weights table packs three
        // committed 16-bit weights into one element the commitment absorbs.
        let narrow = values.allSatisfy { TensorDeclaration.fits(FixedPoint.quantize($0, scale: scale) ?? 0, bits: 16) }
        var data = narrow ? " bits=16" : ""
        if values.count <= 8 {
            let raw = values.map { String(FixedPoint.quantize($0, scale: scale) ?? 0) }
            data += " raw [\(raw.joined(separator: ", "))]"
        } else {
            // Reals at this scale: raw / 2^scale is exact in a double, so the file round-trips.
            let exact = values.map { Double(FixedPoint.quantize($0, scale: scale) ?? 0) / Double(1 << scale) }
            weightFiles.append((name, exact))
            data += " file \"\(weightFolder)/\(name).json\""
        }
        declare("weights", name, shape: tensor.shape.isEmpty ? [] : tensor.shape, scale: scale,
                visibility: options.weightVisibility, origin: tensor.origin, data: data)
        return name
    }

    /// A reference string `NAME + offset` for tensor `t` at `scale` (converting if needed).
    mutating func operand(_ r: KernelProgram.Ref, scale: Int, node: String) throws(ImportError) -> String {
        let t = r.tensor
        let name: String
        if program.tensors[t].kind == .weights {
            name = try weights(t, scale: scale, node: node)
        } else {
            name = convert(t, to: scale, node: node)
        }
        return r.offset == 0 ? name : "\(name) + \(r.offset)"
    }

    /// The natural scale of an operand (weights: the finest that fits, capped).
    func naturalScale(_ t: Int, cap: Int) -> Int {
        if program.tensors[t].kind == .weights { return Self.weightScale(program.tensors[t].data ?? [], cap: cap) }
        return scales[t] ?? 0
    }

    /// Tensor `t` (written before) at `scale`: itself, or a rescaled copy.
    mutating func convert(_ t: Int, to scale: Int, node: String) -> String {
        let have = scales[t] ?? scale
        if have == scale { return names[t] }
        if let name = converted[t]?[scale] { return name }
        let tensor = program.tensors[t]
        let name = freshName("\(names[t])_s\(scale)")
        declare("buffer", name, shape: tensor.shape, scale: scale, visibility: nil, origin: "")
        let count = max(1, tensor.count)
        if scale < have {
            body.append("    map \(name), \(names[t]), rescale, count=\(count), shift=\(have - scale)   ; \(node): rescale")
        } else {
            let factor = powerOfTwo(scale - have)
            body.append("    zip \(name), \(names[t]), \(factor), mul, count=\(count), bs=0, shift=0   ; \(node): exact rescale up")
        }
        converted[t, default: [:]][scale] = name
        return name
    }

    /// The public scalar 2^d at scale 0, declared once per d.
    mutating func powerOfTwo(_ d: Int) -> String {
        if let name = powersOfTwo[d] { return name }
        let name = freshName("pow2_\(d)")
        declare("weights", name, shape: [], scale: 0, visibility: .public, origin: "", data: " raw [\(1 << d)]")
        powersOfTwo[d] = name
        return name
    }

    /// Fixes the scale of the written tensor `t` (first writer decides).
    mutating func written(_ t: Int, desired: Int) -> Int {
        converted[t] = nil
        if let s = scales[t] { return s }
        scales[t] = desired
        let tensor = program.tensors[t]
        switch tensor.kind {
        case .output:
            declare("output", names[t], shape: tensor.shape, scale: desired, visibility: options.outputVisibility, origin: tensor.origin)
        default:
            declare("buffer", names[t], shape: tensor.shape, scale: desired, visibility: nil, origin: tensor.origin)
        }
        return desired
    }

    func activationScale(_ t: Int) -> Int { Self.headroomScale(ranges[t], cap: options.scaleBits) }
}
