/// What one micro-step computes from the values it read.
public struct MicroStepOutcome: Sendable, Equatable {
    /// The group's running value after this step: a sum (mac, sum), or the
    /// maximum so far (max, argmax); 0 for steps that do not accumulate.
    public var acc: Int64 = 0
    /// The flat index of the first maximum so far (argmax).
    public var accIndex: Int64 = 0
    /// 1 when the compared value is smaller (running max: the old maximum
    /// is below A; max/min: A < B), else 0.
    public var less: Int64 = 0
    /// The value the step writes (if it writes).
    public var result: Int64 = 0
    /// acc + half − result·2^s of a rescale (0 ≤ remainder < 2^s).
    public var remainder: Int64 = 0
    /// Clamp and lookup steps: A below / above the range, and A clamped into it.
    public var clampLow = false, clampHigh = false
    public var clamped: Int64 = 0

    @inlinable public init() {}
}

/// A micro-step whose arithmetic leaves the proven ranges.
public enum MicroStepFailure: Error, Equatable, Sendable {
    /// A partial sum outside ±2^61 (`FixedPoint.accumulatorBound`).
    case accumulator(String)
    /// A written result outside the value range V.
    case result(Int64)

    /// The offending value, in decimal.
    public var value: String {
        switch self {
        case .accumulator(let sum): sum
        case .result(let value): String(value)
        }
    }
}

extension MicroStep {
    /// The one definition of tensor arithmetic (Spec/vm-air.md §6, ISA
    /// semantics in Spec/isa.md §4): the VM executes tensor instructions
    /// step by step with it, and the prover fills the tensor table from the
    /// same function. Every partial sum must stay within ±2^61 (but a
    /// zip-mul's single product, `singleProduct`) and every written value in V.
    /// - Parameters:
    ///   - va, vb, vc, va1, vb1: the values read (0 where the step reads nothing).
    ///   - previousAcc, previousIndex: the group's running value and index
    ///     before this step (0 on a group's first step).
    ///   - tables: every lookup table's entries over the 16-bit domain.
    @inlinable
    public func evaluate(va: Int64, vb: Int64, vc: Int64, va1: Int64, vb1: Int64, previousAcc: Int64, previousIndex: Int64,
                         tables: [[Int64]]) throws(MicroStepFailure) -> MicroStepOutcome {
        var o = MicroStepOutcome()
        if accMac || accSum {
            let sum = Int128(previousAcc) + Int128(vc) + (accMac ? Int128(va) * Int128(vb) : Int128(va)) + Int128(va1) * Int128(vb1)
            let bound = Int128(FixedPoint.accumulatorBound)
            guard singleProduct || (sum >= -bound && sum < bound) else { throw .accumulator(String(sum)) }
            if singleProduct, !FixedPoint.productInRange(Int64(sum)) {
                // Only (−2^31)² = 2^62: rescaled by s ≤ 31 it is at least 2^31, outside V.
                let s = Int128(pow.trailingZeroBitCount)
                throw .result(Int64((sum + (s > 0 ? Int128(1) << (s - 1) : 0)) >> s))
            }
            o.acc = Int64(sum)
        }
        if accMax || accArgmax {
            o.less = groupFirst ? 1 : (previousAcc < va ? 1 : 0)
            o.acc = o.less == 1 ? va : previousAcc
            o.accIndex = o.less == 1 ? index : previousIndex
        }
        if resultRescale {
            o.result = FixedPoint.rescale(o.acc, shift: pow.trailingZeroBitCount)
            o.remainder = o.acc + half - o.result * pow
        } else if resultAcc { o.result = o.acc
        } else if resultIndex { o.result = o.accIndex
        } else if resultCopy { o.result = va
        } else if resultAdd { o.result = va + vb
        } else if resultSub { o.result = va - vb
        } else if resultMax || resultMin {
            o.less = va < vb ? 1 : 0
            o.result = resultMax ? Swift.max(va, vb) : Swift.min(va, vb)
        } else if resultClamp || resultLookup {
            o.clampLow = va < parameter1; o.clampHigh = va > parameter2
            let clamped = Swift.min(Swift.max(va, parameter1), parameter2)
            if resultClamp { o.result = clamped } else {
                // A lookup clamps A to its table's proven domain [parameter1, parameter2].
                o.clamped = clamped
                o.result = tables[Int(table)][Int(clamped - LookupTableSpec.domainMin)]
            }
        }
        if write && !FixedPoint.inRange(o.result) { throw .result(o.result) }
        return o
    }
}
