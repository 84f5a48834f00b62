/// A dense height × width matrix of field elements stored row by row — the
/// layout Merkle leaves are hashed from (one row = one leaf, contiguous bytes).
public struct RowMajorMatrix: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `values[row * width + column]`.
    public private(set) var values: [Goldilocks]

    /// - Precondition: `values.count == width * height`, width ≥ 1.
    public init(width: Int, values: [Goldilocks]) {
        precondition(width >= 1 && values.count % width == 0, "matrix values must fill whole rows")
        self.width = width
        self.height = values.count / width
        self.values = values
    }

    /// Interleaves equal-length columns into rows.
    public init(columns: [[Goldilocks]]) {
        precondition(!columns.isEmpty, "a matrix needs at least one column")
        let height = columns[0].count
        precondition(columns.allSatisfy { $0.count == height }, "columns must have equal length")
        let width = columns.count
        var values = [Goldilocks](repeating: .zero, count: width * height)
        values.withUnsafeMutableBufferPointer { dst in
            for (c, column) in columns.enumerated() {
                column.withUnsafeBufferPointer { src in
                    for r in 0..<height { dst[r * width + c] = src[r] }
                }
            }
        }
        self.init(width: width, values: values)
    }

    public func row(_ index: Int) -> [Goldilocks] {
        precondition(index >= 0 && index < height, "row index out of range")
        return Array(values[index * width..<(index + 1) * width])
    }

    public subscript(row: Int, column: Int) -> Goldilocks {
        get {
            precondition(column >= 0 && column < width && row >= 0 && row < height, "matrix index out of range")
            return values[row * width + column]
        }
        set {
            precondition(column >= 0 && column < width && row >= 0 && row < height, "matrix index out of range")
            values[row * width + column] = newValue
        }
    }
}
