import Testing
import Field
import Hashing
import Commitments

/// Values from Spec/hashing.md §6, computed by an independent Python model of
/// the specification (hashlib-checked compression): the Swift code must agree
/// byte for byte, which pins the Merkle wire format.
@Suite struct MerkleSpecVectorTests {
    @Test func tagsAndLeavesAndRoot() {
        #expect(MerkleHashing.nodeIV.digest.description
                == "bda3024a35fdf7abcf4860bb4572ad180d410a5200edbd406b813f2f0ef2df64")
        #expect(MerkleHashing.leafIV(width: 1).digest.description
                == "4f7bc6fdf115201c6d086d3cb9324c73023c69908ccaf38657b3f4378202bfa3")
        #expect(MerkleHashing.leafIV(width: 8).digest.description
                == "020d44dbe8ba40ba59ec8ba20e34c80606e8084592b058d7f8c1b6f0b26d11cc")
        #expect(MerkleHashing.hashLeaf([Goldilocks.one]).description
                == "823051688182d28d051369dcc81ddba320754112f456f86de7ee3970b22486a3")
        #expect(MerkleHashing.hashLeaf((1...9).map { Goldilocks(reducing: UInt64($0)) }).description
                == "b7946d8b35ce00fc2aa87192b516e85816a060e71e6c001cddda3359b1c634f2")
        let matrix = RowMajorMatrix(width: 1, values: (0..<4).map { Goldilocks(reducing: UInt64($0)) })
        #expect(MerkleTree(matrix: matrix).root.description
                == "9351aaa422a31254ab6402845d7ce28ea6ee56d2e740b7a5ff755c41776ce80a")
    }
}
