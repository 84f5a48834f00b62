import Field
import Parallel

/// The columns a `BlockEvaluator` reads: one domain of `rowCount` points in
/// natural order, with "next row" meaning `nextOffset` positions further
/// (mod `rowCount`). On the trace itself nextOffset = 1; on a quotient domain
/// of D·n points it is D (Spec/proof-system.md §3).
public struct EvaluationInputs {
    public var rowCount: Int
    public var nextOffset: Int
    public var main: [UnsafePointer<Goldilocks>]
    public var preprocessed: [UnsafePointer<Goldilocks>]
    public var auxiliary: [UnsafePointer<GoldilocksExt3>]
    /// Selector values per point: isFirstRow, isLastRow, isTransition (nil when unused).
    public var selectors: [UnsafePointer<Goldilocks>]?
    public var challenges: [GoldilocksExt3]
    public var publicValues: [Goldilocks]
    public var claimedSum: GoldilocksExt3

    public init(rowCount: Int, nextOffset: Int, main: [UnsafePointer<Goldilocks>],
                preprocessed: [UnsafePointer<Goldilocks>], auxiliary: [UnsafePointer<GoldilocksExt3>],
                selectors: [UnsafePointer<Goldilocks>]?, challenges: [GoldilocksExt3],
                publicValues: [Goldilocks], claimedSum: GoldilocksExt3) {
        self.rowCount = rowCount
        self.nextOffset = nextOffset
        self.main = main
        self.preprocessed = preprocessed
        self.auxiliary = auxiliary
        self.selectors = selectors
        self.challenges = challenges
        self.publicValues = publicValues
        self.claimedSum = claimedSum
    }
}

extension EvaluationInputs {
    /// Calls `body` with inputs pointing into the given column arrays, which
    /// stay alive and unmoved for the call. `selectors` are isFirstRow,
    /// isLastRow, isTransition per point (nil when the program uses none).
    public static func with<R>(rowCount: Int, nextOffset: Int, main: [[Goldilocks]], preprocessed: [[Goldilocks]],
                               auxiliary: [[GoldilocksExt3]], selectors: [[Goldilocks]]?,
                               challenges: [GoldilocksExt3], publicValues: [Goldilocks], claimedSum: GoldilocksExt3,
                               _ body: (EvaluationInputs) -> R) -> R {
        withColumnPointers(main) { m in
            withColumnPointers(preprocessed) { p in
                withColumnPointers(auxiliary) { a in
                    withColumnPointers(selectors ?? []) { s in
                        body(EvaluationInputs(rowCount: rowCount, nextOffset: nextOffset, main: m, preprocessed: p,
                                              auxiliary: a, selectors: selectors == nil ? nil : s, challenges: challenges,
                                              publicValues: publicValues, claimedSum: claimedSum))
                    }
                }
            }
        }
    }
}

/// Interprets a `ConstraintProgram` over blocks of rows, one operation at a
/// time across the whole block, so the interpretive overhead is paid once per
/// block and the inner loops are plain field arithmetic on concrete types.
///
/// One evaluator per thread: it owns its register files (allocated once).
public final class BlockEvaluator {
    public let program: ConstraintProgram
    public let blockSize: Int
    private let base: UnsafeMutablePointer<Goldilocks>
    private let ext: UnsafeMutablePointer<GoldilocksExt3>

    public init(program: ConstraintProgram, blockSize: Int = 128) {
        self.program = program
        self.blockSize = blockSize
        base = .allocate(capacity: max(1, program.baseRegisterCount) * blockSize)
        ext = .allocate(capacity: max(1, program.extensionRegisterCount) * blockSize)
        base.initialize(repeating: .zero, count: max(1, program.baseRegisterCount) * blockSize)
        ext.initialize(repeating: .zero, count: max(1, program.extensionRegisterCount) * blockSize)
    }

    deinit {
        base.deallocate()
        ext.deallocate()
    }

    /// The values of root `j` for the last block, if that root is base-field.
    public func baseRoot(_ j: Int) -> UnsafePointer<Goldilocks>? {
        let node = program.roots[j]
        return program.isExtension[node] ? nil : UnsafePointer(base + program.slot[node] * blockSize)
    }

    /// The values of root `j` for the last block, if that root is extension-field.
    public func extensionRoot(_ j: Int) -> UnsafePointer<GoldilocksExt3>? {
        let node = program.roots[j]
        return program.isExtension[node] ? UnsafePointer(ext + program.slot[node] * blockSize) : nil
    }

