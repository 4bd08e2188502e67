extension Collection where Element == Double {
    /// The arithmetic mean, summed in order; `nil` when empty.
    var mean: Double? { isEmpty ? nil : reduce(0, +) / Double(count) }
}
