import Foundation
import ISA

/// `zkvm import`: ONNX model → `.zkasm` program with calibrated fixed-point
/// scales (Spec/onnx-import.md). The result carries the float reference so
/// callers can measure the quantization error layer by layer.
public struct ImportedModel: Sendable {
    /// The program text (declarations, then one instruction per line, each
    /// commented with its ONNX node).
    public var source: String
    /// Weight files the program names, relative to its folder: path → JSON array of reals.
    public var weightFiles: [(path: String, json: Data)]
    /// Graph inputs and outputs: ONNX name, `.zkasm` name, shape.
    public var inputs: [(onnx: String, zkasm: String, shape: [Int])]
    public var outputs: [(onnx: String, zkasm: String, shape: [Int])]
    /// Every ONNX value stored in memory: its `.zkasm` tensor, scale and calibrated max |x|.
    public var layers: [Layer]
    /// The calibration samples (one flat list per graph input each) and
    /// whether they were synthetic.
    public var calibration: [[[Double]]]
    public var calibrationSamples: Int { calibration.count }
    public var syntheticCalibration: Bool
    let kernels: KernelProgram

    public struct Layer: Sendable {
        public var onnx: String
        public var zkasm: String
        public var node: String
        public var scale: Int
        public var calibratedMax: Double
        public var count: Int
    }

    /// Every tensor of the float reference run on `inputs`, by `.zkasm` name.
    public func floatValues(_ inputs: [[Double]]) -> [String: [Double]] {
        let values = FloatInterpreter(program: kernels).run(inputs)
        var out = [String: [Double]]()
        for (t, v) in zip(kernels.tensors, values) { out[t.name] = v }
        return out
    }
}

public enum Importer {
    /// Imports `url`. `calibration`: one flat list per graph input holding
    /// k samples back to back (EZKL's calibration layout); nil uses 16
    /// synthetic samples uniform in [−1, 1] (and says so in the program).
    /// With `batch` N the inputs' first dimensions become N, and the
    /// calibration's samples (of one item each) are grouped N at a time,
    /// the last group completed from the first items.
    public static func importModel(_ url: URL, calibration: [[Double]]? = nil, options: QuantizationOptions = .init(),
                                   inputShapes: [String: [Int]] = [:], batch: Int? = nil, limits: ImportLimits = .standard,
                                   weightFolder: String? = nil) throws(ImportError) -> ImportedModel {
        let graph = try ModelLoader.load(url, inputShapes: inputShapes, batch: batch, limits: limits)
        var calibration = calibration
        if let batch, batch > 1, let lists = calibration {
            calibration = try groupedInBatches(lists, sizes: graph.inputs.map { $0.shape.reduce(1, *) / batch }, batch: batch)
        }
        let stem = url.deletingPathExtension().lastPathComponent
        return try importGraph(graph, name: url.lastPathComponent, calibration: calibration, options: options, limits: limits,
                               weightFolder: weightFolder ?? "\(stem)_weights")
    }

