import Foundation

/// The `--json` outputs: one object per command on standard output, whose
/// `"schema"` names its layout and version ("zkvm.prove/1"; Spec/cli-json.md).
/// A version changes only when a field is removed or changes meaning; new
/// fields may appear in any version.
enum JSONOutput {
    /// The schema version every command's object carries today.
    static let version = 1

    static func schema(_ command: String) -> String { "zkvm.\(command)/\(version)" }

    /// `object` with its schema, keys sorted, as one line of text.
    static func text(_ object: [String: Any], command: String) -> String {
        var tagged = object
        tagged["schema"] = schema(command)
        let data = (try? JSONSerialization.data(withJSONObject: tagged, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Prints `object` with its schema on standard output.
    static func print(_ object: [String: Any], command: String) {
        Swift.print(text(object, command: command))
    }
}
