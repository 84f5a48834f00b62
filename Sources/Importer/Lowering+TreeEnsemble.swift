/// Decision-tree ensembles (`ai.onnx.ml` TreeEnsembleRegressor and
/// TreeEnsembleClassifier; Spec/onnx-import.md §3.7) in the GEMM form:
/// every branch's comparison at once as an exact step of x[f] − t, then
/// per tree one matmul of those 0/1 decisions with a constant ±1 path
/// matrix whose row sums reach the leaf's depth exactly on the leaf the
/// input lands in, a step that turns that into a 0/1 leaf indicator, and
/// one matmul of the indicators with the leaf weights.
extension Lowering {
    /// An ensemble's trees, checked: branches and leaves in depth-first
    /// order, tree by tree, each leaf with its path and weights.
    struct TreeEnsembleStructure {
        enum Mode: String {
            case leq = "BRANCH_LEQ", lt = "BRANCH_LT", gte = "BRANCH_GTE", gt = "BRANCH_GT", eq = "BRANCH_EQ", neq = "BRANCH_NEQ"

            /// The branch's "true" decision d = a·[x > t] + b·[x < t] + c.
            var coefficients: (a: Double, b: Double, c: Double) {
                switch self {
                case .leq: (-1, 0, 1)
                case .lt: (0, 1, 0)
                case .gte: (0, -1, 1)
                case .gt: (1, 0, 0)
                case .eq: (-1, -1, 1)
                case .neq: (1, 1, 0)
                }
            }
        }

        struct Branch {
            var feature: Int
            var threshold: Double
            var mode: Mode
        }

        struct Leaf {
            /// The parent branch and whether the leaf is on its true side (nil for a one-leaf tree).
            var parent: (branch: Int, trueSide: Bool)?
            var weights: [(target: Int, weight: Double)] = []
        }

        /// Each branch's parent, as for leaves.
        var parents: [(branch: Int, trueSide: Bool)?] = []
        var branches: [Branch] = []

        /// A leaf's ancestors from its parent up to the root.
        func path(_ leaf: Int) -> [(branch: Int, trueSide: Bool)] {
            var out = [(branch: Int, trueSide: Bool)](), link = leaves[leaf].parent
            while let l = link { out.append(l); link = parents[l.branch] }
            return out
        }
        var leaves: [Leaf] = []
        /// Per tree: its branches and leaves (index ranges).
        var trees: [(branches: Range<Int>, leaves: Range<Int>)] = []
    }

