/// Counts of (true class, predicted class) pairs over a fixed list of classes.
public struct ConfusionMatrix: Sendable, Codable, Equatable {
    /// Class names, in row and column order.
    public var classes: [String]
    /// `counts[truth][predicted]`.
    public var counts: [[Int]]

    /// An empty matrix over `classes`.
    public init(classes: [String]) {
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes.count), count: classes.count)
    }

    /// Counts one example.
    public mutating func add(truth: Int, predicted: Int, count: Int = 1) {
        counts[truth][predicted] += count
    }

    /// Examples of class `i` in the truth (row sum).
    public func support(_ i: Int) -> Int { counts[i].reduce(0, +) }
    /// Examples predicted as class `i` (column sum).
    public func predictedCount(_ i: Int) -> Int { counts.reduce(0) { $0 + $1[i] } }
    /// All examples.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Examples on the diagonal.
    public var correct: Int { classes.indices.reduce(0) { $0 + counts[$1][$1] } }
}