    public static func importGraph(_ graph: Graph, name: String, calibration: [[Double]]?, options: QuantizationOptions,
                                   limits: ImportLimits = .standard, weightFolder: String) throws(ImportError) -> ImportedModel {
        guard (0...FixedPoint.maxScale).contains(options.scaleBits) else {
            throw ImportError("scale bits \(options.scaleBits) outside 0…\(FixedPoint.maxScale)")
        }
        let kernels = try Lowering.lower(graph, limits: limits)
        let sizes = kernels.inputs.map { kernels.tensors[$0].count }
        var samples = try calibration.map { (c: [[Double]]) throws(ImportError) -> [[[Double]]] in try split(c, sizes: sizes) } ?? []
        let synthetic = calibration == nil
        if synthetic {
            var rng = SplitMix64(seed: 0x5EED)
            samples = (0..<16).map { _ in sizes.map { n in (0..<n).map { _ in rng.nextUnit() * 2 - 1 } } }
        }
        guard !samples.isEmpty else { throw ImportError("the calibration set is empty") }
        for (k, s) in samples.enumerated() {
            guard s.count == sizes.count, zip(s, sizes).allSatisfy({ $0.count == $1 }) else {
                throw ImportError("calibration sample \(k) has sizes \(s.map(\.count)); the model's inputs need \(sizes)")
            }
            if s.contains(where: { $0.contains { !$0.isFinite } }) { throw ImportError("calibration sample \(k) contains NaN or ∞") }
        }
        var ranges = [Double](repeating: 0, count: kernels.tensors.count)
        let interpreter = FloatInterpreter(program: kernels)
        for s in samples {
            for (t, values) in interpreter.run(s).enumerated() {
                for v in values where abs(v) > ranges[t] && v.isFinite { ranges[t] = abs(v) }
            }
        }
        var q = Quantizer(program: kernels, ranges: ranges, options: options, weightFolder: weightFolder)
        try q.emitAll()
        let header = [
            "Imported from \(name) by zkvm import (opset \(graph.opsetVersion)).",
            "Scales: activations up to \(options.scaleBits) fractional bits, chosen per tensor from \(samples.count)"
                + (synthetic ? " synthetic calibration samples (uniform in [-1, 1]; pass --calibration for real data)."
                             : " calibration samples."),
            "Each instruction is commented with the ONNX node it comes from.",
        ]
        var files = [(path: String, json: Data)]()
        for (fileName, values) in q.weightFiles {
            let text = "[" + values.map { String($0) }.joined(separator: ",") + "]\n"
            files.append(("\(weightFolder)/\(fileName).json", Data(text.utf8)))
        }
        let layers = kernels.tensors.indices.compactMap { t -> ImportedModel.Layer? in
            let k = kernels.tensors[t]
            guard !k.origin.isEmpty, k.kind != .weights, let s = q.scales[t] else { return nil }
            let node = kernels.steps.first { KernelProgram.operands($0.operation).write.tensor == t }?.node ?? "input"
            return .init(onnx: k.origin, zkasm: k.name, node: node, scale: s, calibratedMax: ranges[t], count: k.count)
        }
        return ImportedModel(
            source: q.text(header: header), weightFiles: files,
            inputs: kernels.inputs.map { (kernels.tensors[$0].origin, kernels.tensors[$0].name, kernels.tensors[$0].shape) },
            outputs: kernels.outputs.map { (kernels.tensors[$0].origin, kernels.tensors[$0].name, kernels.tensors[$0].shape) },
            layers: layers, calibration: samples, syntheticCalibration: synthetic, kernels: kernels)
    }
}

extension Importer {
    /// Splits stacked calibration lists (k samples per input) into samples.
    public static func split(_ lists: [[Double]], sizes: [Int]) throws(ImportError) -> [[[Double]]] {
        guard lists.count == sizes.count else {
            throw ImportError("the calibration data has \(lists.count) input lists; the model has \(sizes.count) inputs")
        }
        var k: Int? = nil
        for (list, size) in zip(lists, sizes) {
            guard size > 0, list.count % size == 0, !list.isEmpty else {
                throw ImportError("a calibration list of \(list.count) values is not a whole number of samples of \(size)")
            }
            if let k, k != list.count / size { throw ImportError("the calibration lists hold different numbers of samples") }
            k = list.count / size
        }
        return (0..<(k ?? 0)).map { j in zip(lists, sizes).map { Array($0[(j * $1)..<((j + 1) * $1)]) } }
    }

    /// Stacked calibration lists of single items (`itemSizes` values each)
    /// extended to a whole number of batches of `batch` items by repeating
    /// items from the start.
    static func groupedInBatches(_ lists: [[Double]], sizes itemSizes: [Int], batch: Int) throws(ImportError) -> [[Double]] {
        let items = try split(lists, sizes: itemSizes)
        let total = (items.count + batch - 1) / batch * batch
        let padded = (0..<total).map { items[$0 % items.count] }
        return itemSizes.indices.map { k in padded.flatMap { $0[k] } }
    }

}

/// A small deterministic generator for synthetic calibration data.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
