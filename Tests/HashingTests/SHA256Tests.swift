import Testing
import Crypto
import Hashing
import TestSupport

@Suite struct SHA256Tests {
    /// FIPS 180-4 examples.
    @Test func knownAnswers() {
        #expect(Hashing.SHA256.hash(Array("abc".utf8)).description
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hashing.SHA256.hash([UInt8]()).description
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hashing.SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).description
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// libcrypto, swift-crypto (BoringSSL) and the reference implementation
    /// agree on random messages of every length around the block boundaries.
    @Test func threeImplementationsAgree() {
        var g = SeededGenerator(seed: 31)
        for length in Array(0...200) + [1000, 4096, 65_537] {
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            let ours = Hashing.SHA256.hash(message).bytes
            #expect(ours == Array(Crypto.SHA256.hash(data: message)), "length \(length)")
            if length <= 300 { #expect(ours == ReferenceSHA256.hash(message), "length \(length)") }
            var ctx = Hashing.SHA256.Context()
            ctx.update(Array(message.prefix(length / 3)))
            ctx.update(Array(message.dropFirst(length / 3)))
            #expect(ctx.finalized().bytes == ours)
        }
    }

    /// The padding-free chain equals the reference compression, including
    /// zero-padding of a final partial block, and tagged IVs are the standard
    /// IV compressed over the documented tag block.
    @Test func compressionChainMatchesReference() {
        var g = SeededGenerator(seed: 32)
        for length in [0, 1, 8, 63, 64, 65, 128, 136, 200, 512] {
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            var state = SHA256State.standardIV
            message.withUnsafeBytes { state.compress(blocks: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, byteCount: length) }
            #expect(state.digest.bytes == ReferenceSHA256.bytes(ReferenceSHA256.chain(ReferenceSHA256.initialState, message)))
        }
        var block = Array("zkvm/test/tag".utf8) + [UInt8](repeating: 0, count: 64 - 13)
        block.replaceSubrange(56..<64, with: [7, 0, 0, 0, 0, 0, 0, 0])
        let expected = ReferenceSHA256.compress(ReferenceSHA256.initialState, block: block[...])
        #expect(SHA256State.tagged("zkvm/test/tag", parameter: 7).digest.bytes == ReferenceSHA256.bytes(expected))
        #expect(SHA256State.standardIV.words == ReferenceSHA256.initialState)
        #expect(SHA256State.tagged("a") != SHA256State.tagged("b"))
        #expect(SHA256State.tagged("a", parameter: 1) != SHA256State.tagged("a", parameter: 2))
    }

    @Test func digestEncodings() {
        let d = Hashing.SHA256.hash([1, 2, 3])
        #expect(Digest(hex: d.description) == d)
        #expect(Digest(bytes: d.bytes) == d)
        #expect(Digest(bytes: [UInt8](repeating: 0, count: 31)) == nil)
        #expect(Digest(hex: "zz") == nil)
        let zeros = Digest(bytes: [0, 0, 0x0F] + [UInt8](repeating: 0xFF, count: 29))!
        #expect(zeros.leadingZeroBits == 20)
        #expect(Digest.zero.leadingZeroBits == 64)
    }
}

@Suite struct DigestParsingTests {
    @Test func hexIsStrictLowerCase() {
        let d = Hashing.SHA256.hash([7])
        let hex = d.description
        #expect(Digest(hex: hex) == d)
        #expect(Digest(hex: hex.uppercased()) == nil || hex == hex.uppercased())
        #expect(Digest(hex: "+" + hex.dropFirst()) == nil)
        #expect(Digest(hex: String(hex.dropLast())) == nil)
    }
}
