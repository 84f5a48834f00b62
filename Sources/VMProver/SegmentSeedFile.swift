#if canImport(Glibc)
import Glibc
#endif
import Hashing
import ProofFiles
import VMArithmetization

/// The secret mask seed of one distributed zero-knowledge segment proof,
/// kept in a file that pins its phase 2 (Spec/zk.md §5). The library's
/// distributed calls take this, never a bare seed, so every caller gets the
/// reuse protection:
///
/// * phase 1 (`create`) makes the file exclusively — never an existing file
///   or a link — with mode 0600 from the start, holding a fresh 32-byte
///   seed from the system's secure generator;
/// * phase 2 reuses phase 1's masks, so the masked trace must never be
///   opened for two transcripts: `VMProver.proveSegment` appends to the
///   file, in place under an exclusive lock, the digest of the bindings it
///   used and the digest of the proof it made (96 bytes in all) before it
///   returns the proof; a later phase 2 must present the same bindings and
///   make the same proof (phase 2 is deterministic given seed and
///   bindings), or it fails and returns nothing;
/// * a file readable by others, or of another length, is refused.
///
/// Copies of an unpinned seed made before phase 2 escape the pin: delete
/// seed files once the bundle is made.
public struct SegmentSeedFile: Sendable {
    public let path: String
    /// The 32-byte seed.
    let seed: [UInt8]

    public static let seedLength = 32
    /// seed ‖ bindings digest ‖ proof digest.
    public static let pinnedLength = 96

    /// Phase 1: a new seed file at `path`.
    public static func create(at path: String) throws -> SegmentSeedFile {
        let seed = SecureRandom.seed()
        let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw VMArithmetizationError.secret("cannot create the seed file '\(path)': \(String(cString: strerror(errno)))"
                                                + (errno == EEXIST ? " (phase 1 makes a fresh file for each segment proof)" : ""))
        }
        let written = seed.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = written == seed.count && fsync(fd) == 0
        close(fd)
        guard synced else {
            unlink(path)
            throw VMArithmetizationError.secret("cannot write the seed file '\(path)'")
        }
        return SegmentSeedFile(path: path, seed: seed)
    }

    /// Phase 2: the seed file phase 1 made (pinned or not).
    public static func open(at path: String) throws -> SegmentSeedFile {
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else {
            throw VMArithmetizationError.secret("cannot read the seed file '\(path)': \(String(cString: strerror(errno))) (phase 1 creates it)")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw VMArithmetizationError.secret("cannot inspect the seed file '\(path)'") }
        guard status.st_mode & 0o077 == 0 else {
            throw VMArithmetizationError.secret("the seed file '\(path)' is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))): chmod 600 it")
        }
        var contents = [UInt8](repeating: 0, count: pinnedLength + 1)
        let count = contents.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count == seedLength || count == pinnedLength else {
            throw VMArithmetizationError.secret("'\(path)': a seed file holds \(seedLength) or \(pinnedLength) bytes, found \(count)")
        }
        return SegmentSeedFile(path: path, seed: Array(contents.prefix(seedLength)))
    }

    /// Pins phase 2 to `bindings` and `proof`, or checks an earlier pin.
    func pin(bindings: [SegmentBinding], proof: [UInt8]) throws {
        var context = SHA256.Context()
        for b in bindings { context.update(b.encoded()) }
        let pin = context.finalized().bytes + SHA256.hash(proof).bytes
        let fd = Glibc.open(path, O_RDWR | O_NOFOLLOW)
        guard fd >= 0 else { throw VMArithmetizationError.secret("cannot open the seed file '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw VMArithmetizationError.secret("cannot lock the seed file '\(path)'") }
        var contents = [UInt8](repeating: 0, count: Self.pinnedLength + 1)
        let count = contents.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count >= Self.seedLength, Array(contents.prefix(Self.seedLength)) == seed else {
            throw VMArithmetizationError.secret("the seed file '\(path)' changed since it was read")
        }
        switch count {
        case Self.seedLength:
            let written = pin.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(Self.seedLength)) }
            guard written == pin.count, fsync(fd) == 0 else { throw VMArithmetizationError.secret("cannot pin the seed file '\(path)'") }
        case Self.pinnedLength:
            guard Array(contents[32..<64]) == Array(pin[0..<32]) else {
                throw VMArithmetizationError.secret("the seed file '\(path)' was used with other bindings: rerun phase 1 with a fresh seed file")
            }
            guard Array(contents[64..<96]) == Array(pin[32..<64]) else {
                throw VMArithmetizationError.secret("the seed file '\(path)' made another proof from these bindings (another zkvm version?): "
                                                    + "rerun phase 1 with a fresh seed file")
            }
        default:
            throw VMArithmetizationError.secret("'\(path)': a seed file holds \(Self.seedLength) or \(Self.pinnedLength) bytes, found \(count)")
        }
    }
}
