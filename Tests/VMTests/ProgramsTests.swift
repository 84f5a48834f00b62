import Foundation
import Testing
import ISA
import VM
import Assembler

/// Every example in Programs/ assembles, runs on its input.json and matches
/// its expected.json (raw outputs, computed independently by
/// Tools/expected_outputs.py).
@Suite struct ProgramsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Programs").standardized

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
    }

    @Test func programsFolderIsPopulated() {
        #expect(Self.names.count >= 6, "found \(Self.names) in \(Self.root.path)")
    }

    @Test(arguments: names)
    func runsAndMatchesExpected(name: String) throws {
        let folder = Self.root.appendingPathComponent(name)
        let source = try String(contentsOf: folder.appendingPathComponent("\(name).zkasm"), encoding: .utf8)
        let program = try Assembler.assemble(source, file: "\(name).zkasm") { file in
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            return (try JSONSerialization.jsonObject(with: data) as? [Double]) ?? []
        }
        let inputJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("input.json"))) as! [String: Any]
        let inputs = (inputJSON["input_data"] as! [[Any]]).map { $0.map { ($0 as! NSNumber).doubleValue } }
        let result = try Machine(program: program).run(inputs: inputs)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as! [String: Any]
        let outputs = expected["outputs"] as! [[String: Any]]
        #expect(outputs.count == result.outputs.count)
        for (want, got) in zip(outputs, result.outputs) {
            #expect(want["name"] as? String == got.name)
            #expect((want["raw"] as! [NSNumber]).map { $0.int64Value } == got.raw, "\(name).\(got.name)")
            // The float model agrees within the recorded tolerance (default: 4 units of the output scale).
            let reference = (want["reference"] as! [NSNumber]).map(\.doubleValue)
            let tolerance = (want["tolerance"] as? NSNumber)?.doubleValue ?? 4.0 / Double(1 << got.scale)
            for (r, v) in zip(reference, got.values) { #expect(abs(r - v) <= tolerance + 1e-9, "\(name).\(got.name): \(v) vs \(r)") }
        }
    }
}
