import SmearCells

/// Two models measured on the same cells, with paired bootstrap intervals of their differences.
///
/// Separate intervals for two models overlap even when one is better on nearly every slide,
/// because most of their width is which slides happened to be held out, and that is shared.
/// Drawing the same slides for both models on every resample and taking the difference there
/// removes the shared part. Only cells both models scored are compared (a model with another
/// input scale decodes and locates differently, and may miss other images).
public struct ModelComparison: Sendable, Codable, Equatable {
    /// One headline figure for both models.
    public struct Figure: Sendable, Codable, Equatable {
        /// e.g. "accuracy", "slide_blast_mae".
        public var name: String
        public var baseline: Double?
        public var candidate: Double?
        /// candidate − baseline.
        public var difference: Double?
        /// The paired bootstrap interval of the difference.
        public var differenceInterval: SlideBootstrap.Interval?
        /// Whether a larger value is better (false for errors).
        public var higherIsBetter: Bool
    }

    public var baseline: EvaluationReport.ModelSummary
    public var candidate: EvaluationReport.ModelSummary
    /// Cells scored by both models.
    public var cellsCompared: Int
    /// Classes with at least `minSupport` of the compared cells (the macro-F1 figure's).
    public var classesWithMinSupport: [String]
    public var units: Int
    public var resamples: Int
    public var seed: UInt64
    public var confidence: Double
    public var figures: [Figure]

    /// Compares `candidate` with `baseline` on the cells both scored.
    /// - Parameter signed: the signed differential per slide, for the slide blast-% error.
    public init(baseline: EvaluationReport.ModelSummary, baselinePredictions: [CellPrediction],
                candidate: EvaluationReport.ModelSummary, candidatePredictions: [CellPrediction],
                signed: [String: SlideRecord] = [:], minSupport: Int = 20,
                resamples: Int = 1000, seed: UInt64 = 1, confidence: Double = 0.95) {
        self.baseline = baseline
        self.candidate = candidate
        self.resamples = resamples
        self.seed = seed
        self.confidence = confidence
        // The same cells in the same order for both, so their units line up.
        let shared = Set(baselinePredictions.map(\.cell)).intersection(candidatePredictions.map(\.cell))
        func common(_ predictions: [CellPrediction]) -> [CellPrediction] {
            predictions.filter { shared.contains($0.cell) }.sorted { $0.cell.path < $1.cell.path }
        }
        let a = common(baselinePredictions), b = common(candidatePredictions)
        cellsCompared = a.count
        let support = Dictionary(grouping: a, by: \.cell.cellClass).mapValues(\.count)
        let supported = CellClass.allCases.filter { support[$0, default: 0] >= minSupport }
        classesWithMinSupport = supported.map(\.rawValue)
        let unitsA = SlideBootstrap.units(of: a, slideErrors: Self.slideErrors(a, signed: signed))
        let unitsB = SlideBootstrap.units(of: b, slideErrors: Self.slideErrors(b, signed: signed))
        units = unitsA.count
        let classes = SlideBootstrap.classIndices(supported)
        let all = Array(unitsA.indices)
        let pointA = SlideBootstrap.Figures(units: unitsA, drawn: all, classes: classes)
        let pointB = SlideBootstrap.Figures(units: unitsB, drawn: all, classes: classes)
        var differences: [[Double?]] = Array(repeating: [], count: Self.names.count)
        if unitsA.count >= 2 {
            SlideBootstrap.resample(unitCount: unitsA.count, resamples: resamples, seed: seed) { drawn in
                let fa = SlideBootstrap.Figures(units: unitsA, drawn: drawn, classes: classes)
                let fb = SlideBootstrap.Figures(units: unitsB, drawn: drawn, classes: classes)
                for (i, pair) in zip(Self.values(fa), Self.values(fb)).enumerated() {
                    differences[i].append(Self.difference(pair.0, pair.1))
                }
            }
        }
        let valuesA = Self.values(pointA), valuesB = Self.values(pointB)
        figures = Self.names.indices.map { i in
            let va = valuesA[i], vb = valuesB[i]
            return Figure(name: Self.names[i], baseline: va, candidate: vb, difference: Self.difference(va, vb),
                          differenceInterval: differences[i].isEmpty ? nil : SlideBootstrap.interval(differences[i], confidence: confidence),
                          higherIsBetter: Self.names[i] != "slide_blast_mae")
        }
    }

    static let names = ["accuracy", "macro_f1_min_support", "blast_auc", "sensitivity_at_specificity_95", "slide_blast_mae"]

    static func values(_ f: SlideBootstrap.Figures) -> [Double?] {
        [f.accuracy, f.macroF1, f.auc, f.sensitivityAtSpecificity95, f.slideBlastMAE]
    }

    static func difference(_ baseline: Double?, _ candidate: Double?) -> Double? {
        guard let baseline, let candidate else { return nil }
        return candidate - baseline
    }

    /// Each slide's absolute blast-% error for these predictions.
    static func slideErrors(_ predictions: [CellPrediction], signed: [String: SlideRecord]) -> [String: Double] {
        let cells = predictions.compactMap { p in p.cell.slide.map { (slide: $0, truth: p.cell.cellClass, predicted: p.predicted) } }
        return SlideBlastAgreement(cells: cells, signed: signed).absoluteErrors
    }
}
