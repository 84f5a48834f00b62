import Foundation
import Importer
import ISA
import VM

/// The accuracy report of `zkvm import` (Spec/onnx-import.md §6): the
/// program runs in the VM on the calibration samples and every stored ONNX
/// value is compared with the float reference of the same lowered graph.
struct ImportReport {
    struct LayerError {
        var layer: ImportedModel.Layer
        var maxAbsError: Double
    }
    var layers: [LayerError]
    var samples: Int
    /// Over all outputs and samples.
    var outputMaxAbsError: Double
    var outputCosine: Double
    /// Share of samples whose first output has the same argmax (nil for single-value outputs).
    var top1Agreement: Double?
    var steps: Int
    var multiplyAccumulates: Int

    /// Checks the first `maxSamples` of the samples the import calibrated on.
    static func measure(_ model: ImportedModel, program: Program, maxSamples: Int) throws -> ImportReport {
        let samples = Array(model.calibration.prefix(maxSamples))
        let machine = Machine(program: program)
        let byName = Dictionary(uniqueKeysWithValues: program.tensors.map { ($0.name, $0) })
        var layerMax = [Double](repeating: 0, count: model.layers.count)
        var worst = 0.0, dot = 0.0, nf = 0.0, nq = 0.0, agree = 0, classified = 0
        var steps = 0, macs = 0
        for sample in samples {
            let result: ExecutionResult
            do { result = try machine.run(inputs: sample) } catch { throw CLIError("the imported program faults on a calibration sample: \(error)") }
            steps = result.steps; macs = result.multiplyAccumulates
            let reference = model.floatValues(sample)
            for (i, layer) in model.layers.enumerated() {
                guard let t = byName[layer.zkasm], let f = reference[layer.zkasm] else { continue }
                for k in 0..<min(t.count, f.count) {
                    let q = FixedPoint.dequantize(result.memory[Int(t.address) + k], scale: t.scale)
                    layerMax[i] = max(layerMax[i], abs(q - f[k]))
                }
            }
            for (k, out) in model.outputs.enumerated() {
                guard let f = reference[out.zkasm] else { continue }
                let q = result.outputs[k].values
                for (a, b) in zip(f, q) { worst = max(worst, abs(a - b)); dot += a * b; nf += a * a; nq += b * b }
                if k == 0, f.count > 1 {
                    classified += 1
                    if f.indices.max(by: { f[$0] < f[$1] }) == q.indices.max(by: { q[$0] < q[$1] }) { agree += 1 }
                }
            }
        }
        let cosine = nf > 0 && nq > 0 ? dot / (nf.squareRoot() * nq.squareRoot()) : (nf == nq ? 1 : 0)
        return ImportReport(layers: zip(model.layers, layerMax).map { LayerError(layer: $0, maxAbsError: $1) },
                            samples: samples.count, outputMaxAbsError: worst, outputCosine: cosine,
                            top1Agreement: classified > 0 ? Double(agree) / Double(classified) : nil,
                            steps: steps, multiplyAccumulates: macs)
    }

    func table(_ model: ImportedModel, program: Program, output: String) -> String {
        var lines = ["wrote \(output): \(program.code.count) instructions, \(program.descriptors.count) tensor descriptors, "
                     + "\(model.weightFiles.count) weight files; \(multiplyAccumulates) multiply-accumulates and \(steps) steps per run"]
        lines.append("calibration: \(model.calibrationSamples) \(model.syntheticCalibration ? "synthetic samples (uniform in [-1, 1]; pass --calibration)" : "samples"); "
                     + "errors measured in the VM on \(samples) of them against the float model")
        lines.append("")
        func pad(_ text: String, _ width: Int) -> String {
            let t = text.count > width ? String(text.prefix(width - 1)) + "…" : text
            return t + String(repeating: " ", count: max(0, width - t.count))
        }
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        lines.append(pad("layer (ONNX value)", 34) + " " + pad("node", 34) + right("scale", 6) + right("max |x|", 12) + right("max error", 12))
        for l in layers {
            lines.append(pad(l.layer.onnx, 34) + " " + pad(l.layer.node, 34) + right("\(l.layer.scale)", 6)
                         + right(String(format: "%.5g", l.layer.calibratedMax), 12) + right(String(format: "%.3g", l.maxAbsError), 12))
        }
        lines.append("")
        var summary = String(format: "outputs: max abs error %.5g, cosine similarity %.6f", outputMaxAbsError, outputCosine)
        if let top1Agreement { summary += String(format: ", top-1 agreement %.1f%%", 100 * top1Agreement) }
        lines.append(summary + " (vs the float model, \(samples) samples)")
        return lines.joined(separator: "\n")
    }

    func json(_ model: ImportedModel, program: Program, output: String) -> String {
        var object: [String: Any] = [
            "program": output, "instructions": program.code.count, "weight_files": model.weightFiles.count,
            "calibration_samples": model.calibrationSamples, "synthetic_calibration": model.syntheticCalibration,
            "checked_samples": samples, "multiply_accumulates": multiplyAccumulates, "steps": steps,
            "output_max_abs_error": outputMaxAbsError, "output_cosine": outputCosine,
            "layers": layers.map { ["onnx": $0.layer.onnx, "zkasm": $0.layer.zkasm, "node": $0.layer.node, "scale": $0.layer.scale,
                                    "calibrated_max": $0.layer.calibratedMax, "max_abs_error": $0.maxAbsError] as [String: Any] },
        ]
        if let top1Agreement { object["top1_agreement"] = top1Agreement }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
