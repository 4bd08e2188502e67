/// Precision, recall and F1 of one class.
public struct ClassMetrics: Sendable, Codable, Equatable {
    public var className: String
    /// Correct predictions of the class over all predictions of it (0 when never predicted).
    public var precision: Double
    /// Correct predictions of the class over its true examples (0 when it has none).
    public var recall: Double
    /// Harmonic mean of precision and recall (0 when both are 0).
    public var f1: Double
    /// True examples of the class.
    public var support: Int

    enum CodingKeys: String, CodingKey {
        case className = "class", precision, recall, f1, support
    }
}

/// Accuracy, per-class precision/recall/F1 and macro-F1 from a confusion matrix.
///
/// Macro-F1 averages F1 over the classes present in the truth (support > 0): a class absent
/// from the evaluated cells has no recall to speak of, and its false positives already
/// lower the recall of the classes they were taken from. `macroF1MinSupport` averages only
/// classes with at least `minSupport` true examples, where F1 is not dominated by noise.
public struct ClassificationMetrics: Sendable, Codable, Equatable {
    public var total: Int
    public var accuracy: Double
    public var macroF1: Double
    /// The support threshold of `macroF1MinSupport`.
    public var minSupport: Int
    public var macroF1MinSupport: Double
    /// Classes counted in `macroF1MinSupport`.
    public var classesWithMinSupport: [String]
    public var perClass: [ClassMetrics]

    public init(_ confusion: ConfusionMatrix, minSupport: Int = 20) {
        total = confusion.total
        accuracy = total > 0 ? Double(confusion.correct) / Double(total) : 0
        perClass = confusion.classes.indices.map { i in
            let tp = Double(confusion.counts[i][i])
            let predicted = Double(confusion.predictedCount(i)), support = confusion.support(i)
            let precision = predicted > 0 ? tp / predicted : 0
            let recall = support > 0 ? tp / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return ClassMetrics(className: confusion.classes[i], precision: precision, recall: recall, f1: f1, support: support)
        }
        self.minSupport = minSupport
        let present = perClass.filter { $0.support > 0 }
        macroF1 = present.map(\.f1).mean ?? 0
        let supported = perClass.filter { $0.support >= minSupport }
        macroF1MinSupport = supported.map(\.f1).mean ?? 0
        classesWithMinSupport = supported.map(\.className)
    }
}
