import SmearCells

/// Percentile bootstrap intervals of an evaluation's headline figures, resampling slides.
///
/// Cells of one patient look alike, so a held-out set of 16 slides is closer to 16 pieces of
/// evidence than to 2,000: resampling cells would give intervals far too narrow. Each
/// resample draws as many slides as were evaluated, with replacement, keeping every cell of
/// a drawn slide; images of datasets without slides (class folders) are units of their own.
/// The draws come from a fixed seed, so a report is reproducible.
public struct SlideBootstrap: Sendable, Codable, Equatable {
    /// A two-sided percentile interval.
    public struct Interval: Sendable, Codable, Equatable {
        public var low: Double
        public var high: Double
        public init(low: Double, high: Double) {
            self.low = low
            self.high = high
        }
    }

    public var resamples: Int
    public var seed: UInt64
    /// Coverage of the intervals, e.g. 0.95.
    public var confidence: Double
    /// Units resampled: slides, plus images without a slide (each its own unit).
    public var units: Int
    /// How many of the units are images without a slide.
    public var imagesWithoutSlide: Int
    public var accuracy: Interval
    /// Macro-F1 over the classes the full evaluation counted in its ≥ min-support figure.
    public var macroF1MinSupport: Interval
    public var blastAUC: Interval?
    public var sensitivityAtSpecificity95: Interval?
    /// Mean absolute error of the per-slide blast percentage, in percentage points.
    public var slideBlastMAE: Interval?

    /// The intervals, or `nil` with fewer than two units or no resamples.
    /// - Parameters:
    ///   - predictions: the scored cells.
    ///   - slideErrors: each slide's absolute blast-% error, when it has one.
    ///   - supportedClasses: the classes of the ≥ min-support macro-F1.
    public init?(predictions: [CellPrediction], slideErrors: [String: Double], supportedClasses: [CellClass],
                 resamples: Int = 1000, seed: UInt64 = 1, confidence: Double = 0.95) {
        let units = Self.units(of: predictions, slideErrors: slideErrors)
        guard resamples > 0, units.count >= 2 else { return nil }
        self.resamples = resamples
        self.seed = seed
        self.confidence = confidence
        self.units = units.count
        imagesWithoutSlide = predictions.filter { $0.cell.slide == nil }.count

        let supported = Self.classIndices(supportedClasses)
        var figures: [Figures] = []
        Self.resample(unitCount: units.count, resamples: resamples, seed: seed) { drawn in
            figures.append(Figures(units: units, drawn: drawn, classes: supported))
        }
        let interval = { (values: [Double?]) in Self.interval(values, confidence: confidence) }
        accuracy = interval(figures.map(\.accuracy))!
        macroF1MinSupport = interval(figures.map(\.macroF1))!
        blastAUC = interval(figures.map(\.auc))
        sensitivityAtSpecificity95 = interval(figures.map(\.sensitivityAtSpecificity95))
        slideBlastMAE = interval(figures.map(\.slideBlastMAE))
    }

    /// The headline figures of one set of units (a resample, or all of them once).
    struct Figures {
        var accuracy: Double
        var macroF1: Double
        var auc: Double?
        var sensitivityAtSpecificity95: Double?
        var slideBlastMAE: Double?

        /// - Parameter classes: the macro-F1's classes (indices into `CellClass.allCases`);
        ///   those without true examples in `drawn` are left out, as `ClassificationMetrics` does.
        init(units: [Unit], drawn: [Int], classes: [Int]) {
            var confusion = ConfusionMatrix(classes: CellClass.allCases.map(\.rawValue))
            var scores: [Double] = [], positive: [Bool] = []
            var errorSum = 0.0, errorCount = 0
            for index in drawn {
                let unit = units[index]
                for (t, row) in unit.confusion.counts.enumerated() {
                    for (p, n) in row.enumerated() where n > 0 { confusion.add(truth: t, predicted: p, count: n) }
                }
                scores += unit.scores
                positive += unit.isBlast
                if let e = unit.error { errorSum += e; errorCount += 1 }
            }
            let metrics = ClassificationMetrics(confusion)
            accuracy = metrics.accuracy
            macroF1 = classes.map { metrics.perClass[$0] }.filter { $0.support > 0 }.map(\.f1).mean ?? 0
            let roc = ROCCurve(scores: scores, isPositive: positive)
            auc = roc.auc
            sensitivityAtSpecificity95 = roc.bestSensitivity(atSpecificity: 0.95)?.sensitivity
            slideBlastMAE = errorCount > 0 ? errorSum / Double(errorCount) : nil
        }
    }

    /// Calls `body` with the unit indices of each resample: `unitCount` draws with
    /// replacement, from a generator seeded with `seed` (the same draws for the same seed).
    static func resample(unitCount: Int, resamples: Int, seed: UInt64, _ body: ([Int]) -> Void) {
        var random = SplitMix64(seed: seed)
        var drawn = [Int](repeating: 0, count: unitCount)
        for _ in 0..<resamples {
            for i in drawn.indices { drawn[i] = random.below(unitCount) }
            body(drawn)
        }
    }

    /// The percentile interval of a figure over the resamples. A figure missing from some
    /// resamples (no blasts drawn) is summarised over the rest only when at least 90% have
    /// it; otherwise it is not stated.
    static func interval(_ values: [Double?], confidence: Double) -> Interval? {
        let present = values.compactMap { $0 }
        guard !present.isEmpty, present.count * 10 >= values.count * 9 else { return nil }
        let sorted = present.sorted(), tail = (1 - confidence) / 2
        return Interval(low: quantile(sorted, tail), high: quantile(sorted, 1 - tail))
    }

    static func classIndices(_ classes: [CellClass]) -> [Int] {
        classes.compactMap { CellClass.allCases.firstIndex(of: $0) }
    }

    /// One resampling unit: a slide's cells (or one image's), pre-summarised.
    struct Unit {
        var confusion: ConfusionMatrix
        var scores: [Double]
        var isBlast: [Bool]
        var error: Double?
    }

    /// Groups cells by dataset and slide, in a fixed order (first appearance).
    static func units(of predictions: [CellPrediction], slideErrors: [String: Double]) -> [Unit] {
        let classes = CellClass.allCases
        let empty = ConfusionMatrix(classes: classes.map(\.rawValue))
        var units: [Unit] = [], indexOfSlide: [String: Int] = [:]
        for p in predictions {
            let u: Int
            if let slide = p.cell.slide {
                let key = p.cell.dataset + "/" + slide
                if let known = indexOfSlide[key] {
                    u = known
                } else {
                    u = units.count
                    indexOfSlide[key] = u
                    units.append(Unit(confusion: empty, scores: [], isBlast: [], error: slideErrors[slide]))
                }
            } else {
                u = units.count
                units.append(Unit(confusion: empty, scores: [], isBlast: [], error: nil))
            }
            units[u].confusion.add(truth: classes.firstIndex(of: p.cell.cellClass)!, predicted: classes.firstIndex(of: p.predicted)!)
            units[u].scores.append(p.blastProbability)
            units[u].isBlast.append(p.cell.cellClass.isBlast)
        }
        return units
    }

    /// The `q` quantile of sorted values, interpolating between order statistics (Hyndman–Fan type 7).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let lower = Int(h.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
