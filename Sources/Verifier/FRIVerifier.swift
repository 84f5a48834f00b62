import AIR
import Commitments
import Field
import Hashing
import Polynomials
import STARK

/// The query phase: authenticate every opened row, recompute the DEEP
/// compositions at the opened positions, and fold each query down to the
/// final polynomial (see `FRISchedule`).
enum FRIVerifier {
    static func verify(proof: Proof, air: AIRDefinition, preprocessedRoot: Digest?, schedule: FRISchedule, queries: [Int],
                       foldChallenges: [(folds: [GoldilocksExt3], inject: GoldilocksExt3)],
                       z: GoldilocksExt3, coefficients: [GoldilocksExt3]) throws(STARKError) {
        let options = proof.options
        let layout = CommitmentLayout(options: options)
        // DEEP compositions R_l at the opened positions, summed over tables per level.
        var reduced = [Int: [Int: GoldilocksExt3]]()
        let levels = proof.tables.map { layout.logDomain(logHeight: $0.logHeight) + options.logBlowup }
        let preprocessed = try authenticate(proof.preprocessed.map { PhaseCommitment(root: preprocessedRoot!, rows: $0.rows, proof: $0.proof) },
                                            air: air, levels: levels, queries: queries, schedule: schedule,
                                            width: \.preprocessedWidth, what: "preprocessed")
        let main = try authenticate(proof.main, air: air, levels: levels, queries: queries, schedule: schedule,
                                    width: layout.mainRowWidth, what: "main")
        let aux = try authenticate(proof.auxiliary, air: air, levels: levels, queries: queries, schedule: schedule,
                                   width: layout.auxiliaryRowWidth, what: "auxiliary")
        let quotients = try authenticate(proof.quotient, air: air, levels: levels, queries: queries, schedule: schedule,
                                         width: layout.quotientRowWidth, what: "quotient")
        var firstTerm = 0
        for t in air.tables.indices {
            let p = proof.tables[t]
            let level = levels[t]
            let positions = QueryPositions.positions(level: level, queries: queries, schedule: schedule)
            let chunkColumns = 3 * layout.quotientChunks(for: air.tables[t])
            let o = p.openings
            let zValues = o.preprocessedAtZ + o.mainAtZ + o.auxiliaryAtZ + o.quotientAtZ
            let nextValues = o.preprocessedAtNext + o.mainAtNext + o.auxiliaryAtNext
            let zCoefficients = Array(coefficients[firstTerm..<firstTerm + zValues.count])
            let nextCoefficients = Array(coefficients[firstTerm + zValues.count..<firstTerm + zValues.count + nextValues.count])
            let maskStart = firstTerm + zValues.count + nextValues.count
            let maskCoefficients = Array(coefficients[maskStart..<maskStart + layout.maskColumns])
            firstTerm += zValues.count + nextValues.count + layout.maskColumns
            var constantZ = GoldilocksExt3.zero, constantNext = GoldilocksExt3.zero
            for (k, v) in zValues.enumerated() { constantZ = constantZ + zCoefficients[k] * v }
            for (k, v) in nextValues.enumerated() { constantNext = constantNext + nextCoefficients[k] * v }
            let zNext = z * Goldilocks.rootOfUnity(logOrder: p.logHeight)
            for (i, position) in positions.enumerated() {
                // Rows end with their salt, which takes no part.
                let prepRow = preprocessed[t]?[i] ?? []
                let mainRow = main[t]?[i].prefix(air.tables[t].mainWidth) ?? []
                let auxRow = aux[t]?[i].prefix(3 * air.tables[t].auxiliaryWidth) ?? []
                let quotientRow = quotients[t]![i]
                let zRow = prepRow + mainRow + auxRow + quotientRow.prefix(chunkColumns)
                let nextRow = prepRow + mainRow + auxRow
                var a = GoldilocksExt3.zero, b = GoldilocksExt3.zero, mask = GoldilocksExt3.zero
                for (k, v) in zRow.enumerated() { a = a + zCoefficients[k] * v }
                for (k, v) in nextRow.enumerated() { b = b + nextCoefficients[k] * v }
                for k in 0..<layout.maskColumns { mask = mask + maskCoefficients[k] * quotientRow[chunkColumns + k] }
                let x = GoldilocksExt3(LowDegreeExtension.point(at: position, logSize: level))
                guard let inverseZ = try? (x - z).inverse(), let inverseNext = try? (x - zNext).inverse() else {
                    throw .rejected(check: "out-of-domain point meets the evaluation domain")
                }
                let value = (a - constantZ) * inverseZ + (b - constantNext) * inverseNext + mask
                reduced[level, default: [:]][position, default: .zero] += value
            }
        }

        // Committed FRI layers.
        var layerLeaves = [[Int: [GoldilocksExt3]]]()
        for (k, layer) in proof.friLayers.enumerated() {
            let logSize = schedule.layerLogSizes[k]
            let arity = schedule.stepArities[k]
            let leaves = QueryPositions.leaves(layer: k, queries: queries, schedule: schedule)
            let rows = try authenticate(layer.queries, root: layer.root, level: logSize - arity, width: 3 << arity,
                                        positions: leaves, what: "FRI layer \(k)")
            var map = [Int: [GoldilocksExt3]]()
            for (leaf, row) in zip(leaves, rows) {
                map[leaf] = (0..<(1 << arity)).map { GoldilocksExt3(row[3 * $0], row[3 * $0 + 1], row[3 * $0 + 2]) }
            }
            layerLeaves.append(map)
        }

        // Fold every query: each layer's leaf must hold the previous fold (plus injection).
        let top = schedule.topLogSize
        for q in queries {
            guard var expected = reduced[top]?[schedule.position(level: top, query: q)] else {
                throw .rejected(check: "missing top-level opening")
            }
            for (k, arity) in schedule.stepArities.enumerated() {
                let level = schedule.layerLogSizes[k]
                let position = schedule.position(level: level, query: q)
                guard let leaf = layerLeaves[k][position >> arity] else { throw .rejected(check: "missing FRI leaf") }
                guard leaf[position & ((1 << arity) - 1)] == expected else {
                    throw .rejected(check: "FRI layer \(k) disagrees with the previous fold at query \(q)")
                }
                var values = leaf
                var start = (position >> arity) << arity
                for j in 0..<arity {
                    let lv = level - j
                    let shift = FRISchedule.shift(level: lv, topLogSize: top)
                    var next = [GoldilocksExt3]()
                    next.reserveCapacity(values.count / 2)
                    for i in 0..<(values.count / 2) {
                        let x = FRIFolding.pairPoint(level: lv, pair: start / 2 + i, shift: shift)
                        guard let inverse = try? (x + x).inverse() else { throw .rejected(check: "zero FRI point") }
                        next.append(FRIFolding.fold(values[2 * i], values[2 * i + 1], challenge: foldChallenges[k].folds[j],
                                                    inverseTwoX: inverse))
                    }
                    start /= 2
                    values = next
                }
                expected = values[0]
                let nextLevel = schedule.layerLogSizes[k + 1]
                if let injected = reduced[nextLevel] {
                    guard let r = injected[schedule.position(level: nextLevel, query: q)] else {
                        throw .rejected(check: "missing opening at level \(nextLevel)")
                    }
                    expected = expected + foldChallenges[k].inject * r
                }
            }
            // The final polynomial at the remaining position.
            let lf = schedule.finalLogSize
            let x = LowDegreeExtension.point(at: schedule.position(level: lf, query: q), logSize: lf,
                                             shift: FRISchedule.shift(level: lf, topLogSize: top))
            var acc = GoldilocksExt3.zero
            for c in proof.finalPolynomial.reversed() { acc = acc * x + c }
            guard acc == expected else { throw .rejected(check: "final FRI polynomial disagrees") }
        }
    }

