import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hashing
import VMArithmetization

/// The phase-2 pin of a distributed zero-knowledge segment proof (Spec/zk.md §5).
///
/// Phase 2 reuses phase 1's masks, so the masked trace must never be opened
/// for two different transcripts. The first phase 2 appends to the seed
/// file — under an exclusive lock, in place — the digest of the bindings
/// it used and the digest of the segment proof it produced (seed file:
/// seed ‖ bindings digest ‖ proof digest, 96 bytes). A later phase 2 must
/// present the same bindings and produce the same proof (this build's
/// phase 2 is deterministic given the seed and bindings), or nothing is
/// written. The pin travels with the seed: a copy of an unpinned seed
/// made before phase 2 is the user's to destroy.
enum SeedPin {
    static let pinnedLength = 96

    static func pin(seedFile: String, bindings: [SegmentBinding], proof: [UInt8]) throws {
        var context = SHA256.Context()
        for b in bindings { context.update(b.encoded()) }
        let pin = context.finalized().bytes + SHA256.hash(proof).bytes
        let fd = open(seedFile, O_RDWR | O_NOFOLLOW)
        guard fd >= 0 else { throw CLIError("cannot open the seed file '\(seedFile)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw CLIError("cannot lock the seed file '\(seedFile)'") }
        var contents = [UInt8](repeating: 0, count: pinnedLength + 1)
        let count = contents.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        switch count {
        case 32:
            let written = pin.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 32) }
            guard written == pin.count, fsync(fd) == 0 else { throw CLIError("cannot pin the seed file '\(seedFile)'") }
        case pinnedLength:
            guard Array(contents[32..<64]) == Array(pin[0..<32]) else {
                throw CLIError("the seed file '\(seedFile)' was used with other bindings: rerun phase 1 with a fresh --seed-file")
            }
            guard Array(contents[64..<96]) == Array(pin[32..<64]) else {
                throw CLIError("the seed file '\(seedFile)' made another proof from these bindings (another zkvm version?): "
                               + "rerun phase 1 with a fresh --seed-file")
            }
        default:
            throw CLIError("\(seedFile): a seed file holds 32 or \(pinnedLength) bytes, found \(count)")
        }
    }
}
