import Foundation
import ONNXProto

/// Decodes `TensorProto`s into `ConstTensor`s: float, double, float16 and
/// integer element types, typed fields or little-endian `raw_data`, and
/// external data files that must lie inside the model's folder. Counts are
/// checked against the shape before anything is allocated; NaN and ±∞ are
/// refused with the tensor's name and the element's index.
struct TensorReader {
    let folder: URL?
    let limits: ImportLimits

    func read(_ t: Onnx_TensorProto, what: String) throws(ImportError) -> ConstTensor {
        let shape = t.dims.map { Int(clamping: $0) }
        try ModelLoader.checkShape(shape, what: what, limits: limits)
        let count = shape.reduce(1, *)
        let type = Onnx_TensorProto.DataType(rawValue: Int(t.dataType)) ?? .undefined
        guard let width = Self.byteWidth(type) else { throw ImportError("\(what): element type \(type) is not supported") }
        let raw: Data? = t.dataLocation == .external
            ? try external(t, what: what, expected: count * width)
            : (t.rawData.isEmpty ? nil : t.rawData)
        var values: [Double]
        if let raw {
            guard raw.count == count * width else {
                throw ImportError("\(what): \(raw.count) data bytes for \(count) elements of \(width) bytes")
            }
            values = Self.decodeRaw(raw, type: type, count: count)
        } else {
            switch type {
            case .float: values = t.floatData.map(Double.init)
            case .double: values = t.doubleData
            case .int64: values = t.int64Data.map(Double.init)
            case .uint64: values = t.uint64Data.map(Double.init)
            case .float16: values = t.int32Data.map { Double(Float16(bitPattern: UInt16(truncatingIfNeeded: $0))) }
            default: values = t.int32Data.map(Double.init)
            }
            guard values.count == count else { throw ImportError("\(what): \(values.count) values for shape \(shape)") }
        }
        // Infinities may stand for masks (Where(c, −∞, x) before Softmax);
        // any other use is refused where a constant becomes stored weights.
        if let bad = values.firstIndex(where: \.isNaN) {
            throw ImportError("\(what): element \(bad) is nan (NaN is refused)")
        }
        return ConstTensor(shape: shape, values: values, isInteger: ![.float, .double, .float16].contains(type),
                           elementType: type.rawValue)
    }

    static func byteWidth(_ type: Onnx_TensorProto.DataType) -> Int? {
        switch type {
        case .float, .int32, .uint32: 4
        case .double, .int64, .uint64: 8
        case .float16, .int16, .uint16: 2
        case .int8, .uint8, .bool: 1
        default: nil
        }
    }

    static func decodeRaw(_ raw: Data, type: Onnx_TensorProto.DataType, count: Int) -> [Double] {
        raw.withUnsafeBytes { (b: UnsafeRawBufferPointer) -> [Double] in
            (0..<count).map { i -> Double in
                switch type {
                case .float: Double(Float(bitPattern: b.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian))
                case .double: Double(bitPattern: b.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian)
                case .int32: Double(Int32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                case .uint32: Double(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case .int64: Double(Int64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                case .uint64: Double(UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
                case .float16: Double(Float16(bitPattern: UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                case .int16: Double(Int16(littleEndian: b.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
                case .uint16: Double(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                case .int8: Double(Int8(bitPattern: b[i]))
                default: Double(b[i])   // uint8, bool
                }
            }
        }
    }

    /// Reads external data: `location` must be a relative path that stays
    /// inside the model's folder (after resolving symbolic links).
    func external(_ t: Onnx_TensorProto, what: String, expected: Int) throws(ImportError) -> Data {
        guard let folder else { throw ImportError("\(what): external data is not allowed here") }
        var entries = [String: String]()
        for e in t.externalData { entries[e.key] = e.value }
        guard let location = entries["location"], !location.isEmpty else { throw ImportError("\(what): external data without a location") }
        guard !location.hasPrefix("/"), !location.split(separator: "/").contains(".."), !location.contains("\\") else {
            throw ImportError("\(what): external data path '\(location)' leaves the model's folder")
        }
        let base = folder.resolvingSymlinksInPath().standardizedFileURL
        let file = base.appendingPathComponent(location).resolvingSymlinksInPath().standardizedFileURL
        guard file.path.hasPrefix(base.path + "/") else {
            throw ImportError("\(what): external data path '\(location)' leaves the model's folder")
        }
        let offset = Int(entries["offset"] ?? "0") ?? -1
        let length = entries["length"].map { Int($0) ?? -1 } ?? expected
        guard offset >= 0, length == expected else {
            throw ImportError("\(what): external data offset \(entries["offset"] ?? "0") / length \(entries["length"] ?? "-") do not match \(expected) bytes")
        }
        guard let handle = try? FileHandle(forReadingFrom: file) else { throw ImportError("\(what): cannot open external data '\(location)'") }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: length) ?? Data()
            guard data.count == length else { throw ImportError("\(what): external data '\(location)' is shorter than \(offset + length) bytes") }
            return data
        } catch let e as ImportError {
            throw e
        } catch {
            throw ImportError("\(what): cannot read external data '\(location)': \(error)")
        }
    }
}
