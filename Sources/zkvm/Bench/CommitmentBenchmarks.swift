import Field
import Hashing
import Commitments
import Parallel

enum CommitmentBenchmarks {
    static func randomMatrix(height: Int, width: Int) -> RowMajorMatrix {
        var g = BenchRandom()
        return RowMajorMatrix(width: width, values: (0..<height * width).map { _ in Goldilocks.random(using: &g) })
    }

    /// ms to commit to `height` rows of `width` elements.
    static func merkleCommit(_ matrix: RowMajorMatrix, threads: Int, repetitions: Int) -> Double {
        var root = Digest.zero
        let seconds = Timing.median(repetitions: repetitions) {
            root = MerkleTree(matrix: matrix, threads: threads).root
        }
        blackHole(root)
        return seconds * 1e3
    }

    /// Raw SHA-256 throughput in MB/s (10^6 bytes/s): one standard hash over
    /// each of `threads` equal slices of `bytes` bytes.
    static func sha256Throughput(bytes: Int, threads: Int, repetitions: Int) -> Double {
        var g = BenchRandom()
        let data = (0..<bytes / 8).map { _ in g.next() }
        var sink = [Digest](repeating: .zero, count: threads)
        let seconds = Timing.median(repetitions: repetitions) {
            data.withUnsafeBytes { raw in
                let slice = raw.count / threads
                sink.withUnsafeMutableBufferPointer { out in
                    let o = SharedMutablePointer(out.baseAddress!)
                    Parallel.forEach(threads, threads: threads) { t in
                        o.base[t] = SHA256.hash(UnsafeRawBufferPointer(rebasing: raw[t * slice..<(t + 1) * slice]))
                    }
                }
            }
        }
        blackHole(sink)
        return Double(bytes) / seconds / 1e6
    }

    /// ns per inner-node hash (one compression from the node IV).
    static func nodeHash(count: Int, repetitions: Int) -> Double {
        var g = BenchRandom()
        let data = (0..<count * 8).map { _ in g.next() }
        var out = [Digest](repeating: .zero, count: count)
        let iv = MerkleHashing.nodeIV
        let seconds = Timing.median(repetitions: repetitions) {
            data.withUnsafeBytes { raw in
                for i in 0..<count { out[i] = MerkleHashing.hashNode(children: raw.baseAddress! + 64 * i, iv: iv) }
            }
        }
        blackHole(out)
        return seconds * 1e9 / Double(count)
    }
}
