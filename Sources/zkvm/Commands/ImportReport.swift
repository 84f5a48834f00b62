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
        /// max − min of the float model's values over the checked samples.
        var range: Double
    }
    var layers: [LayerError]
    var samples: Int
    /// Over all outputs and samples.
    var outputMaxAbsError: Double
    /// max − min of the float model's outputs over the checked samples.
    var outputRange: Double
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
        var layerLow = [Double](repeating: .infinity, count: model.layers.count), layerHigh = layerLow.map { -$0 }
        var outputLow = Double.infinity, outputHigh = -Double.infinity
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
                    layerLow[i] = min(layerLow[i], f[k]); layerHigh[i] = max(layerHigh[i], f[k])
                }
            }
            for (k, out) in model.outputs.enumerated() {
                guard let f = reference[out.zkasm] else { continue }
                let q = result.outputs[k].values
                for (a, b) in zip(f, q) {
                    worst = max(worst, abs(a - b)); dot += a * b; nf += a * a; nq += b * b
                    outputLow = min(outputLow, a); outputHigh = max(outputHigh, a)
                }
                if k == 0, f.count > 1 {
                    classified += 1
                    if f.indices.max(by: { f[$0] < f[$1] }) == q.indices.max(by: { q[$0] < q[$1] }) { agree += 1 }
                }
            }
        }
        let cosine = nf > 0 && nq > 0 ? dot / (nf.squareRoot() * nq.squareRoot()) : (nf == nq ? 1 : 0)
        let layers = model.layers.indices.map {
            LayerError(layer: model.layers[$0], maxAbsError: layerMax[$0], range: max(0, layerHigh[$0] - layerLow[$0]))
        }
        return ImportReport(layers: layers, samples: samples.count, outputMaxAbsError: worst,
                            outputRange: max(0, outputHigh - outputLow), outputCosine: cosine,
                            top1Agreement: classified > 0 ? Double(agree) / Double(classified) : nil,
                            steps: steps, multiplyAccumulates: macs)
    }

    /// The error the guard compares with the tolerance: relative to the
    /// outputs' range, or to one step of the finest scale when they are constant.
    var outputRelativeError: Double { outputMaxAbsError / max(outputRange, 0x1p-24) }

    /// The accuracy guard (Spec/onnx-import.md §6): nil when the outputs are
    /// within `tolerance` of their range; otherwise the refusal, naming
    /// the first value in program order whose own error exceeds the
    /// tolerance of its range (where the precision is lost), or the
    /// outputs when no single value does.
    func refusal(tolerance: Double) -> String? {
        guard outputRelativeError > tolerance else { return nil }
        let guilty = layers.first { $0.maxAbsError > tolerance * max($0.range, 0x1p-24) }
        let place = guilty.map { "node \($0.layer.node) (value '\($0.layer.onnx)', scale \($0.layer.scale)): its error \(String(format: "%.3g", $0.maxAbsError)) is over \(String(format: "%.3g", 100 * $0.maxAbsError / max($0.range, 0x1p-24)))% of its range \(String(format: "%.3g", $0.range))" }
            ?? "the outputs"
        return String(format: "the fixed-point outputs differ from the float model by %.3g, %.3g%% of their range %.3g (tolerance %.3g%%), on %d samples; ",
                      outputMaxAbsError, 100 * outputRelativeError, outputRange, 100 * tolerance, samples)
            + "precision is lost at \(place). Use a larger --scale-bits, a calibration that covers the inputs' range, "
            + "or --allow-inaccurate to write the program anyway"
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
            "output_max_abs_error": outputMaxAbsError, "output_range": outputRange, "output_cosine": outputCosine,
            "layers": layers.map { ["onnx": $0.layer.onnx, "zkasm": $0.layer.zkasm, "node": $0.layer.node, "scale": $0.layer.scale,
                                    "calibrated_max": $0.layer.calibratedMax, "max_abs_error": $0.maxAbsError] as [String: Any] },
            "inputs": model.inputs.map { ["onnx": $0.onnx, "zkasm": $0.zkasm, "shape": $0.shape] as [String: Any] },
            "outputs": model.outputs.map { ["onnx": $0.onnx, "zkasm": $0.zkasm, "shape": $0.shape] as [String: Any] },
        ]
        if let top1Agreement { object["top1_agreement"] = top1Agreement }
        return JSONOutput.text(object, command: "import")
    }
}
