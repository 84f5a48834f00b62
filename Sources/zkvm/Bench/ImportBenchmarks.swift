import Assembler
import Foundation
import Importer
import ISA
import STARK
import VM
import VMProver

/// The `import` group of `zkvm bench` (import and accuracy figures): for each committed
/// ONNX fixture, import + assemble + one execution, proving and verifying
/// with the standard options (zero knowledge), transparently (the
/// overhead) and with the weights public instead of committed
/// (what the weight commitment costs), and the error against onnxruntime's
/// committed outputs on the fixture's 50 reference inputs.
extension Bench {
    func importGroup(_ report: inout BenchReport) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures)) ?? []).sorted()
            .filter { FileManager.default.fileExists(atPath: "\(fixtures)/\($0)/model.onnx") }
            .filter { !quick || $0 == "logistic_regression" }
        for name in names {
            let folder = "\(fixtures)/\(name)"
            progress("import \(name)")
            let calibration = try ProgramLoading.readInputs("\(folder)/calibration.json")
            let input = try ProgramLoading.readInputs("\(folder)/input.json")
            // Fixtures whose exporters leave the batch dynamic name their shapes.
            var shapes = [String: [Int]]()
            if let data = FileManager.default.contents(atPath: "\(folder)/input_shapes.json"),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: [Int]] {
                shapes = object
            }
            let start = ContinuousClock.now
            let model: ImportedModel
            do {
                model = try Importer.importModel(URL(fileURLWithPath: "\(folder)/model.onnx"), calibration: calibration,
                                                 inputShapes: shapes)
            } catch { throw CLIError("\(name): \(error)") }
            let files = Dictionary(uniqueKeysWithValues: model.weightFiles.map { ($0.path, $0.json) })
            let program = try Assembler.assemble(model.source, file: "\(name).zkasm") { path in
                try ProgramLoading.numbers(files[path] ?? Data(), path: path)
            }
            let machine = Machine(program: program)
            _ = try machine.run(inputs: input)
            let importSeconds = Prove.seconds(ContinuousClock.now - start)
            report.add("import.\(name).import+exec", importSeconds, "s", threads: 1,
                       note: "parse, fold, lower, calibrate on \(model.calibrationSamples) samples, assemble, run once")

            // Accuracy against onnxruntime's committed outputs.
            let refData = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/reference.json"))
            let ref = try JSONSerialization.jsonObject(with: refData) as? [String: Any] ?? [:]
            let inputs = (ref["inputs"] as? [[NSNumber]] ?? []).map { $0.map(\.doubleValue) }
            let outputs = (ref["outputs"] as? [[NSNumber]] ?? []).map { $0.map(\.doubleValue) }
            var worst = 0.0, agree = 0
            for (x, expected) in zip(inputs, outputs) {
                let got = try machine.run(inputs: [x]).outputs[0].values
                worst = max(worst, zip(got, expected).map { abs($0 - $1) }.max() ?? 0)
                if got.indices.max(by: { got[$0] < got[$1] }) == expected.indices.max(by: { expected[$0] < expected[$1] }) { agree += 1 }
            }
            report.add("import.\(name).max-abs-error", worst, "", threads: 1, note: "vs onnxruntime on \(inputs.count) inputs")
            report.add("import.\(name).top1-agreement", 100 * Double(agree) / Double(max(1, inputs.count)), "%", threads: 1)

            // Zero knowledge (the default) against the same proof without it
            // (the zero-knowledge overhead targets), interleaved so drifts of this machine's
            // speed hit both alike; medians of `rounds` runs each.
            let raw = try machine.quantizeInputs(input)
            // Models that take a minute or more to prove run once.
            let rounds = quick || name == "nanogpt" ? 1 : max(1, min(repetitions, name == "lenet" ? 2 : 3))
            // The same model with public weights: what committing them costs.
            var publicWeights = program
            for i in publicWeights.tensors.indices where publicWeights.tensors[i].visibility == .committed {
                publicWeights.tensors[i].visibility = .public
            }
            var zk = [ProverBenchmarks.Figure](), plain = [ProverBenchmarks.Figure](), open = [ProverBenchmarks.Figure]()
            var keyed = [ProverBenchmarks.Figure]()
            // A proving key made once, as a service proving many inputs would.
            let provingKey = try ProvingKey(program: program, options: .standard, threads: threads)
            for round in 0..<rounds {
                progress("prove \(name) (imported; zero knowledge, with a proving key, transparent, public weights; round \(round + 1)/\(rounds))")
                zk.append(try ProverBenchmarks.measure(name: name, program: program, rawInputs: raw, threads: threads))
                keyed.append(try ProverBenchmarks.measure(name: name, program: program, rawInputs: raw, threads: threads,
                                                          provingKey: provingKey))
                plain.append(try ProverBenchmarks.measure(name: name, program: program, rawInputs: raw, options: .transparent,
                                                          threads: threads))
                if program.hasCommittedWeights {
                    open.append(try ProverBenchmarks.measure(name: name, program: publicWeights, rawInputs: raw, threads: threads))
                }
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let f = zk.min { $0.proveSeconds < $1.proveSeconds }!, t = plain[0]
            let zkSeconds = median(zk.map(\.proveSeconds)), plainSeconds = median(plain.map(\.proveSeconds))
            report.add("import.\(name).prove", zkSeconds, "s", threads: threads,
                       note: "\(f.rows) rows in all tables; execute + witness + prove; median of \(rounds)")
            report.add("import.\(name).prove.with-proving-key", median(keyed.map(\.proveSeconds)), "s", threads: threads,
                       note: "zero knowledge, the preprocessed columns committed once beforehand (ProvingKey); median of \(rounds)")
            let macs = try machine.run(rawInputs: raw).multiplyAccumulates
            var matmulCellsPerMAC: Double?
            if macs > 0 {
                let all = f.cells.values.reduce(0, +)
                let matmul = ["dot", "dotoutput", "weights", "dotcode"].reduce(0) { $0 + (f.cells[$1] ?? 0) }
                report.add("import.\(name).cells-per-mac", Double(all) / Double(macs), "cells", threads: threads,
                           note: "every table's committed cells (main + LogUp + quotient) / \(macs) MACs")
                if matmul > 0 {
                    matmulCellsPerMAC = Double(matmul) / Double(macs)
                    report.add("import.\(name).matmul-cells-per-mac", Double(matmul) / Double(macs), "cells", threads: threads,
                               note: "the dot, dotoutput, weights and dotcode tables' cells / MACs (Spec/vm-air.md §10)")
                }
                report.add("import.\(name).macs-per-second", Double(macs) / zkSeconds / 1000, "k MAC/s", threads: threads,
                           note: "proven MACs per second, zero knowledge")
            }
            report.add("import.\(name).verify", f.verifySeconds * 1000, "ms", threads: 1,
                       note: "against the verification key (\(f.keyBytes) bytes); median of 3")
            report.add("import.\(name).key-derivation", f.keySeconds, "s", threads: threads,
                       note: "export-vk / verify --program: commit the preprocessed columns")
            report.add("import.\(name).proof-size", Double(f.proofBytes) / 1024, "KiB", threads: threads,
                       note: String(format: "%.0f proven bits", f.provenBits))
            report.add("import.\(name).prove.transparent", plainSeconds, "s", threads: threads,
                       note: "\(t.rows) rows, \(t.queries) queries, \(Int(t.provenBits)) proven bits; zero knowledge: \(f.rows) rows, \(f.queries) queries, \(Int(f.provenBits)) bits")
            report.add("import.\(name).proof-size.transparent", Double(t.proofBytes) / 1024, "KiB", threads: threads)
            let timeRatio = zkSeconds / plainSeconds, sizeRatio = Double(f.proofBytes) / Double(t.proofBytes)
            report.add("import.\(name).zk-overhead.time", timeRatio, "×", threads: threads)
            report.add("import.\(name).zk-overhead.size", sizeRatio, "×", threads: threads)
            if let o = open.first {
                let openSeconds = median(open.map(\.proveSeconds))
                report.add("import.\(name).prove.public-weights", openSeconds, "s", threads: threads,
                           note: "zero knowledge, the weights public instead of committed; median of \(rounds)")
                report.add("import.\(name).proof-size.public-weights", Double(o.proofBytes) / 1024, "KiB", threads: threads)
                report.add("import.\(name).commitment-overhead.time", zkSeconds / openSeconds, "×", threads: threads,
                           note: "committed vs public weights, both zero knowledge")
                report.add("import.\(name).commitment-overhead.size", Double(f.proofBytes) / Double(o.proofBytes), "×", threads: threads)
            }
            if !quick {
                report.targets.append(TargetCheck(name: "zero-knowledge prover time \(name) (× transparent)", measured: timeRatio,
                                                  target: "≤ 1.3", met: timeRatio <= 1.3))
                report.targets.append(TargetCheck(name: "zero-knowledge proof size \(name) (× transparent)", measured: sizeRatio,
                                                  target: "≤ 1.2", met: sizeRatio <= 1.2))
            }
            if name == "lenet" && !quick {
                report.targets.append(TargetCheck(name: "LeNet-5 import + exec (s)", measured: importSeconds, target: "≤ 1",
                                                  met: importSeconds <= 1))
                report.targets.append(TargetCheck(name: "LeNet-5 prove (s)", measured: zkSeconds, target: "≤ 2",
                                                  met: zkSeconds <= 2))
                let proofKiB = Double(f.proofBytes) / 1024
                report.targets.append(TargetCheck(name: "LeNet-5 proof size (KiB)", measured: proofKiB, target: "≤ 300",
                                                  met: proofKiB <= 300))
                if let perMAC = matmulCellsPerMAC {
                    report.targets.append(TargetCheck(name: "LeNet-5 committed cells per MAC in the matmul tables", measured: perMAC,
                                                      target: "≤ 4", met: perMAC <= 4))
                }
            }
        }
    }
}
