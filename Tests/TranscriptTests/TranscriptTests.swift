import Testing
import Field
import Hashing
import Transcript
import TestSupport

@Suite struct TranscriptTests {
    /// A scripted protocol: absorb items, draw a challenge after each, record them.
    static func run(mutating target: Int?, domain: String = "test") -> [GoldilocksExt3] {
        var t = Transcript(domain: domain)
        var g = SeededGenerator(seed: 51)
        var challenges: [GoldilocksExt3] = []
        let items = 8
        for k in 0..<items {
            let flip = (k == target)
            switch k % 6 {
            case 0: t.absorb("e", Goldilocks(reducing: g.next() ^ (flip ? 1 : 0)))
            case 1:
                var x = GoldilocksExt3.random(using: &g)
                if flip { x = x + GoldilocksExt3.one }
                t.absorb("x", x)
            case 2:
                var d = Hashing.SHA256.hash([UInt8(k)]).bytes
                if flip { d[31] ^= 1 }
                t.absorb("root", Digest(bytes: d)!)
            case 3: t.absorb("len", integer: 1000 + (flip ? 1 : 0))
            case 4:
                var v = g.elements(3)
                if flip { v.append(.zero) }
                t.absorb("v", v)
            default: t.absorb("b", bytes: flip ? [1, 2] : [1, 2, 0])
            }
            challenges.append(t.challengeExtension())
        }
        return challenges
    }

    @Test func deterministic() {
        #expect(Self.run(mutating: nil) == Self.run(mutating: nil))
    }

    /// Changing item k changes the challenge after k and every later one
    /// (and none before it).
    @Test func everyAbsorbedItemChangesEveryLaterChallenge() {
        let honest = Self.run(mutating: nil)
        for k in 0..<honest.count {
            let changed = Self.run(mutating: k)
            for j in 0..<honest.count {
                if j < k { #expect(changed[j] == honest[j]) } else { #expect(changed[j] != honest[j], "item \(k), challenge \(j)") }
            }
        }
        #expect(Self.run(mutating: nil, domain: "other")[0] != honest[0])
    }

    /// Labels and record boundaries are bound: the same payload under another
    /// label, or split differently, gives other challenges.
    @Test func labelsAndBoundariesAreBound() {
        func challenge(_ body: (inout Transcript) -> Void) -> Goldilocks {
            var t = Transcript(domain: "d")
            body(&t)
            return t.challengeElement()
        }
        let base = challenge { $0.absorb("a", bytes: [1, 2, 3]) }
        #expect(challenge { $0.absorb("b", bytes: [1, 2, 3]) } != base)
        #expect(challenge { $0.absorb("a", bytes: [1, 2]); $0.absorb("a", bytes: [3]) } != base)
        #expect(challenge { $0.absorb("a", integer: 1) } != challenge { $0.absorb("a", Goldilocks.one) })
    }

    @Test func consecutiveChallengesDiffer() {
        var t = Transcript(domain: "d")
        t.absorb("x", integer: 1)
        let a = t.challengeElement(), b = t.challengeElement()
        #expect(a != b)
        let e1 = t.challengeExtension(), e2 = t.challengeExtension()
        #expect(e1 != e2)
    }

    /// Power-of-two bounds take exactly the low bits; other bounds stay in
    /// range and are roughly uniform (chi-square over 10 buckets, 20 000 draws).
    @Test func indicesAreInRangeAndUniform() {
        var t = Transcript(domain: "q")
        let indices = t.challengeIndices(count: 20_000, bound: 10)
        #expect(indices.allSatisfy { $0 >= 0 && $0 < 10 })
        var counts = [Int](repeating: 0, count: 10)
        for i in indices { counts[i] += 1 }
        let expected = 2_000.0
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chi2 < 27.9, "chi-square \(chi2) with 9 degrees of freedom (p < 0.001)")
        #expect(t.challengeIndices(count: 100, bound: 1 << 20).allSatisfy { $0 < 1 << 20 })
        #expect(t.challengeIndices(count: 5, bound: 1) == [0, 0, 0, 0, 0])
    }

    @Test func proofOfWork() throws {
        var prover = Transcript(domain: "pow")
        prover.absorb("root", Hashing.SHA256.hash([9]))
        var verifier = prover
        var otherThreads = prover
        let nonce = try prover.grind(bits: 12, threads: 2)
        #expect(try otherThreads.grind(bits: 12, threads: 1) == nonce, "smallest nonce at any thread count")
        try verifier.verifyProofOfWork(nonce: nonce, bits: 12)
        #expect(prover.challengeElement() == verifier.challengeElement())

        // A nonce that falls short is rejected; one below the smallest valid one
        // cannot exist, so nonce − 1 (if any) must fail at 12 bits.
        var cheater = Transcript(domain: "pow")
        cheater.absorb("root", Hashing.SHA256.hash([9]))
        if nonce > 0 {
            #expect(throws: TranscriptError.self) { try cheater.verifyProofOfWork(nonce: nonce - 1, bits: 12) }
        }
        #expect(throws: TranscriptError.self) { _ = try cheater.grind(bits: 41) }

        // The nonce is absorbed: different accepted nonces (zero bits) give different challenges.
        var a = Transcript(domain: "pow"), b = Transcript(domain: "pow")
        try a.verifyProofOfWork(nonce: 1, bits: 0)
        try b.verifyProofOfWork(nonce: 2, bits: 0)
        #expect(a.challengeElement() != b.challengeElement())
    }
}

/// Linear batching draws many coefficients from one stream.
@Suite struct BatchChallengeTests {
    @Test func manyExtensionChallengesAreOneStream() {
        var a = Transcript(domain: "batch"), b = Transcript(domain: "batch")
        a.absorb("x", integer: 7)
        b.absorb("x", integer: 7)
        let many = a.challengeExtensions(count: 40)
        #expect(many == b.challengeExtensions(count: 40))
        #expect(Set(many.map { "\($0)" }).count == 40)
        // The first element equals a single extension challenge from the same state.
        var c = Transcript(domain: "batch")
        c.absorb("x", integer: 7)
        #expect(c.challengeExtension() == many[0])
        // The next challenge starts a fresh block after the ratchet, not a
        // continuation of the batch's stream.
        let next = a.challengeExtension()
        #expect(!many.contains(next))
    }
}
