import Testing
import Field
import Hashing
import Transcript

/// Values from Spec/transcript.md §9, computed by an independent Python model
/// of the specification: they pin the record encoding, the ratchet, the
/// squeeze stream, rejection sampling and proof-of-work byte for byte.
@Suite struct TranscriptSpecVectorTests {
    @Test func challengesMatchTheSpecification() throws {
        var t = Transcript(domain: "zkvm-stark-v1")
        #expect(t.state.description == "70f4f7603441d0177a86d4034747481132950f9c8414598f8feb642fa7fbc864")
        var grinding = t
        t.absorb("x", integer: 1)
        #expect(t.challengeElement().value == 2_539_333_914_134_126_520)
        #expect(t.challengeExtension() == GoldilocksExt3(
            Goldilocks(reducing: 10_853_148_371_993_155_684), Goldilocks(reducing: 11_117_689_893_808_980_422),
            Goldilocks(reducing: 16_027_232_664_885_714_249)))
        #expect(t.challengeIndices(count: 4, bound: 1024) == [393, 882, 79, 941])
        #expect(t.state.description == "1250251ac2554fa88f9d4b41ffa064c58dde9a1c5ce859a2a88faa47e67511c3")

        grinding.absorb("x", integer: 1)
        #expect(try grinding.grind(bits: 8) == 341)
        #expect(grinding.challengeElement().value == 12_231_370_416_117_414_001)
    }
}
