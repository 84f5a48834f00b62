/// Descriptor encoding (Spec/isa.md §6): a tag byte, then a fixed number of
/// signed 64-bit fields per tag.
extension TensorOperation {
    static func fieldCount(tag: UInt8) -> Int? {
        switch tag {
        case 1: 14
        case 6: 21
        case 2: 8
        case 3: 9
        case 4: 8
        case 5: 11
        default: nil
        }
    }

    var encodedFields: (UInt8, [Int64]) {
        switch self {
        case .matmul(let m):
            let plain: [Int64] = [m.dst, m.a, m.b, m.bias == nil ? 0 : 1, m.bias ?? 0, m.m, m.k, m.n,
                                  m.aRowStride, m.aColStride, m.bRowStride, m.bColStride, m.dstRowStride, m.shift]
            if m.isPlain { return (1, plain) }
            return (6, plain + [m.dstColStride, m.aRowInner, m.aRowInnerStride, m.aColMiddle, m.aColMiddleStride,
                                m.aColInner, m.aColInnerStride])
        case .map(let m):
            let (kind, p1, p2): (Int64, Int64, Int64) = switch m.function {
            case .lookup(let t): (1, t, 0)
            case .clamp(let lo, let hi): (2, lo, hi)
            case .rescale(let s): (3, s, 0)
            }
            return (2, [m.dst, m.src, m.count, m.dstStride, m.srcStride, kind, p1, p2])
        case .zip(let z):
            let (kind, shift): (Int64, Int64) = switch z.operation {
            case .add: (1, 0)
            case .sub: (2, 0)
            case .max: (3, 0)
            case .min: (4, 0)
            case .mul(let s): (5, s)
            }
            return (3, [z.dst, z.a, z.b, z.count, z.dstStride, z.aStride, z.bStride, kind, shift])
        case .reduce(let r):
            let (kind, shift): (Int64, Int64) = switch r.operation {
            case .sum(let s): (1, s)
            case .max: (2, 0)
            case .argmax: (3, 0)
            }
            return (4, [r.dst, r.src, r.rows, r.cols, r.rowStride, r.colStride, kind, shift])
        case .copy(let c):
            var shape = c.shape, strides = c.strides
            let rank = Int64(shape.count)
            while shape.count < 4 { shape.append(1); strides.append(0) }
            return (5, [c.dst, c.src, rank] + shape + strides)
        }
    }

    /// Decodes fields; nil when a kind code is unknown or a flag is not 0/1
    /// (ranges are checked by `Program.validate`).
    init?(tag: UInt8, fields f: [Int64]) {
        guard let n = TensorOperation.fieldCount(tag: tag), f.count == n else { return nil }
        switch tag {
        case 1, 6:
            guard f[3] == 0 || f[3] == 1, f[3] == 1 || f[4] == 0 else { return nil }
            var mm = MatMul(dst: f[0], a: f[1], b: f[2], bias: f[3] == 1 ? f[4] : nil, m: f[5], k: f[6], n: f[7],
                            aRowStride: f[8], aColStride: f[9], bRowStride: f[10], bColStride: f[11],
                            dstRowStride: f[12], shift: f[13])
            if tag == 6 {
                // A plain matmul in the long form re-encodes to tag 1, which the decoder's canonical check rejects.
                (mm.dstColStride, mm.aRowInner, mm.aRowInnerStride) = (f[14], f[15], f[16])
                (mm.aColMiddle, mm.aColMiddleStride, mm.aColInner, mm.aColInnerStride) = (f[17], f[18], f[19], f[20])
            }
            self = .matmul(mm)
        case 2:
            let function: MapFunction
            switch f[5] {
            case 1: guard f[7] == 0 else { return nil }; function = .lookup(table: f[6])
            case 2: function = .clamp(lo: f[6], hi: f[7])
            case 3: guard f[7] == 0 else { return nil }; function = .rescale(shift: f[6])
            default: return nil
            }
            self = .map(Map(dst: f[0], src: f[1], count: f[2], dstStride: f[3], srcStride: f[4], function: function))
        case 3:
            let op: ZipOperation
            switch f[7] {
            case 1: op = .add
            case 2: op = .sub
            case 3: op = .max
            case 4: op = .min
            case 5: op = .mul(shift: f[8])
            default: return nil
            }
            if f[7] != 5 && f[8] != 0 { return nil }
            self = .zip(Zip(dst: f[0], a: f[1], b: f[2], count: f[3], dstStride: f[4], aStride: f[5], bStride: f[6], operation: op))
        case 4:
            let op: ReduceOperation
            switch f[6] {
            case 1: op = .sum(shift: f[7])
            case 2: op = .max
            case 3: op = .argmax
            default: return nil
            }
            if f[6] != 1 && f[7] != 0 { return nil }
            self = .reduce(Reduce(dst: f[0], src: f[1], rows: f[2], cols: f[3], rowStride: f[4], colStride: f[5], operation: op))
        default:
            let rank = f[2]
            guard rank >= 1, rank <= 4 else { return nil }
            let r = Int(rank)
            // Unused dimensions must be encoded as shape 1, stride 0.
            for d in r..<4 where f[3 + d] != 1 || f[7 + d] != 0 { return nil }
            self = .copy(Copy(dst: f[0], src: f[1], shape: Array(f[3..<3 + r]), strides: Array(f[7..<7 + r])))
        }
    }
}
