import ISA

/// What a run produced (Spec/vm.md).
public struct ExecutionResult: Sendable {
    public struct Output: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var scale: Int
        public var raw: [Int64]
        public var values: [Double] { raw.map { FixedPoint.dequantize($0, scale: scale) } }
    }

    public var outputs: [Output]
    /// Instructions executed (including `halt`).
    public var steps: Int
    /// Lookups per table index.
    public var lookups: [Int]
    /// Per table index: lookups whose input lay beyond the table's declared
    /// domain where its function still changes — their results are the
    /// clamped ones (Spec/isa.md §5), which a calibration that covers the
    /// inputs avoids.
    public var clampedLookups: [Int] = []
    /// Multiply-accumulates performed by tensor instructions and scalar multiplies.
    public var multiplyAccumulates: Int
    /// Every memory cell after `halt` (raw values; tensors at their addresses),
    /// for tools that inspect intermediate tensors (the importer's per-layer
    /// error report).
    public var memory: [Int64] = []
}
