import ArgumentParser
import Foundation
import Prover

/// How a long command reports progress on standard error.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    /// Text when standard error is a terminal and the result is not --json; else nothing.
    case auto
    case text
    /// One JSON object per line (Spec/cli-json.md, "zkvm.progress/1"), for programs that drive the CLI.
    case json
    case none
}

/// Progress on standard error, as text lines ("prove: …") or JSON lines.
struct ProgressReporter {
    enum Output { case text, json, none }
    let output: Output
    let command: String
    let start = ContinuousClock.now

    init(_ mode: ProgressMode, command: String, json: Bool) {
        self.command = command
        switch mode {
        case .auto: output = isatty(STDERR_FILENO) == 1 && !json ? .text : .none
        case .text: output = .text
        case .json: output = .json
        case .none: output = .none
        }
    }

    private var seconds: Double { Prove.seconds(ContinuousClock.now - start) }

    private func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A stage without a measure of its own ("execute", "write").
    func stage(_ event: String, _ message: String) {
        switch output {
        case .text: write("\(command): \(message)")
        case .json: write(JSONOutput.text(["event": event, "message": message, "seconds": seconds], command: "progress"))
        case .none: break
        }
    }

    /// A proving step: `completed` of `total` steps are done when it starts.
    func proving(_ p: ProvingProgress) {
        switch output {
        case .text: write("\(command): \(p)")
        case .json:
            write(JSONOutput.text(["event": p.phase.rawValue, "message": p.description, "segment": p.segment, "segments": p.segments,
                                   "completed": p.completed, "total": p.total, "seconds": seconds], command: "progress"))
        case .none: break
        }
    }
}