    /// Evaluates every node on rows `start ..< start + count` (count ≤ blockSize).
    public func run(start: Int, count: Int, inputs: EvaluationInputs) {
        precondition(count <= blockSize && start >= 0 && start + count <= inputs.rowCount)
        let n = inputs.rowCount
        for (i, node) in program.nodes.enumerated() {
            let isExt = program.isExtension[i]
            let outB = base + program.slot[i] * blockSize
            let outE = ext + program.slot[i] * blockSize
            switch node {
            case .constant(let c):
                for r in 0..<count { outB[r] = c }
            case .load(let v):
                switch v {
                case .main(let col, let next):
                    Self.gather(inputs.main[col], start: start, count: count, shift: next ? inputs.nextOffset : 0, n: n, into: outB)
                case .preprocessed(let col, let next):
                    Self.gather(inputs.preprocessed[col], start: start, count: count, shift: next ? inputs.nextOffset : 0, n: n, into: outB)
                case .auxiliary(let col, let next):
                    Self.gather(inputs.auxiliary[col], start: start, count: count, shift: next ? inputs.nextOffset : 0, n: n, into: outE)
                case .challenge(let k):
                    let c = inputs.challenges[k]
                    for r in 0..<count { outE[r] = c }
                case .claimedSum:
                    let c = inputs.claimedSum
                    for r in 0..<count { outE[r] = c }
                case .publicValue(let k):
                    let c = inputs.publicValues[k]
                    for r in 0..<count { outB[r] = c }
                case .isFirstRow:
                    Self.gather(inputs.selectors![0], start: start, count: count, shift: 0, n: n, into: outB)
                case .isLastRow:
                    Self.gather(inputs.selectors![1], start: start, count: count, shift: 0, n: n, into: outB)
                case .isTransition:
                    Self.gather(inputs.selectors![2], start: start, count: count, shift: 0, n: n, into: outB)
                }
            case .add(let a, let b):
                binary(a, b, isExt: isExt, count: count, outB: outB, outE: outE, { $0 + $1 }, { $0 + $1 }, { $0 + $1 }, { $0 + $1 })
            case .subtract(let a, let b):
                binary(a, b, isExt: isExt, count: count, outB: outB, outE: outE, { $0 - $1 }, { $0 - $1 }, { $0 - $1 }, { GoldilocksExt3($1) - $0 })
            case .multiply(let a, let b):
                binary(a, b, isExt: isExt, count: count, outB: outB, outE: outE, { $0 * $1 }, { $0 * $1 }, { $0 * $1 }, { $0 * $1 })
            case .negate(let a):
                if isExt {
                    let x = ext + program.slot[a] * blockSize
                    for r in 0..<count { outE[r] = -x[r] }
                } else {
                    let x = base + program.slot[a] * blockSize
                    for r in 0..<count { outB[r] = -x[r] }
                }
            }
        }
    }

    /// out[r] = a[r] ∘ b[r] for the four base/extension combinations;
    /// `be(x, y)` computes ext ∘ base, `eb(x, y)` computes base ∘ ext as (ext y, base x).
    @inline(__always)
    private func binary(_ a: Int, _ b: Int, isExt: Bool, count: Int,
                        outB: UnsafeMutablePointer<Goldilocks>, outE: UnsafeMutablePointer<GoldilocksExt3>,
                        _ bb: (Goldilocks, Goldilocks) -> Goldilocks,
                        _ ee: (GoldilocksExt3, GoldilocksExt3) -> GoldilocksExt3,
                        _ eb: (GoldilocksExt3, Goldilocks) -> GoldilocksExt3,
                        _ be: (GoldilocksExt3, Goldilocks) -> GoldilocksExt3) {
        let aExt = program.isExtension[a], bExt = program.isExtension[b]
        let sa = program.slot[a] * blockSize, sb = program.slot[b] * blockSize
        if !isExt {
            let x = base + sa, y = base + sb
            for r in 0..<count { outB[r] = bb(x[r], y[r]) }
        } else if aExt && bExt {
            let x = ext + sa, y = ext + sb
            for r in 0..<count { outE[r] = ee(x[r], y[r]) }
        } else if aExt {
            let x = ext + sa, y = base + sb
            for r in 0..<count { outE[r] = eb(x[r], y[r]) }
        } else {
            let x = base + sa, y = ext + sb
            for r in 0..<count { outE[r] = be(y[r], x[r]) }
        }
    }

    @inline(__always)
    private static func gather<T>(_ column: UnsafePointer<T>, start: Int, count: Int, shift: Int, n: Int,
                                  into out: UnsafeMutablePointer<T>) {
        var src = start + shift
        if src >= n { src -= n }
        if src + count <= n {
            out.update(from: column + src, count: count)
        } else {
            let first = n - src
            out.update(from: column + src, count: first)
            (out + first).update(from: column, count: count - first)
        }
    }
}
