import Testing
import Field
import Hashing
import Commitments
import TestSupport

@Suite struct MerkleTreeTests {
    static func matrix(height: Int, width: Int, seed: UInt64) -> RowMajorMatrix {
        var g = SeededGenerator(seed: seed)
        return RowMajorMatrix(width: width, values: g.elements(height * width))
    }

    /// The specification computed with the reference SHA-256 only.
    static func referenceRoot(_ m: RowMajorMatrix) -> [UInt8] {
        func tagBlock(_ tag: String, _ parameter: UInt64) -> [UInt8] {
            var block = Array(tag.utf8) + [UInt8](repeating: 0, count: 64 - tag.utf8.count)
            for k in 0..<8 { block[56 + k] = UInt8(truncatingIfNeeded: parameter >> (8 * UInt64(k))) }
            return block
        }
        let leafIV = ReferenceSHA256.compress(ReferenceSHA256.initialState, block: tagBlock("zkvm/merkle/leaf/v1", UInt64(m.width))[...])
        let nodeIV = ReferenceSHA256.compress(ReferenceSHA256.initialState, block: tagBlock("zkvm/merkle/node/v1", 0)[...])
        var level = (0..<m.height).map { r in
            ReferenceSHA256.bytes(ReferenceSHA256.chain(leafIV, m.row(r).flatMap { $0.bytes }))
        }
        while level.count > 1 {
            level = stride(from: 0, to: level.count, by: 2).map {
                ReferenceSHA256.bytes(ReferenceSHA256.chain(nodeIV, level[$0] + level[$0 + 1]))
            }
        }
        return level[0]
    }

    @Test(arguments: [(1, 1), (2, 3), (8, 16), (64, 17), (256, 8)])
    func rootMatchesReference(height: Int, width: Int) {
        let m = Self.matrix(height: height, width: width, seed: UInt64(height * 100 + width))
        #expect(MerkleTree(matrix: m).root.bytes == Self.referenceRoot(m))
    }