    /// Checks one commitment round's opening and returns, per table, its
    /// rows at the sorted distinct positions of its level (nil for tables
    /// without columns in the round). Heights, widths and positions come
    /// from the verifier, never from the proof.
    static func authenticate(_ round: PhaseCommitment?, air: AIRDefinition, levels: [Int], queries: [Int],
                             schedule: FRISchedule, width: (Table) -> Int,
                             what: String) throws(STARKError) -> [[[Goldilocks]]?] {
        var out = [[[Goldilocks]]?](repeating: nil, count: air.tables.count)
        guard let round else { return out }
        let members = air.tables.indices.filter { width(air.tables[$0]) > 0 }
        guard round.rows.count == members.count else { throw .rejected(check: "\(what) opening has the wrong shape") }
        let memberLevels = members.map { levels[$0] }
        let top = memberLevels.max()!
        do {
            try MixedMerkleTree.verify(root: round.root, logHeights: memberLevels, widths: members.map { width(air.tables[$0]) },
                                       indices: queries.map { $0 >> (schedule.topLogSize - top) },
                                       rows: round.rows, proof: round.proof)
        } catch {
            throw .rejected(check: "\(what) Merkle opening invalid (\(error))")
        }
        for (k, t) in members.enumerated() { out[t] = round.rows[k] }
        return out
    }

    /// Checks a FRI layer's opening against its root and returns its rows.
    static func authenticate(_ opening: MatrixOpening, root: Digest, level: Int, width: Int, positions: [Int],
                             what: String) throws(STARKError) -> [[Goldilocks]] {
        guard opening.rows.count == positions.count, opening.rows.allSatisfy({ $0.count == width }) else {
            throw .rejected(check: "\(what): opening has the wrong shape")
        }
        do {
            try MerkleTree.verify(root: root, leafCount: 1 << level, rowWidth: width, indices: positions,
                                  rows: opening.rows, proof: opening.proof)
        } catch {
            throw .rejected(check: "\(what): Merkle opening invalid (\(error))")
        }
        return opening.rows
    }
}
