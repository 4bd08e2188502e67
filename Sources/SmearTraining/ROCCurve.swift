/// A binary classifier's scores against the truth: ROC AUC and operating points.
///
/// Scores are probabilities of the positive class (e.g. P(blast)); a cell is called
/// positive when its score is at or above the threshold.
public struct ROCCurve: Sendable {
    /// Scores of positive and negative examples.
    public let positives: [Double]
    public let negatives: [Double]

    public init(scores: [Double], isPositive: [Bool]) {
        precondition(scores.count == isPositive.count, "one truth value per score")
        positives = zip(scores, isPositive).filter { $0.1 }.map(\.0)
        negatives = zip(scores, isPositive).filter { !$0.1 }.map(\.0)
    }

    /// The area under the ROC curve: the probability that a random positive scores above
    /// a random negative, ties counting one half (Mann–Whitney U with mid-ranks, exact).
    /// `nil` without both positives and negatives.
    public var auc: Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let all = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var positiveRankSum = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
            let midRank = Double(i + j + 2) / 2  // ranks are 1-based
            for k in i...j where all[k].1 { positiveRankSum += midRank }
            i = j + 1
        }
        let np = Double(positives.count), nn = Double(negatives.count)
        return (positiveRankSum - np * (np + 1) / 2) / (np * nn)
    }

    /// Sensitivity and specificity when scores ≥ `threshold` are called positive.
    public func operatingPoint(threshold: Double) -> OperatingPoint {
        let tp = positives.filter { $0 >= threshold }.count
        let tn = negatives.filter { $0 < threshold }.count
        return OperatingPoint(threshold: threshold, truePositives: tp, falseNegatives: positives.count - tp,
                              trueNegatives: tn, falsePositives: negatives.count - tn)
    }

    /// The operating point with the highest sensitivity among thresholds whose specificity is
    /// at least `specificity` (a point read off the curve: describing a model, not choosing
    /// its threshold). `nil` without both positives and negatives.
    public func bestSensitivity(atSpecificity specificity: Double) -> OperatingPoint? {
        guard !negatives.isEmpty, !positives.isEmpty else { return nil }
        // Lowering the threshold raises sensitivity and lowers specificity, so the answer is
        // the lowest candidate threshold (a distinct score, or just above the top) that
        // still keeps enough negatives below it. One sweep over the sorted negatives keeps
        // this O(n log n), which bootstrap intervals need (a thousand curves per report).
        let candidates = Array(Set(positives + negatives)).sorted() + [Double.infinity]
        let sortedNegatives = negatives.sorted()
        var below = 0
        for t in candidates {
            while below < sortedNegatives.count && sortedNegatives[below] < t { below += 1 }
            let point = OperatingPoint(threshold: t, truePositives: 0, falseNegatives: 0,
                                       trueNegatives: below, falsePositives: sortedNegatives.count - below)
            if point.specificity >= specificity { return operatingPoint(threshold: t) }
        }
        return nil
    }
}

/// Confusion counts of a binary decision at one threshold.
public struct OperatingPoint: Sendable, Codable, Equatable {
    public var threshold: Double
    public var truePositives: Int
    public var falseNegatives: Int
    public var trueNegatives: Int
    public var falsePositives: Int

    /// True positives over positives (0 without positives).
    public var sensitivity: Double {
        let n = truePositives + falseNegatives
        return n > 0 ? Double(truePositives) / Double(n) : 0
    }
    /// True negatives over negatives (0 without negatives).
    public var specificity: Double {
        let n = trueNegatives + falsePositives
        return n > 0 ? Double(trueNegatives) / Double(n) : 0
    }

    enum CodingKeys: String, CodingKey {
        case threshold, truePositives, falseNegatives, trueNegatives, falsePositives, sensitivity, specificity
    }

    public init(threshold: Double, truePositives: Int, falseNegatives: Int, trueNegatives: Int, falsePositives: Int) {
        self.threshold = threshold
        self.truePositives = truePositives
        self.falseNegatives = falseNegatives
        self.trueNegatives = trueNegatives
        self.falsePositives = falsePositives
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        threshold = try c.decode(Double.self, forKey: .threshold)
        truePositives = try c.decode(Int.self, forKey: .truePositives)
        falseNegatives = try c.decode(Int.self, forKey: .falseNegatives)
        trueNegatives = try c.decode(Int.self, forKey: .trueNegatives)
        falsePositives = try c.decode(Int.self, forKey: .falsePositives)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // JSON has no infinity: "above every score" is written as a threshold of 1.0+.
        try c.encode(threshold.isFinite ? threshold : 1.000001, forKey: .threshold)
        try c.encode(truePositives, forKey: .truePositives)
        try c.encode(falseNegatives, forKey: .falseNegatives)
        try c.encode(trueNegatives, forKey: .trueNegatives)
        try c.encode(falsePositives, forKey: .falsePositives)
        try c.encode(sensitivity, forKey: .sensitivity)
        try c.encode(specificity, forKey: .specificity)
    }
}
