/// Expected calibration error: how far a classifier's confidence is from its accuracy.
///
/// Predictions are grouped by confidence (the top class probability) into equal-width
/// bins (lo, hi] over [0, 1]; ECE = Σ (bin size / n) · |accuracy(bin) − mean confidence(bin)|.
public struct CalibrationError: Sendable, Codable, Equatable {
    /// One confidence bin.
    public struct Bin: Sendable, Codable, Equatable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var accuracy: Double
        public var meanConfidence: Double
    }

    /// The ECE, in [0, 1].
    public var expected: Double
    /// The largest |accuracy − confidence| over non-empty bins.
    public var maximum: Double
    public var bins: [Bin]

    /// ECE of `confidences` (top-class probabilities) against whether each top class was right.
    public init(confidences: [Double], correct: [Bool], binCount: Int = 15) {
        precondition(confidences.count == correct.count, "one correctness value per confidence")
        precondition(binCount > 0, "at least one bin")
        var counts = [Int](repeating: 0, count: binCount)
        var hits = [Int](repeating: 0, count: binCount)
        var confidenceSums = [Double](repeating: 0, count: binCount)
        for (confidence, right) in zip(confidences, correct) {
            let c = min(1, max(0, confidence))
            let bin = min(binCount - 1, max(0, Int((c * Double(binCount)).rounded(.up)) - 1))
            counts[bin] += 1
            if right { hits[bin] += 1 }
            confidenceSums[bin] += c
        }
        let n = Double(confidences.count)
        var ece = 0.0, worst = 0.0
        bins = (0..<binCount).map { i in
            let count = counts[i]
            let accuracy = count > 0 ? Double(hits[i]) / Double(count) : 0
            let mean = count > 0 ? confidenceSums[i] / Double(count) : 0
            if count > 0 {
                ece += Double(count) / n * abs(accuracy - mean)
                worst = max(worst, abs(accuracy - mean))
            }
            return Bin(lower: Double(i) / Double(binCount), upper: Double(i + 1) / Double(binCount),
                       count: count, accuracy: accuracy, meanConfidence: mean)
        }
        expected = ece
        maximum = worst
    }
}
