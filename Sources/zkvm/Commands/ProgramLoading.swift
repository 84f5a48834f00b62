import ArgumentParser
import Assembler
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ISA

/// A user-facing failure: printed as `error: …` (or a full diagnostic) with a
/// non-zero exit status.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum ProgramLoading {
    /// Loads a `.zkasm` (assembled) or `.zkbin` (decoded) program; the format
    /// is recognized by the `.zkbin` magic, not by the file name.
    static func load(_ path: String) throws -> Program {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
        let bytes = [UInt8](data)
        if bytes.starts(with: Program.magic) {
            do { return try Program.decode(bytes) } catch { throw CLIError("\(path): \(error)") }
        }
        guard let source = String(validating: bytes, as: UTF8.self) else {
            throw CLIError("\(path): neither a .zkbin nor UTF-8 .zkasm text")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            return try Assembler.assemble(source, file: path) { name in
                // Data files stay inside the program's folder.
                guard !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
                    throw CLIError("data files must be relative paths inside the program's folder")
                }
                return try readNumbers(folder.appendingPathComponent(name).path)
            }
        } catch {
            throw CLIError(error.description)
        }
    }

    /// A JSON array of numbers (possibly nested; flattened row-major).
    static func readNumbers(_ path: String) throws -> [Double] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
        return try numbers(data, path: path)
    }

    /// A JSON array of numbers from bytes (`path` names it in errors).
    static func numbers(_ data: Data, path: String) throws -> [Double] {
        guard let object = try? JSONSerialization.jsonObject(with: data), object is [Any] else {
            throw CLIError("\(path): expected a JSON array of numbers")
        }
        var out: [Double] = []
        try flatten(object, into: &out, path: path)
        return out
    }

    static func flatten(_ value: Any, into out: inout [Double], path: String) throws {
        if let array = value as? [Any] {
            for v in array { try flatten(v, into: &out, path: path) }
        } else if let n = value as? NSNumber {
            // A JSON boolean ("c") is 1 or 0, as for an ONNX bool input.
            out.append(String(cString: n.objCType) == "c" ? (n.boolValue ? 1 : 0) : n.doubleValue)
        } else {
            throw CLIError("\(path): expected numbers or booleans, found \(value is String ? "a string" : "a non-number")")
        }
    }

    /// EZKL-style inputs: `{"input_data": [[…], …]}`, one flat list per input tensor.
    static func readInputs(_ path: String) throws -> [[Double]] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let lists = object["input_data"] as? [Any] else {
            throw CLIError("\(path): expected {\"input_data\": [[...], ...]}")
        }
        return try lists.enumerated().map { (k, list) in
            var out: [Double] = []
            try flatten(list, into: &out, path: "\(path) input_data[\(k)]")
            return out
        }
    }

    /// Writes a new secret: `path` created exclusively (never replacing or
    /// following an existing file) with mode 0600 from the start, written
    /// and synced. On failure the partial file is removed; a crash can leave
    /// a short file, which `ModelPaths.loadSecret` refuses (fail closed).
    static func writeSecret(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw CLIError("cannot create '\(path)': \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let writeError = errno
        let synced = written == bytes.count && fsync(fd) == 0
        let syncError = errno
        close(fd)
        guard synced else {
            unlink(path)
            let code = written != bytes.count ? writeError : syncError
            throw CLIError("cannot write '\(path)': \(written >= 0 && written != bytes.count ? "short write" : String(cString: strerror(code)))")
        }
    }

    /// Writes atomically: a temporary file in the same folder, then rename.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(bytes).write(to: temporary)
            // POSIX rename replaces an existing file atomically.
            guard rename(temporary.path, url.path) == 0 else {
                throw CLIError(String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("cannot write '\(path)': \((error as? CLIError)?.description ?? error.localizedDescription)")
        }
    }
}

/// Runs a command body, printing `CLIError`s to stderr with exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as CLIError {
        FileHandle.standardError.write(Data((error.description.hasPrefix("error") || error.description.contains(": error: ")
            ? error.description : "error: " + error.description).utf8 + [10]))
        throw ExitCode.failure
    }
}