    @Test func rootIsIndependentOfThreadCount() {
        let m = Self.matrix(height: 1 << 13, width: 5, seed: 41)
        let one = MerkleTree(matrix: m, threads: 1).root
        for t in [2, 3, 8] { #expect(MerkleTree(matrix: m, threads: t).root == one) }
    }

    @Test func batchedOpeningsVerify() throws {
        var g = SeededGenerator(seed: 42)
        for (height, width) in [(1, 2), (2, 1), (16, 4), (1024, 16)] {
            let m = Self.matrix(height: height, width: width, seed: g.next())
            let tree = MerkleTree(matrix: m)
            for count in [1, 2, 5, 40] {
                let indices = (0..<count).map { _ in Int(g.next() % UInt64(height)) }
                let proof = tree.open(indices)
                try MerkleTree.verify(root: tree.root, leafCount: height, rowWidth: width,
                                      indices: indices, rows: indices.map(m.row), proof: proof)
            }
            // Opening every leaf needs no siblings at all.
            let all = Array(0..<height)
            #expect(tree.open(all).siblings.isEmpty)
            try MerkleTree.verify(root: tree.root, leafCount: height, rowWidth: width,
                                  indices: all, rows: all.map(m.row), proof: tree.open(all))
        }
    }

    @Test func structuralMisuseIsRejected() {
        let m = Self.matrix(height: 32, width: 3, seed: 43)
        let tree = MerkleTree(matrix: m)
        let indices = [3, 17, 18]
        let rows = indices.map(m.row)
        let proof = tree.open(indices)
        func verify(root: Digest? = nil, leafCount: Int = 32, rowWidth: Int = 3, indices i: [Int]? = nil,
                    rows r: [[Goldilocks]]? = nil, proof p: MerkleMultiProof? = nil) throws(CommitmentError) {
            try MerkleTree.verify(root: root ?? tree.root, leafCount: leafCount, rowWidth: rowWidth,
                                  indices: i ?? indices, rows: r ?? rows, proof: p ?? proof)
        }
        #expect(throws: CommitmentError.rootMismatch) { try verify(root: Hashing.SHA256.hash([0])) }
        #expect(throws: CommitmentError.rootMismatch) { try verify(indices: [3, 17, 19]) }
        #expect(throws: CommitmentError.indexOutOfRange(index: 32, leafCount: 32)) { try verify(indices: [3, 17, 32]) }
        #expect(throws: CommitmentError.indexOutOfRange(index: -1, leafCount: 32)) { try verify(indices: [-1, 17, 18]) }
        #expect(throws: CommitmentError.rowWidthMismatch(index: 17, expected: 3, actual: 2)) {
            try verify(rows: [rows[0], Array(rows[1].prefix(2)), rows[2]])
        }
        #expect(throws: CommitmentError.emptyOpening) { try verify(indices: [], rows: []) }
        #expect(throws: CommitmentError.invalidShape(leafCount: 24, rowWidth: 3)) { try verify(leafCount: 24) }
        #expect(throws: CommitmentError.invalidShape(leafCount: 32, rowWidth: 0)) { try verify(rowWidth: 0) }
        #expect(throws: CommitmentError.missingSiblings) {
            try verify(proof: MerkleMultiProof(siblings: Array(proof.siblings.dropLast())))
        }
        #expect(throws: CommitmentError.unusedSiblings(count: 1)) {
            try verify(proof: MerkleMultiProof(siblings: proof.siblings + [Digest.zero]))
        }
        #expect(throws: CommitmentError.conflictingRows(index: 3)) {
            try verify(indices: indices + [3], rows: rows + [rows[1]])
        }
        // A wrong leaf count changes the tree shape and fails.
        #expect(throws: CommitmentError.self) { try verify(leafCount: 64) }
        // Duplicates with equal rows are accepted.
        #expect(throws: Never.self) { try verify(indices: indices + [3], rows: rows + [rows[0]]) }
    }

    /// An opening serialized as bytes: rows, then the multiproof.
    static func encode(rows: [[Goldilocks]], proof: MerkleMultiProof) -> [UInt8] {
        var w = ByteWriter()
        w.write(UInt32(rows.count))
        for row in rows { w.write(row) }
        proof.encode(into: &w)
        return w.bytes
    }

    static func decodeAndVerify(_ bytes: [UInt8], tree: MerkleTree, indices: [Int]) throws {
        var r = ByteReader(bytes)
        let count = try r.readCount(maximum: 64, minimumItemSize: 4)
        var rows = [[Goldilocks]]()
        for _ in 0..<count { rows.append(try r.readElements(maximum: 64)) }
        let proof = try MerkleMultiProof.decode(from: &r, maxSiblings: 64)
        try r.finish()
        try MerkleTree.verify(root: tree.root, leafCount: tree.leafCount, rowWidth: tree.rowWidth,
                              indices: indices, rows: rows, proof: proof)
    }

    /// Flipping any bit of any byte of a serialized opening is rejected
    /// (eight flips per byte: every bit position).
    @Test func everyBitFlipOfAnOpeningIsRejected() throws {
        let m = Self.matrix(height: 64, width: 4, seed: 44)
        let tree = MerkleTree(matrix: m)
        let indices = [5, 6, 40]
        let bytes = Self.encode(rows: indices.map(m.row), proof: tree.open(indices))
        try Self.decodeAndVerify(bytes, tree: tree, indices: indices)
        var accepted = 0
        for i in 0..<bytes.count {
            for bit in 0..<8 {
                var mutated = bytes
                mutated[i] ^= 1 << UInt8(bit)
                if (try? Self.decodeAndVerify(mutated, tree: tree, indices: indices)) != nil { accepted += 1 }
            }
        }
        #expect(accepted == 0)
        // Truncations and extensions too.
        for cut in 0..<bytes.count {
            #expect(throws: (any Error).self) { try Self.decodeAndVerify(Array(bytes.prefix(cut)), tree: tree, indices: indices) }
        }
        #expect(throws: (any Error).self) { try Self.decodeAndVerify(bytes + [0], tree: tree, indices: indices) }
    }

    @Test func hugeDeclaredCountsAreRejectedBeforeAllocation() {
        var w = ByteWriter()
        w.write(UInt32.max)
        var r = ByteReader(w.bytes)
        #expect(throws: CommitmentError.malformed(.lengthOutOfRange(declared: UInt64(UInt32.max), maximum: 0, offset: 0))) {
            try MerkleMultiProof.decode(from: &r, maxSiblings: 1 << 20)
        }
    }
}
