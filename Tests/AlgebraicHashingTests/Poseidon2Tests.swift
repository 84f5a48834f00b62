import Testing
import Field
@testable import AlgebraicHashing

/// Known answers from the independent Python reference
/// (`python3 Tools/poseidon2_reference.py vectors`, written from the
/// Poseidon2 paper and Spec/hashing.md §7 in plain integers), plus the
/// algebraic properties the AIR relies on.
@Suite struct Poseidon2Tests {
    static func field(_ values: [UInt64]) -> [Goldilocks] { values.map { Goldilocks(canonical: $0)! } }

    @Test func constantsMatchTheReference() {
        #expect(Poseidon2.internalDiagonal == Self.field([8741193821448708503, 9908923880013821912, 7302827839111530107, 10549529872962278503, 17179516861378147800, 1380752088321560903, 4340517900214279051, 10566313289481631205, 14539487097094925228, 5618760512618822423, 17197595257134732174, 3467705376776267979]))
        #expect(Poseidon2.roundConstants.count == 8 * 12 + 22)
        #expect(Poseidon2.roundConstants.first == Goldilocks(canonical: 17888741006070404166))
        #expect(Poseidon2.roundConstants.last == Goldilocks(canonical: 15786703094695776615))
    }

    @Test func permutationKnownAnswers() {
        let cases: [([Goldilocks], [UInt64])] = [
            ([Goldilocks](repeating: .zero, count: 12), [115956729704970819, 13244384066733799695, 18138544741001836892, 9012796328292259555, 10781579757285998677, 11264007804105905241, 492850393473815237, 15199618916225216594, 13053707017910017086, 5258560886245324880, 2077570675944447726, 14370885862480759416]),
            ((0..<12).map { Goldilocks($0) }, [6892267129168294091, 8586389949056164368, 2792495179852790893, 15853810734471302096, 8968716243903200207, 15256825798244005206, 9483822946896723615, 3531993605077090150, 11483008303989356147, 12204148710241008706, 7766976387876911275, 3587704418940111921]),
            ((0..<12).map { -Goldilocks(1 + $0) }, [1123197556966357891, 16831583853555144712, 7643591871548841957, 1969069542696361722, 1512889277084903894, 10052153184789864654, 7517807639062292654, 15020227662589868802, 1417873878111797490, 12535064132456606275, 3629032715219793335, 12070240046937343445]),
        ]
        for (input, expected) in cases {
            var state = input
            Poseidon2.permute(&state)
            #expect(state == Self.field(expected))
        }
    }

    @Test func spongeKnownAnswers() {
        let layout = WeightSponge.layoutElement([1, 2, 3])
        #expect(layout == Goldilocks(canonical: 12194279903896623588))
        let weights: [Int64] = [-3, 0, 7, 123456, -(1 << 31), (1 << 31) - 1, 5, 6, 9, 10, 11]
        #expect(WeightSponge.commit(salt: [1, 2, 3, 4].map { Goldilocks($0) }, elements: weights.map { Goldilocks($0) }, layout: layout)
                == Self.field([16586226850680101456, 15903008522258837447, 17156504301734518962, 16170212545648059952]))
        #expect(WeightSponge.commit(salt: [9, 8, 7, 6].map { Goldilocks($0) }, elements: [], layout: .zero)
                == Self.field([8507776858388332883, 7199347737792126191, 15646580671090898680, 9511916362178098417]))
    }

    /// The recorded S-box outputs reproduce the permutation: the state
    /// after the last external round is M_E of its outputs, and replaying
    /// the rounds from the input through the recorded outputs gives each of
    /// them as the S-box of (lane + constant).
    @Test func recordedRoundsAreConsistent() {
        let input = (0..<12).map { Goldilocks(3 * $0 + 1) }
        var state = input, plain = input
        var rounds = Poseidon2.Rounds()
        Poseidon2.permute(&state, recording: &rounds)
        Poseidon2.permute(&plain)
        #expect(state == plain)
        var last = Array(rounds.fullOutputs.suffix(12))
        Poseidon2.externalLayer(&last)
        #expect(last == state)
        // Replay: every S-box input is the running state plus its constant.
        var x = input
        Poseidon2.externalLayer(&x)
        var k = 0, full = 0, partial = 0
        let constants = Poseidon2.roundConstants
        for round in 0..<Poseidon2.rounds {
            if Poseidon2.isFull(round) {
                for i in 0..<12 {
                    #expect(rounds.fullOutputs[full * 12 + i] == Poseidon2.sbox(x[i] + constants[k + i]))
                    x[i] = rounds.fullOutputs[full * 12 + i]
                }
                Poseidon2.externalLayer(&x)
                k += 12; full += 1
            } else {
                #expect(rounds.partialOutputs[partial] == Poseidon2.sbox(x[0] + constants[k]))
                x[0] = rounds.partialOutputs[partial]
                Poseidon2.internalLayer(&x)
                k += 1; partial += 1
            }
        }
        #expect(x == state)
    }

    /// A single changed input lane changes every output lane (full diffusion).
    @Test func everyInputLaneDiffusesToEveryOutputLane() {
        var base = [Goldilocks](repeating: Goldilocks(5), count: 12)
        Poseidon2.permute(&base)
        for lane in 0..<12 {
            var state = [Goldilocks](repeating: Goldilocks(5), count: 12)
            state[lane] = state[lane] + .one
            Poseidon2.permute(&state)
            #expect((0..<12).allSatisfy { state[$0] != base[$0] }, "lane \(lane)")
        }
    }

    @Test func spongeSeparatesLengthsAndSalts() {
        let salt = [1, 2, 3, 4].map { Goldilocks($0) }
        let w = (0..<12).map { Goldilocks($0) }
        // Trailing zeros are padding-like but the length lane separates them.
        let layout = Goldilocks(77)
        #expect(WeightSponge.commit(salt: salt, elements: w, layout: layout) != WeightSponge.commit(salt: salt, elements: w + [.zero], layout: layout))
        #expect(WeightSponge.commit(salt: salt, elements: w, layout: layout)
                != WeightSponge.commit(salt: [1, 2, 3, 5].map { Goldilocks($0) }, elements: w, layout: layout))
        // The layout lane separates the same values read as another shape.
        #expect(WeightSponge.commit(salt: salt, elements: w, layout: layout) != WeightSponge.commit(salt: salt, elements: w, layout: layout + .one))
        #expect(WeightSponge.permutationCount(elements: 4) == 1 && WeightSponge.permutationCount(elements: 5) == 2)
    }

    /// Commitments encode as four canonical little-endian words; a word ≥ p
    /// or another length is refused, so each commitment has one encoding.
    @Test func commitmentEncodingIsCanonical() {
        let c = WeightCommitment(elements: [Goldilocks(1), -Goldilocks(1), Goldilocks(1 << 40), .zero])
        #expect(WeightCommitment(bytes: c.bytes) == c)
        #expect(c.description.count == 64 && c.description.hasPrefix("0100000000000000"))
        var high = c.bytes
        for i in 8..<16 { high[i] = 0xFF }   // word 1 = 2^64 − 1 ≥ p
        #expect(WeightCommitment(bytes: high) == nil)
        #expect(WeightCommitment(bytes: c.bytes.dropLast()) == nil)
    }
}
