import ISA

/// Prints a program as `.zkasm` text that assembles back to the same bytes
/// (Spec/zkasm.md §5): declarations with raw data, every table by name,
/// labels `.L<pc>` at jump targets, and tensor instructions with every parameter
/// spelled out.
public enum Disassembler {
    public static func text(of program: Program) -> String {
        var out: [String] = ["; zkvm disassembly, program digest \(program.digest)"]
        for t in program.tensors {
            var line = ".\(t.kind.name) \(t.name) [\(t.shape.map(String.init).joined(separator: ", "))] scale=\(t.scale)\(t.bits == 32 ? "" : " bits=\(t.bits)") \(t.visibility.name)"
            if let data = t.data { line += " raw [\(data.map(String.init).joined(separator: ", "))]" }
            out.append(line + "   ; @\(t.address)")
        }
        for (k, t) in program.tables.enumerated() {
            let domain = t.hasFullDomain ? "" : " lo=\(t.inputLow) hi=\(t.inputHigh)"
            out.append(".table t\(k) \(t.function.rawValue) in=\(t.inputScale) out=\(t.outputScale)\(domain)")
        }
        let targets = Set(program.code.filter { [.jmp, .bnz, .bz].contains($0.opcode) }.map(\.imm))
        for (pc, i) in program.code.enumerated() {
            if targets.contains(Int64(pc)) { out.append(".L\(pc):") }
            out.append("    " + instruction(i, program: program))
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func r(_ x: UInt8) -> String { "r\(x)" }

    static func instruction(_ i: Instruction, program p: Program) -> String {
        let m = i.opcode.mnemonic
        switch i.opcode.layout {
        case .none: return m
        case .rdImm: return "\(m) \(r(i.rd)), \(i.imm)"
        case .rdRa: return "\(m) \(r(i.rd)), \(r(i.ra))"
        case .rdRaRb: return "\(m) \(r(i.rd)), \(r(i.ra)), \(r(i.rb))"
        case .rdRaImm: return i.opcode == .lut ? "\(m) \(r(i.rd)), \(r(i.ra)), t\(i.imm)" : "\(m) \(r(i.rd)), \(r(i.ra)), \(i.imm)"
        case .rdRaRbImm: return "\(m) \(r(i.rd)), \(r(i.ra)), \(r(i.rb)), \(i.imm)"
        case .rdRcRaRb: return "\(m) \(r(i.rd)), \(r(i.rc)), \(r(i.ra)), \(r(i.rb))"
        case .target: return "\(m) .L\(i.imm)"
        case .rcTarget: return "\(m) \(r(i.rc)), .L\(i.imm)"
        case .load: return "\(m) \(r(i.rd)), [\(r(i.ra)) + \(i.imm)]"
        case .store: return "\(m) \(r(i.rb)), [\(r(i.ra)) + \(i.imm)]"
        case .tensor: return tensor(i, p.descriptors[Int(i.imm)])
        }
    }

    /// A tensor operand as an absolute address plus register: the
    /// assembler's shape/scale checks do not apply to `@` references.
    static func ref(_ address: Int64, _ register: UInt8) -> String {
        "@\(address)" + (register == 0 ? "" : " + r\(register)")
    }

    static func tensor(_ i: Instruction, _ d: TensorOperation) -> String {
        switch d {
        case .matmul(let mm):
            let bias = mm.bias.map { ", @\($0)" } ?? ""
            let a: String
            if mm.isPlain {
                a = "ars=\(mm.aRowStride), acs=\(mm.aColStride)"
            } else {
                let p = mm.aPattern
                a = "arows=[\(p[0].extent), \(p[1].extent)], ars=[\(p[0].stride), \(p[1].stride)], "
                    + "acols=[\(p[2].extent), \(p[3].extent), \(p[4].extent)], acs=[\(p[2].stride), \(p[3].stride), \(p[4].stride)]"
            }
            let dcs = mm.dstColStride == 1 ? "" : ", dcs=\(mm.dstColStride)"
            return "matmul \(ref(mm.dst, i.rd)), \(ref(mm.a, i.ra)), \(ref(mm.b, i.rb))\(bias), m=\(mm.m), k=\(mm.k), n=\(mm.n), "
                + "\(a), brs=\(mm.bRowStride), bcs=\(mm.bColStride), "
                + "drs=\(mm.dstRowStride)\(dcs), shift=\(mm.shift)"
        case .map(let mp):
            let f: String = switch mp.function {
            case .lookup(let t): "lut t\(t)"
            case .clamp(let lo, let hi): "clamp, lo=\(lo), hi=\(hi)"
            case .rescale(let s): "rescale, shift=\(s)"
            }
            return "map \(ref(mp.dst, i.rd)), \(ref(mp.src, i.ra)), \(f), count=\(mp.count), ds=\(mp.dstStride), ss=\(mp.srcStride)"
        case .zip(let z):
            let op: String = switch z.operation {
            case .add: "add"
            case .sub: "sub"
            case .max: "max"
            case .min: "min"
            case .mul(let s): "mul, shift=\(s)"
            }
            return "zip \(ref(z.dst, i.rd)), \(ref(z.a, i.ra)), \(ref(z.b, i.rb)), \(op), count=\(z.count), "
                + "ds=\(z.dstStride), as=\(z.aStride), bs=\(z.bStride)"
        case .reduce(let rd):
            let op: String = switch rd.operation {
            case .sum(let s): "sum, shift=\(s)"
            case .max: "max"
            case .argmax: "argmax"
            }
            return "reduce \(ref(rd.dst, i.rd)), \(ref(rd.src, i.ra)), \(op), rows=\(rd.rows), cols=\(rd.cols), "
                + "rs=\(rd.rowStride), cs=\(rd.colStride)"
        case .copy(let cp):
            return "copy \(ref(cp.dst, i.rd)), \(ref(cp.src, i.ra)), shape=[\(cp.shape.map(String.init).joined(separator: ", "))], "
                + "strides=[\(cp.strides.map(String.init).joined(separator: ", "))]"
        }
    }
}
