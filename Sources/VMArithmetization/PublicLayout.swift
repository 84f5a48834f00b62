import Field
import ISA

/// Where a program's public tensors live in memory: all a verifier needs of
/// the program to check a statement's public inputs and outputs and to put
/// them on the public-I/O bus (Spec/vm-air.md §5). Part of the verification key.
public struct PublicLayout: Sendable, Equatable {
    /// A public tensor: `count` cells from `address` on (row-major), raw
    /// fixed-point values at `scale` fractional bits (0…24), named as in the program.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var address: UInt32
        public var count: UInt32
        public var scale: Int
        public init(name: String, address: UInt32, count: UInt32, scale: Int) {
            self.name = name
            self.address = address
            self.count = count
            self.scale = scale
        }
    }

    /// Public input tensors, in declaration order.
    public var inputs: [Tensor]
    /// Public output tensors, in declaration order.
    public var outputs: [Tensor]

    public init(inputs: [Tensor], outputs: [Tensor]) {
        self.inputs = inputs
        self.outputs = outputs
    }

    public init(program: Program) {
        func tensors(_ kind: TensorKind) -> [Tensor] {
            program.tensors.filter { $0.kind == kind && $0.visibility == .public }
                .map { Tensor(name: $0.name, address: UInt32($0.address), count: UInt32($0.count), scale: $0.scale) }
        }
        self.init(inputs: tensors(.input), outputs: tensors(.output))
    }

    /// u32 count and per tensor (u16 name length, UTF-8 name, u32 address,
    /// u32 count, u8 scale), inputs then outputs.
    package func encode(into w: inout ByteWriter) {
        for group in [inputs, outputs] {
            w.write(UInt32(group.count))
            for t in group {
                let name = Array(t.name.utf8)
                w.write(UInt16(name.count)); w.write(raw: name)
                w.write(t.address); w.write(t.count); w.write(UInt8(t.scale))
            }
        }
    }

    package static func decode(from r: inout ByteReader) throws -> PublicLayout {
        var groups = [[Tensor]]()
        for _ in 0..<2 {
            let n = try r.readCount(maximum: Program.maxTensors, minimumItemSize: 11)
            var group = [Tensor]()
            for _ in 0..<n {
                let offset = r.offset
                let length = Int(try r.readUInt16())
                guard let name = String(validating: try r.readBytes(length), as: UTF8.self) else {
                    throw VMArithmetizationError.malformed("public tensor name at byte \(offset) is not UTF-8")
                }
                let t = Tensor(name: name, address: try r.readUInt32(), count: try r.readUInt32(), scale: Int(try r.readUInt8()))
                guard t.count >= 1, UInt64(t.address) + UInt64(t.count) <= UInt64(Program.maxMemory), t.scale <= FixedPoint.maxScale else {
                    throw VMArithmetizationError.malformed("public tensor at byte \(offset) outside memory or with a scale over \(FixedPoint.maxScale)")
                }
                group.append(t)
            }
            groups.append(group)
        }
        let layout = PublicLayout(inputs: groups[0], outputs: groups[1])
        try layout.validate()
        return layout
    }

    /// Throws unless names are identifiers (`Program.isValidName`), unique,
    /// and the tensors are disjoint: what a program's own validation
    /// guarantees, so a key cannot show forged labels.
    func validate() throws {
        let all = inputs + outputs
        for t in all where !Program.isValidName(t.name) {
            throw VMArithmetizationError.malformed("public tensor name '\(t.name.prefix(40).unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })' is not an identifier")
        }
        guard Set(all.map(\.name)).count == all.count else {
            throw VMArithmetizationError.malformed("public tensor names repeat")
        }
        let sorted = all.sorted { $0.address < $1.address }
        for (a, b) in zip(sorted, sorted.dropFirst()) where UInt64(a.address) + UInt64(a.count) > UInt64(b.address) {
            throw VMArithmetizationError.malformed("public tensors '\(a.name)' and '\(b.name)' overlap")
        }
    }
}
