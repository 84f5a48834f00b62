import Commitments
import Field
import Hashing
import Testing
import TestSupport

@Suite struct MixedMerkleTreeTests {
    func matrix(height: Int, width: Int, seed: UInt64) -> RowMajorMatrix {
        var g = SeededGenerator(seed: seed)
        return RowMajorMatrix(width: width, values: (0..<height * width).map { _ in Goldilocks.random(using: &g) })
    }

    @Test func oneMatrixGivesTheOrdinaryMerkleRoot() {
        let m = matrix(height: 64, width: 5, seed: 1)
        #expect(MixedMerkleTree(matrices: [m]).root == MerkleTree(matrix: m).root)
    }

    @Test func openingsOfMixedHeightsVerifyAndTamperingFails() throws {
        let ms = [matrix(height: 64, width: 3, seed: 2), matrix(height: 8, width: 2, seed: 3),
                  matrix(height: 64, width: 1, seed: 4), matrix(height: 16, width: 4, seed: 5)]
        let tree = MixedMerkleTree(matrices: ms)
        let logs = ms.map { $0.height.trailingZeroBitCount }, widths = ms.map(\.width)
        let queries = [5, 40, 41, 63, 5, 0]
        let (rows, proof) = tree.open(queries)
        // Rows are each matrix's rows at the sorted distinct positions of its level.
        for (m, matrix) in ms.enumerated() {
            let positions = Set(queries.map { $0 >> (6 - logs[m]) }).sorted()
            #expect(rows[m] == positions.map { matrix.row($0) })
        }
        try MixedMerkleTree.verify(root: tree.root, logHeights: logs, widths: widths, indices: queries, rows: rows, proof: proof)
        // Any changed row element or sibling is rejected.
        for m in ms.indices {
            var bad = rows
            bad[m][0][0] = bad[m][0][0] + .one
            #expect(throws: CommitmentError.self) {
                try MixedMerkleTree.verify(root: tree.root, logHeights: logs, widths: widths, indices: queries, rows: bad, proof: proof)
            }
        }
        for k in proof.siblings.indices {
            var bad = proof
            var bytes = bad.siblings[k].bytes
            bytes[k % 32] ^= 1
            bad.siblings[k] = Digest(bytes: bytes)!
            #expect(throws: CommitmentError.self) {
                try MixedMerkleTree.verify(root: tree.root, logHeights: logs, widths: widths, indices: queries, rows: rows, proof: bad)
            }
        }
        // The verifier's own heights decide the layout: a different height is rejected.
        #expect(throws: CommitmentError.self) {
            try MixedMerkleTree.verify(root: tree.root, logHeights: [6, 4, 6, 4], widths: widths, indices: queries,
                                       rows: rows, proof: proof)
        }
        var short = proof
        short.siblings.removeLast()
        #expect(throws: CommitmentError.self) {
            try MixedMerkleTree.verify(root: tree.root, logHeights: logs, widths: widths, indices: queries, rows: rows, proof: short)
        }
    }
}
