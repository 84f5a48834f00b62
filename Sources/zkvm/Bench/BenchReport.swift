/// One measured figure.
struct Measurement: Codable {
    var name: String
    var value: Double
    var unit: String
    var threads: Int
    /// What this figure is compared with, if anything (a reference in the same run or a target).
    var note: String?
}

/// A figure checked against an issue target.
struct TargetCheck: Codable {
    var name: String
    var measured: Double
    var target: String
    var met: Bool
}

struct BenchReport: Codable {
    /// The `--json` layout and version (Spec/cli-json.md).
    var schema = JSONOutput.schema("bench")
    var threads: Int
    var quick: Bool
    var measurements: [Measurement] = []
    var targets: [TargetCheck] = []

    mutating func add(_ name: String, _ value: Double, _ unit: String, threads: Int, note: String? = nil) {
        measurements.append(Measurement(name: name, value: value, unit: unit, threads: threads, note: note))
    }

    func value(_ name: String, threads: Int) -> Double? {
        measurements.first { $0.name == name && $0.threads == threads }?.value
    }

    /// Human-readable table.
    func table() -> String {
        var lines = ["figure                                         threads        value  unit"]
        for m in measurements {
            let name = m.name.padding(toLength: 46, withPad: " ", startingAt: 0)
            let value = formatted(m.value).leftPad(12)
            lines.append("\(name) \(String(m.threads).leftPad(7)) \(value)  \(m.unit)\(m.note.map { "   (\($0))" } ?? "")")
        }
        if !targets.isEmpty {
            lines.append("")
            lines.append("targets")
            for t in targets {
                lines.append("  [\(t.met ? "met" : "MISSED")] \(t.name): \(formatted(t.measured)) vs \(t.target)")
            }
        }
        return lines.joined(separator: "\n")
    }

    func formatted(_ v: Double) -> String {
        if v >= 100 { return String(Int(v.rounded())) }
        let scaled = (v * 1000).rounded() / 1000
        return String(scaled)
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
