import Commitments
import Field
import Parallel
import Polynomials
import STARK

/// The FRI commit phase (see `FRISchedule` for the folding rule).
struct FRIProver {
    struct Layer {
        let matrix: RowMajorMatrix
        let tree: MerkleTree
    }

    var layers: [Layer] = []
    var finalPolynomial: [GoldilocksExt3] = []

    /// Commits F_{l0} = R_{l0} and every later layer, folding and injecting
    /// the other levels' DEEP compositions as `FRISchedule` describes.
    mutating func commit(schedule: FRISchedule, reduced: [Int: [GoldilocksExt3]], options: ProofOptions,
                         transcript: inout ProtocolTranscript, threads: Int) throws(STARKError) {
        var current = reduced[schedule.topLogSize]!
        for (k, arity) in schedule.stepArities.enumerated() {
            let level = schedule.layerLogSizes[k]
            let layer = Self.commitLayer(current, arity: arity, threads: threads)
            transcript.absorbLayerRoot(layer.tree.root)
            layers.append(layer)
            let challenges = transcript.foldChallenges(arity: arity)
            for j in 0..<arity {
                current = Self.fold(current, level: level - j, challenge: challenges.folds[j],
                                    shift: FRISchedule.shift(level: level - j, topLogSize: schedule.topLogSize), threads: threads)
            }
            if let inject = reduced[schedule.layerLogSizes[k + 1]] {
                let eta = challenges.inject
                for i in current.indices { current[i] = current[i] + eta * inject[i] }
            }
        }
        // The final layer: coefficients on the coset shift(lf)·⟨ω⟩.
        let lf = schedule.finalLogSize
        let shift = FRISchedule.shift(level: lf, topLogSize: schedule.topLogSize)
        var natural = current
        BitReversal.permute(&natural)
        let length = schedule.finalLength
        // For a satisfied AIR the coefficients from `length` on are zero; a
        // cheating witness's are not, and truncating them is all it can do.
        let components = ExtensionColumns.split(natural).map { try! Polynomial.interpolate(cosetEvaluations: $0, shift: shift) }
        finalPolynomial = (0..<length).map { GoldilocksExt3(components[0][$0], components[1][$0], components[2][$0]) }
        transcript.absorbFinalPolynomial(finalPolynomial)
    }

    /// One binary fold of a bit-reversed layer of 2^level values.
    static func fold(_ values: [GoldilocksExt3], level: Int, challenge: GoldilocksExt3, shift: Goldilocks,
                     threads: Int) -> [GoldilocksExt3] {
        let half = values.count / 2
        // (2x_i)⁻¹ = (2·shift)⁻¹·ω^{−reverse(i)} with ω = ω_{2^level}.
        let omegaInverse = try! Goldilocks.rootOfUnity(logOrder: level).inverse()
        let base = try! (shift + shift).inverse()
        var inverses = [Goldilocks](repeating: base, count: half)
        for i in 1..<max(1, half) { inverses[i] = inverses[i - 1] * omegaInverse }
        BitReversal.permute(&inverses)
        var out = [GoldilocksExt3](repeating: .zero, count: half)
        out.withUnsafeMutableBufferPointer { buffer in
            let dst = SharedMutablePointer(buffer.baseAddress!)
            Parallel.forEachChunk(half, granularity: 1024, threads: threads) { range in
                for i in range {
                    dst.base[i] = FRIFolding.fold(values[2 * i], values[2 * i + 1], challenge: challenge,
                                                  inverseTwoX: inverses[i])
                }
            }
        }
        return out
    }

    /// Leaves of 2^arity consecutive values, each as 3·2^arity base elements.
    static func commitLayer(_ values: [GoldilocksExt3], arity: Int, threads: Int) -> Layer {
        var flat = [Goldilocks]()
        flat.reserveCapacity(values.count * 3)
        for v in values { flat.append(v.c0); flat.append(v.c1); flat.append(v.c2) }
        let matrix = RowMajorMatrix(width: 3 << arity, values: flat)
        return Layer(matrix: matrix, tree: MerkleTree(matrix: matrix, threads: threads))
    }
}
