import ArgumentParser
import Assembler
import Foundation
import Importer
import ISA
import VM

/// `zkvm import model.onnx -o model.zkasm [--calibration data.json] [--scale-bits N]`
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import an ONNX model as a .zkasm program with calibrated fixed-point scales.",
        discussion: """
            Runs the program in the VM on the calibration samples and reports, per layer, the \
            scale, the calibrated range and the largest difference from the float model, then \
            writes the program and its weights (JSON files in MODEL_weights/ next to it). When the \
            outputs differ from the float model by more than --tolerance of their range, nothing \
            is written and the error names the node where the precision is lost. \
            Calibration data uses EZKL's layout: {"input_data": [[...], ...]}, one flat list per \
            model input holding one or more samples back to back. Without it, 16 synthetic \
            samples uniform in [-1, 1] are used and the report says so. \
            Spec/onnx-import.md lists the supported operators.
            """)

    @Argument(help: "The ONNX model.") var model: String
    @Option(name: .shortAndLong, help: "The .zkasm program to write.") var output: String
    @Option(help: "Calibration inputs (EZKL input.json layout, samples back to back).") var calibration: String?
    @Option(help: "Largest scale (fractional bits) of activations, 0…24.") var scaleBits: Int = 12
    @Option(help: "Visibility of the model's inputs: public (in the statement) or private (hidden by zero knowledge).")
    var inputVisibility: String = "private"
    @Option(help: ArgumentHelp("Visibility of the weights: committed, private or public.",
                               discussion: "committed: hidden, and every proof is bound to the commitment `zkvm commit` publishes; private: hidden and unbound (any weights); public: in the program the verifier holds (Spec/zk.md §4)."))
    var weightVisibility: String = "committed"
    @Option(help: "Visibility of the outputs: public or private.") var outputVisibility: String = "public"
    @Option(help: "A concrete shape for a dynamic input, as NAME=D0,D1,… (repeatable).") var inputShape: [String] = []
    @Option(help: ArgumentHelp("Prove batches: the first dimension (dynamic or 1) of every input without --input-shape becomes N.",
                               discussion: "Calibration samples stay single items; input.json then holds N samples per input, back to back."))
    var batch: Int?
    @Option(help: "Check at most this many calibration samples in the VM for the error report.") var checkSamples: Int = 64
    @Option(help: ArgumentHelp("The largest error of the outputs against the float model, as a fraction of their range, before the import is refused.",
                               discussion: "Measured in the VM on the checked calibration samples; the refusal names the node where the precision is lost."))
    var tolerance: Double = 0.01
    @Flag(help: "Write the program even when its error exceeds --tolerance.") var allowInaccurate = false
    @Flag(help: "Print the report as one JSON object.") var json = false

    func validate() throws {
        guard (0...24).contains(scaleBits) else { throw ValidationError("--scale-bits must be in 0…24") }
        for v in [inputVisibility, outputVisibility] where v != "public" && v != "private" {
            throw ValidationError("input and output visibility must be 'public' or 'private', not '\(v)'")
        }
        guard ["public", "private", "committed"].contains(weightVisibility) else {
            throw ValidationError("weight visibility must be 'committed', 'private' or 'public', not '\(weightVisibility)'")
        }
        guard checkSamples >= 1 else { throw ValidationError("--check-samples must be at least 1") }
        guard tolerance.isFinite, tolerance > 0 else { throw ValidationError("--tolerance must be a positive number") }
    }

    func run() throws {
        try reportingErrors {
            var options = QuantizationOptions()
            options.scaleBits = scaleBits
            options.inputVisibility = inputVisibility == "public" ? .public : .private
            options.weightVisibility = weightVisibility == "public" ? .public : weightVisibility == "private" ? .private : .committed
            options.outputVisibility = outputVisibility == "public" ? .public : .private
            var shapes = [String: [Int]]()
            for spec in inputShape {
                let parts = spec.split(separator: "=", maxSplits: 1)
                let dims = parts.count == 2 ? parts[1].split(separator: ",").map { Int($0) } : []
                guard !dims.isEmpty, dims.allSatisfy({ $0 != nil }) else {
                    throw CLIError("--input-shape '\(spec)': expected NAME=D0,D1,…")
                }
                shapes[String(parts[0])] = dims.compactMap { $0 }
            }
            let calibrationLists = try calibration.map(ProgramLoading.readInputs)
            let outURL = URL(fileURLWithPath: output)
            let stem = outURL.deletingPathExtension().lastPathComponent
            FileHandle.standardError.write(Data("import: lowering and calibrating \(model)\n".utf8))
            let imported: ImportedModel
            do {
                imported = try Importer.importModel(URL(fileURLWithPath: model), calibration: calibrationLists, options: options,
                                                    inputShapes: shapes, batch: batch, weightFolder: "\(stem)_weights")
            } catch {
                throw CLIError("\(model): \(error)")
            }
            // Assemble what we wrote before publishing it: an importer bug is an error here, not a broken file.
            let files = Dictionary(uniqueKeysWithValues: imported.weightFiles.map { ($0.path, $0.json) })
            let program: Program
            do {
                program = try Assembler.assemble(imported.source, file: output) { name in
                    guard let data = files[name] else { throw CLIError("no data file \(name)") }
                    return try ProgramLoading.numbers(data, path: name)
                }
            } catch {
                throw CLIError("internal error: the imported program does not assemble: \(error)")
            }
            let report = try ImportReport.measure(imported, program: program, maxSamples: checkSamples)
            if let refusal = report.refusal(tolerance: tolerance) {
                if !allowInaccurate { throw CLIError("\(model): \(refusal)") }
                FileHandle.standardError.write(Data("warning: \(refusal)\n".utf8))
            }
            try ImportFiles.write(imported, to: outURL)
            if json {
                print(report.json(imported, program: program, output: output))
            } else {
                print(report.table(imported, program: program, output: output))
            }
        }
    }
}

/// Writes the program and its weight folder without leaving half-written output.
enum ImportFiles {
    static func write(_ imported: ImportedModel, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let fm = FileManager.default
        if !imported.weightFiles.isEmpty {
            let weightsName = imported.weightFiles[0].path.split(separator: "/").first.map(String.init) ?? "weights"
            let final = folder.appendingPathComponent(weightsName)
            let temporary = folder.appendingPathComponent(".\(weightsName).tmp-\(ProcessInfo.processInfo.processIdentifier)")
            do {
                try? fm.removeItem(at: temporary)
                try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
                for (path, data) in imported.weightFiles {
                    let name = path.split(separator: "/").dropFirst().joined(separator: "/")
                    try data.write(to: temporary.appendingPathComponent(name))
                }
                try? fm.removeItem(at: final)
                try fm.moveItem(at: temporary, to: final)
            } catch {
                try? fm.removeItem(at: temporary)
                throw CLIError("cannot write the weights folder \(final.path): \(error.localizedDescription)")
            }
        }
        try ProgramLoading.writeAtomically(Array(imported.source.utf8), to: url.path)
    }
}