    /// Reads and checks a TreeEnsemble node's attributes: weights under
    /// `prefix` (`target_` or `class_`) for `targets` columns.
    static func treeStructure(_ node: Node, features: Int, prefix: String, idKey: String,
                              column: (Int) -> Int?) throws(ImportError) -> TreeEnsembleStructure {
        func ints(_ key: String) throws(ImportError) -> [Int] { try node.ints(key) ?? [] }
        let treeIDs = try ints("nodes_treeids"), nodeIDs = try ints("nodes_nodeids"), featureIDs = try ints("nodes_featureids")
        let trueIDs = try ints("nodes_truenodeids"), falseIDs = try ints("nodes_falsenodeids")
        let modes = try node.strings("nodes_modes") ?? []
        let values: [Double]
        if let v = try node.floats("nodes_values") {
            values = v
        } else if case .tensor(let t)? = node.attributes["nodes_values_as_tensor"] {
            values = t.values
        } else {
            values = []
        }
        let n = nodeIDs.count
        guard n >= 1, [treeIDs.count, featureIDs.count, trueIDs.count, falseIDs.count, modes.count, values.count].allSatisfy({ $0 == n }) else {
            throw node.error("the nodes_ attributes must all list the same number (≥ 1) of nodes")
        }
        if let missing = try node.ints("nodes_missing_value_tracks_true"), missing.count != n {
            throw node.error("nodes_missing_value_tracks_true lists \(missing.count) nodes, not \(n)")
        }
        struct Key: Hashable { var tree: Int, id: Int }
        var index = [Key: Int]()
        for i in 0..<n {
            guard index.updateValue(i, forKey: Key(tree: treeIDs[i], id: nodeIDs[i])) == nil else {
                throw node.error("node \(nodeIDs[i]) of tree \(treeIDs[i]) is listed twice")
            }
        }
        var isChild = Set<Int>()
        for i in 0..<n where modes[i] != "LEAF" {
            guard TreeEnsembleStructure.Mode(rawValue: modes[i]) != nil else {
                throw node.error("node mode '\(modes[i])' is not a BRANCH_ mode or LEAF")
            }
            guard values[i].isFinite, featureIDs[i] >= 0, featureIDs[i] < features else {
                throw node.error("branch \(nodeIDs[i]) of tree \(treeIDs[i]) tests feature \(featureIDs[i]) against \(values[i]) (features 0…\(features - 1), finite thresholds)")
            }
            for child in [trueIDs[i], falseIDs[i]] {
                guard let c = index[Key(tree: treeIDs[i], id: child)] else {
                    throw node.error("branch \(nodeIDs[i]) of tree \(treeIDs[i]) points to a missing node \(child)")
                }
                isChild.insert(c)
            }
        }
        var s = TreeEnsembleStructure()
        var leafOf = [Int: Int]()   // node index → leaf index
        for tree in Array(Set(treeIDs)).sorted() {
            let roots = (0..<n).filter { treeIDs[$0] == tree && !isChild.contains($0) }
            guard roots.count == 1 else { throw node.error("tree \(tree) has \(roots.count) roots; a tree has one") }
            let firstBranch = s.branches.count, firstLeaf = s.leaves.count
            var visited = Set<Int>()
            var stack: [(node: Int, parent: (branch: Int, trueSide: Bool)?)] = [(roots[0], nil)]
            while let (i, parent) = stack.popLast() {
                guard visited.insert(i).inserted else { throw node.error("tree \(tree) reaches node \(nodeIDs[i]) twice (not a tree)") }
                if modes[i] == "LEAF" {
                    leafOf[i] = s.leaves.count
                    s.leaves.append(.init(parent: parent))
                    continue
                }
                let b = s.branches.count
                s.branches.append(.init(feature: featureIDs[i], threshold: values[i], mode: .init(rawValue: modes[i])!))
                s.parents.append(parent)
                stack.append((index[Key(tree: tree, id: falseIDs[i])]!, (b, false)))
                stack.append((index[Key(tree: tree, id: trueIDs[i])]!, (b, true)))
            }
            s.trees.append((firstBranch..<s.branches.count, firstLeaf..<s.leaves.count))
        }
        let weightTrees = try ints(prefix + "treeids"), weightNodes = try ints(prefix + "nodeids"), weightIDs = try ints(prefix + idKey)
        let weights: [Double]
        if let w = try node.floats(prefix + "weights") {
            weights = w
        } else if case .tensor(let t)? = node.attributes[prefix + "weights_as_tensor"] {
            weights = t.values
        } else {
            weights = []
        }
        guard [weightNodes.count, weightIDs.count, weights.count].allSatisfy({ $0 == weightTrees.count }) else {
            throw node.error("the \(prefix) attributes must all list the same number of weights")
        }
        for k in weightTrees.indices {
            guard let i = index[Key(tree: weightTrees[k], id: weightNodes[k])], let leaf = leafOf[i] else {
                throw node.error("a weight names node \(weightNodes[k]) of tree \(weightTrees[k]), which is not a reachable leaf")
            }
            guard weights[k].isFinite, let target = column(weightIDs[k]) else {
                throw node.error("weight \(weights[k]) for id \(weightIDs[k]) is not finite or names no output column")
            }
            s.leaves[leaf].weights.append((target, weights[k]))
        }
        return s
    }

