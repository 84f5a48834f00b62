import AIR
import Field
import Prover
import STARK
import Testing
import Verifier

/// Segments of one run share LogUp challenges and cancel their bus sums only
/// together (Spec/proof-system.md §4). The toy run: segment 0 holds the
/// `values` rows that send (v, w) pairs on the link bus, segment 1 holds the
/// `sink` that receives them, so neither segment balances on its own.
@Suite struct SegmentTests {
    let air = try! ToyAIRs.lookups()
    let options = ProofOptions(logBlowup: 2, queries: 24, logFoldingArity: 2, grindingBits: 0, logFinalPolynomialLength: 1)

    /// Segment 0: the witness with an idle sink; segment 1: idle values
    /// (s = 0, their range lookups counted) and the real sink.
    func segments(logHeight: Int = 6, seed: Int = 0) -> [ToyAIRs.LookupWitness] {
        let whole = ToyAIRs.lookupWitness(logHeight: logHeight, logSink: 3)
        var first = whole, second = whole
        let m = whole.main[2][2].count
        first.main[2][2] = [Goldilocks](repeating: .zero, count: m)
        first.boundary = []
        let n = whole.main[0][0].count
        second.main[0][2] = [Goldilocks](repeating: .zero, count: n)
        // Idle values in segment 1: shift v by `seed` (mod 16) and recount its range lookups.
        var counts = [Int](repeating: 0, count: 256)
        for i in 0..<n {
            let x = (i * 7 + 3 + seed) % 16
            second.main[0][0][i] = Goldilocks(x); second.main[0][1][i] = Goldilocks(x * x)
            counts[x] += 1; counts[x * x] += 1
        }
        second.main[1] = [counts.map { Goldilocks($0) }]
        return [first, second]
    }

    func prove(_ ws: [ToyAIRs.LookupWitness], statement: [UInt8] = [7]) throws -> [Proof] {
        try Prover.proveSegments(ws.enumerated().map { ToyAIRs.proverInput(air, $1, statement: statement + [UInt8($0)]) },
                                 options: options, checkWitness: false).proofs
    }

    func inputs(_ ws: [ToyAIRs.LookupWitness], statement: [UInt8] = [7]) -> [VerifierInput] {
        ws.enumerated().map { ToyAIRs.verifierInput(air, $1, statement: statement + [UInt8($0)]) }
    }

    func accepts(_ proofs: [Proof], _ inputs: [VerifierInput]) -> Bool {
        (try? Verifier.verifySegments(proofs, inputs: inputs, policy: .insecureTesting)) != nil
    }

    @Test func honestSegmentsVerifyTogetherButNotAlone() throws {
        let ws = segments()
        // The prover's own witness check sees the cross-segment balance.
        _ = try Prover.proveSegments(ws.enumerated().map { ToyAIRs.proverInput(air, $1, statement: [7, UInt8($0)]) },
                                     options: options, checkWitness: true)
        let proofs = try prove(ws)
        #expect(accepts(proofs, inputs(ws)))
        // Each segment alone leaves its bus sums open.
        for (proof, input) in zip(proofs, inputs(ws)) {
            #expect(throws: STARKError.rejected(check: "table values: constraints do not hold at the out-of-domain point")) { try Verifier.verify(proof, input: input, policy: .insecureTesting) }
        }
        // A single segment's own witness check fails for the same reason.
        var refusal = "accepted"
        do { _ = try Prover.proveSegments([ToyAIRs.proverInput(air, ws[0])], options: options, checkWitness: true) } catch {
            refusal = "\(error)"
        }
        #expect(refusal.hasPrefix("invalid input: witness does not satisfy the AIR: Σ claimed sums + boundary = "), "\(refusal)")
    }

    /// Inputs made on demand: each segment's input is asked for once per
    /// phase (so only the segment being worked on is in memory) and the
    /// proofs verify together. An input that changes between the phases is
    /// refused. (The toy tables are too small for zero knowledge; the VM's
    /// segmented zero-knowledge proofs, whose phase 2 must reproduce phase
    /// 1's masked commitment, are VMSegmentTests.manySegmentsKeepTheFloor.)
    @Test func segmentInputsAreMadeOnDemandPerPhase() throws {
        let ws = segments()
        var requests = [Int]()
        let proofs = try Prover.proveSegments(count: ws.count, input: { i in
            requests.append(i)
            return ToyAIRs.proverInput(air, ws[i], statement: [7, UInt8(i)])
        }, options: options, checkWitness: true).proofs
        #expect(requests == [0, 1, 0, 1])
        #expect(accepts(proofs, inputs(ws)))
        var phase = 0
        #expect(throws: STARKError.invalidInput("segment 0: the witness changed between the two phases")) {
            _ = try Prover.proveSegments(count: ws.count, input: { i in
                defer { phase += 1 }
                var w = ws[i]
                if phase == 2 { w.main[0][0][0] = w.main[0][0][0] + .one }
                return ToyAIRs.proverInput(air, w, statement: [7, UInt8(i)])
            }, options: options, checkWitness: false)
        }
    }

    @Test func reorderedDroppedDuplicatedOrForeignSegmentsAreRejected() throws {
        let ws = segments()
        let proofs = try prove(ws)
        let good = inputs(ws)
        #expect(!accepts([proofs[1], proofs[0]], [good[1], good[0]]))
        #expect(!accepts([proofs[1], proofs[0]], good))
        #expect(!accepts([proofs[0]], [good[0]]))
        #expect(!accepts([proofs[0], proofs[1], proofs[1]], [good[0], good[1], good[1]]))
        // Segment 1 of another run whose segment 1 balances the same way.
        let other = segments(seed: 5)
        let otherProofs = try prove(other)
        #expect(accepts(otherProofs, inputs(other)))
        #expect(!accepts([proofs[0], otherProofs[1]], [good[0], inputs(other)[1]]))
        // Replayed under another statement.
        #expect(!accepts(proofs, inputs(ws, statement: [8])))
    }

    @Test(arguments: [
        ("segment 0 link selector", 0, 0, 2, 0),
        ("segment 1 sink multiplicity", 1, 2, 2, 1),
        ("segment 1 range multiplicity", 1, 1, 0, 4),
        ("segment 1 value", 1, 0, 0, 3),
    ])
    func oneChangedCellInOneSegmentIsRejected(_ label: String, _ segment: Int, _ table: Int, _ column: Int, _ row: Int) throws {
        var ws = segments()
        ws[segment].main[table][column][row] = ws[segment].main[table][column][row] + .one
        let proofs = try prove(ws)
        #expect(!accepts(proofs, inputs(segments())), "\(label)")
    }
}
