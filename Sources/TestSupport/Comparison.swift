/// The first index where two arrays differ (or the shorter length if one is a
/// prefix of the other), or nil when equal. Keeps test failures readable for
/// million-element arrays.
public func firstMismatch<T: Equatable>(_ a: [T], _ b: [T]) -> Int? {
    for i in 0..<min(a.count, b.count) where a[i] != b[i] { return i }
    return a.count == b.count ? nil : min(a.count, b.count)
}