    /// TreeEnsembleRegressor → [scores]; TreeEnsembleClassifier → [label, probabilities].
    mutating func treeEnsemble(_ node: Node, _ x: Value) throws(ImportError) -> [Value] {
        let (rowsValue, rows, features) = try featureRows(node, x)
        let classifier = node.op == "TreeEnsembleClassifier"
        var columns: Int, oneColumn = false
        if classifier {
            let labels = try classLabels(node, "classlabels_int64s")
            let used = Set(try node.ints("class_ids") ?? [])
            oneColumn = labels == 2 && used.count == 1   // one score column: the positive class's (onnxruntime's binary case)
            let baseCount = (try floatList(node, "base_values") ?? []).count
            if oneColumn, used != [0] || baseCount > 1 {
                // onnxruntime completes other one-column forms in ways of its own; exporters emit id 0.
                throw node.error("a binary classifier with one score column is supported with class id 0 and at most one base value")
            }
            columns = oneColumn ? 1 : labels
        } else {
            columns = try node.int("n_targets", default: 1)
            guard columns >= 1, columns <= 1 << 16 else { throw node.error("n_targets \(columns) is not in 1…65536") }
        }
        let structure = try Self.treeStructure(node, features: features, prefix: classifier ? "class_" : "target_",
                                               idKey: "ids") { id in
            if oneColumn { return 0 }
            return id >= 0 && id < columns ? id : nil
        }
        let aggregate = try node.string("aggregate_function", default: "SUM")
        guard aggregate == "SUM" || aggregate == "AVERAGE" else { throw node.error("aggregate_function \(aggregate) is not supported (SUM, AVERAGE)") }
        var base = try floatList(node, "base_values") ?? []
        if base.isEmpty { base = [Double](repeating: 0, count: columns) }
        guard base.count == columns else { throw node.error("\(base.count) base values for \(columns) outputs") }
        let weightScale = aggregate == "AVERAGE" ? 1 / Double(structure.trees.count) : 1

        // A tree that is one leaf adds its weights to the base; the others get a leaf column each.
        var leafColumn = [Int?](repeating: nil, count: structure.leaves.count)
        var leafCount = 0
        for (l, leaf) in structure.leaves.enumerated() {
            if leaf.parent == nil {
                for (t, w) in leaf.weights { base[t] += w * weightScale }
            } else {
                leafColumn[l] = leafCount
                leafCount += 1
            }
        }
        // The path matrices hold branches × leaves cells per tree: bounded before any is built.
        let pathCells = structure.trees.reduce(0) { $0 + $1.branches.count * $1.leaves.count }
        guard pathCells <= limits.maxMemoryCells / 4 else {
            throw node.error("the trees' path matrices need \(pathCells) cells (branches × leaves per tree), more than \(limits.maxMemoryCells / 4)")
        }
        let branchCount = structure.branches.count
        guard branchCount > 0, leafCount > 0 else {
            return try treeOutputs(node, .constant(ConstTensor(shape: [rows, columns], values: (0..<rows).flatMap { _ in base })),
                                   classifier: classifier, oneColumn: oneColumn, structure: structure)
        }

        // 1. x[f] for every branch: one matmul with a 0/1 selector (an exact copy).
        var selector = [Double](repeating: 0, count: features * branchCount)
        for (j, b) in structure.branches.enumerated() { selector[b.feature * branchCount + j] = 1 }
        let selected = try affineRows(node, rowsValue, rows: rows, weights: selector, k: features, n: branchCount,
                                      bias: nil, suffix: "_features")
        // 2. [x > t] = [x − ⌊t⌋ > 0] and [x < t] = [⌈t⌉ − x > 0] on x's grid, where some branch needs them.
        func thresholds(_ rounding: FloatingPointRoundingRule) throws(ImportError) -> Value {
            let row = ConstTensor(shape: [1, branchCount], values: structure.branches.map(\.threshold))
            let (ref, _) = try stored(.constant(row), node: node.label)
            program.tensors[ref.tensor].rounding = rounding
            return try broadcastTo(node, .stored(ref, shape: [1, branchCount]), [rows, branchCount])
        }
        let modes = Set(structure.branches.map(\.mode))
        let needsAbove = !modes.isDisjoint(with: [.leq, .gt, .eq, .neq]), needsBelow = !modes.isDisjoint(with: [.lt, .gte, .eq, .neq])
        let above = needsAbove
            ? try step(part(node, "Greater", "_above"), try binary(part(node, "Sub", "_above_diff"), selected, try thresholds(.down)))
            : nil
        let below = needsBelow
            ? try step(part(node, "Less", "_below"), try binary(part(node, "Sub", "_below_diff"), try thresholds(.up), selected))
            : nil
        // 3. Per tree: S = Σ over the path of the leaf's side of each decision, minus depth − 1.
        let sums = try buffer(part(node, "MatMul", "_paths"), shape: [rows, leafCount])
        let belowSums = above != nil && below != nil ? try buffer(part(node, "MatMul", "_paths_below"), shape: [rows, leafCount]) : nil
        for tree in structure.trees {
            let leaves = tree.leaves.filter { leafColumn[$0] != nil }
            guard !leaves.isEmpty else { continue }
            let k = tree.branches.count, width = leaves.count
            var onAbove = [Double](repeating: 0, count: k * width), onBelow = onAbove
            var bias = [Double](repeating: 0, count: width)
            for (c, l) in leaves.enumerated() {
                let path = structure.path(l)
                bias[c] = 1 - Double(path.count)
                for (b, trueSide) in path {
                    let (a, bb, cc) = structure.branches[b].mode.coefficients
                    let sign: Double = trueSide ? 1 : -1
                    let row = b - tree.branches.lowerBound
                    onAbove[row * width + c] = sign * a
                    onBelow[row * width + c] = sign * bb
                    bias[c] += sign * cc + (trueSide ? 0 : 1)
                }
            }
            let firstColumn = leafColumn[leaves[0]]!
            let biasRef = try stored(.constant(ConstTensor(shape: [width], values: bias)), node: node.label).0
            for (decisions, matrix, target, withBias) in [(above, onAbove, sums, true), (below, onBelow, belowSums ?? sums, above == nil)] {
                guard let decisions else { continue }
                let (a, _) = try stored(decisions, node: node.label)
                let b = try stored(.constant(ConstTensor(shape: [k, width], values: matrix)), node: node.label).0
                emit(node, .matmul(dst: .init(tensor: target.tensor, offset: target.offset + firstColumn),
                                   a: .init(tensor: a.tensor, offset: a.offset + tree.branches.lowerBound), b: b,
                                   bias: withBias ? biasRef : nil, m: rows, k: k, n: width,
                                   ars: branchCount, acs: 1, brs: width, bcs: 1, drs: leafCount))
            }
        }
        var pathSums = Value.stored(sums, shape: [rows, leafCount])
        if let belowSums {
            pathSums = try binary(part(node, "Add", "_pathsum"), pathSums, .stored(belowSums, shape: [rows, leafCount]))
        }
        // 4. The leaf reached: S − (depth − 1) is 1 there and ≤ 0 elsewhere.
        let reached = try step(part(node, "Equal", "_leaf"), pathSums)
        // 5. Scores: indicators times leaf weights, plus the base values.
        var leafWeights = [Double](repeating: 0, count: leafCount * columns)
        for (l, leaf) in structure.leaves.enumerated() {
            guard let c = leafColumn[l] else { continue }
            for (t, w) in leaf.weights { leafWeights[c * columns + t] += w * weightScale }
        }
        let scores = try affineRows(node, reached, rows: rows, weights: leafWeights, k: leafCount, n: columns, bias: base,
                                    suffix: classifier ? "_scores" : nil)
        return try treeOutputs(node, scores, classifier: classifier, oneColumn: oneColumn, structure: structure)
    }

    mutating func treeOutputs(_ node: Node, _ scores: Value, classifier: Bool, oneColumn: Bool,
                              structure: TreeEnsembleStructure) throws(ImportError) -> [Value] {
        guard classifier else {
            guard try node.string("post_transform", default: "NONE") == "NONE" else {
                throw node.error("post_transform other than NONE is not supported for TreeEnsembleRegressor")
            }
            return [scores]
        }
        let probabilities = oneColumn
            ? try binaryScores(node, scores, complementUnderNone: structure.leaves.allSatisfy { $0.weights.allSatisfy { $0.weight >= 0 } })
            : try postTransform(node, scores, suffix: "_probabilities")
        return [try classLabel(node, probabilities), probabilities]
    }
}
