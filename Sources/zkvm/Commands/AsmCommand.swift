import ArgumentParser
import Assembler
import Foundation
import ISA

/// `zkvm asm PROG.zkasm -o PROG.zkbin`
struct Asm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Assemble a .zkasm program into .zkbin bytecode and print its digest.")

    @Argument(help: "The .zkasm source.") var program: String
    @Option(name: .shortAndLong, help: "Output .zkbin file (default: the source name with .zkbin).") var output: String?
    @Flag(help: "Print one JSON object (Spec/cli-json.md).") var json = false

    func run() throws {
        try reportingErrors {
            let p = try ProgramLoading.load(program)
            let destination = output ?? (program.hasSuffix(".zkasm") ? String(program.dropLast(6)) : program) + ".zkbin"
            try ProgramLoading.writeAtomically(p.encoded(), to: destination)
            if json {
                JSONOutput.print(["file": destination, "instructions": p.code.count, "tensors": p.tensors.count,
                                  "memory_cells": p.memorySize, "program_digest": p.digest.description], command: "asm")
            } else {
                print("\(destination): \(p.code.count) instructions, \(p.tensors.count) tensors, \(p.memorySize) memory cells, digest \(p.digest)")
            }
        }
    }
}

/// `zkvm disasm PROG.zkbin`
struct Disasm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a program as .zkasm text that assembles back to the same bytes.")

    @Argument(help: "A .zkbin (or .zkasm) program.") var program: String
    @Option(name: .shortAndLong, help: "Write the text to this file instead of standard output.") var output: String?

    func run() throws {
        try reportingErrors {
            let text = Disassembler.text(of: try ProgramLoading.load(program))
            if let output { try ProgramLoading.writeAtomically(Array(text.utf8), to: output) } else { print(text, terminator: "") }
        }
    }
}
