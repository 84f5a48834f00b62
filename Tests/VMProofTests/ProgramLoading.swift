import Assembler
import Foundation
import ISA
import VM

/// Loads an example from Programs/ with its raw inputs.
enum Examples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Programs").standardized

    static func load(_ name: String) throws -> (program: Program, rawInputs: [[Int64]]) {
        let folder = root.appendingPathComponent(name)
        let source = try String(contentsOf: folder.appendingPathComponent("\(name).zkasm"), encoding: .utf8)
        let program = try Assembler.assemble(source, file: "\(name).zkasm") { file in
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            return (try JSONSerialization.jsonObject(with: data) as? [Double]) ?? []
        }
        let inputJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("input.json"))) as! [String: Any]
        let inputs = (inputJSON["input_data"] as! [[Any]]).map { $0.map { ($0 as! NSNumber).doubleValue } }
        return (program, try Machine(program: program).quantizeInputs(inputs))
    }

    /// Assembles a source string with no data files.
    static func assemble(_ source: String) throws -> Program {
        try Assembler.assemble(source, file: "test.zkasm") { _ in [] }
    }
}
