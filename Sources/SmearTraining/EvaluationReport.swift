import Foundation
import SmearCells

/// A classified labelled cell: the truth and the model's probabilities.
public struct CellPrediction: Sendable, Equatable {
    public var cell: LabelledCell
    /// One probability per class, in `CellClass.allCases` order.
    public var probabilities: [Float]

    public init(cell: LabelledCell, probabilities: [Float]) {
        precondition(probabilities.count == CellClass.allCases.count, "one probability per cell class")
        self.cell = cell
        self.probabilities = probabilities
    }

    /// The most probable class (ties to the class listed first).
    public var predicted: CellClass {
        var best = 0
        for i in 1..<probabilities.count where probabilities[i] > probabilities[best] { best = i }
        return CellClass.allCases[best]
    }

    /// The probability of the blast class.
    public var blastProbability: Double {
        Double(zip(CellClass.allCases, probabilities).filter { $0.0.isBlast }.map(\.1).reduce(0, +))
    }
}

/// Blast-vs-rest figures: the decisions the pipeline makes and the ROC curve behind them.
public struct BlastVsRest: Sendable, Codable, Equatable {
    /// Calling a cell a blast when blast is its most probable class (what counts use).
    public var topClass: OperatingPoint
    /// Calling a cell a blast when P(blast) ≥ `threshold` (the stated operating threshold).
    public var atThreshold: OperatingPoint
    /// Area under the ROC curve of P(blast); `nil` without both blasts and other cells.
    public var auc: Double?
    /// The best sensitivity among thresholds with specificity ≥ 0.95, read off the curve
    /// (describes the model; the threshold is not chosen from it).
    public var atSpecificity95: OperatingPoint?
    /// The same curve with the promyelocyte cells left out (`nil` when there are none): how
    /// well blasts separate from every other class once the blast–promyelocyte boundary, where
    /// the signed labels vary most between slides, is set aside.
    public var withoutPromyelocytes: Separation?

    /// An ROC curve's summary.
    public struct Separation: Sendable, Codable, Equatable {
        /// Cells on the curve.
        public var cells: Int
        public var auc: Double?
        public var atSpecificity95: OperatingPoint?
    }
}

/// Everything `smearscan evaluate` reports about a model on labelled cells.
public struct EvaluationReport: Sendable, Codable, Equatable {
    /// The model evaluated.
    public struct ModelSummary: Sendable, Codable, Equatable {
        public var name: String
        public var path: String
        public var sha256: String
        public init(name: String, path: String, sha256: String) {
            self.name = name
            self.path = path
            self.sha256 = sha256
        }
    }

    /// A dataset evaluated.
    public struct DatasetSummary: Sendable, Codable, Equatable {
        public var name: String
        public var root: String
        public var layout: DatasetLayout
        public var images: Int
        public var unknownLabels: [String: Int]
        public var ignoredImages: Int
    }

    /// An image that gave no cell to score, and why.
    public struct Skipped: Sendable, Codable, Equatable {
        public var path: String
        public var reason: String
        /// The image's labelled class.
        public var truth: String?
        public init(path: String, reason: String, truth: String? = nil) {
            self.path = path
            self.reason = reason
            self.truth = truth
        }
    }

    public var notice: String
    public var softwareVersion: String
    public var model: ModelSummary
    public var datasets: [DatasetSummary]
    /// How cells were cut: e.g. "locator crop (CellPipeline)".
    public var cropPath: String
    /// Labelled images in, cells scored.
    public var images: Int
    public var cellsEvaluated: Int
    /// Images that failed to decode.
    public var failedImages: [Skipped]
    /// Images where the pipeline found no cell to score.
    public var notLocated: [Skipped]
    public var classes: [String]
    public var metrics: ClassificationMetrics
    public var confusion: ConfusionMatrix
    public var blastVsRest: BlastVsRest
    public var calibration: CalibrationError
    /// Per-slide blast percentages (slide layouts only).
    public var slides: SlideBlastAgreement?
    /// 95% intervals of the headline figures by resampling slides (`nil` when not asked for).
    public var intervals: SlideBootstrap?
    /// This model against another on the same cells (`evaluate --compare`).
    public var comparison: ModelComparison?

    /// Computes every figure from the predictions.
    public init(predictions: [CellPrediction], datasets: [CellDataset], model: ModelSummary, cropPath: String,
                failedImages: [Skipped] = [], notLocated: [Skipped] = [], blastThreshold: Double = 0.5,
                minSupport: Int = 20, bootstrapResamples: Int = 0, notice: String, softwareVersion: String) {
        self.notice = notice
        self.softwareVersion = softwareVersion
        self.model = model
        self.cropPath = cropPath
        self.datasets = datasets.map {
            DatasetSummary(name: $0.name, root: $0.root, layout: $0.layout, images: $0.cells.count,
                           unknownLabels: $0.unknownLabels, ignoredImages: $0.ignoredImages)
        }
        self.failedImages = failedImages
        self.notLocated = notLocated
        images = predictions.count + failedImages.count + notLocated.count
        cellsEvaluated = predictions.count
        let classes = CellClass.allCases
        self.classes = classes.map(\.rawValue)
        var confusion = ConfusionMatrix(classes: self.classes)
        for p in predictions {
            confusion.add(truth: classes.firstIndex(of: p.cell.cellClass)!, predicted: classes.firstIndex(of: p.predicted)!)
        }
        self.confusion = confusion
        metrics = ClassificationMetrics(confusion, minSupport: minSupport)

        let isBlast = predictions.map(\.cell.cellClass.isBlast)
        let scores = predictions.map(\.blastProbability)
        let roc = ROCCurve(scores: scores, isPositive: isBlast)
        let top = ROCCurve(scores: predictions.map { $0.predicted.isBlast ? 1 : 0 }, isPositive: isBlast)
        // Only when there are promyelocytes to leave out; otherwise it would repeat `roc`.
        let kept = predictions.indices.filter { predictions[$0].cell.cellClass != .promyelocyte }
        let withoutPromyelocytes = kept.count == predictions.count ? nil : ROCCurve(scores: kept.map { scores[$0] },
                                                                                    isPositive: kept.map { isBlast[$0] })
        blastVsRest = BlastVsRest(topClass: top.operatingPoint(threshold: 1), atThreshold: roc.operatingPoint(threshold: blastThreshold),
                                  auc: roc.auc, atSpecificity95: roc.bestSensitivity(atSpecificity: 0.95),
                                  withoutPromyelocytes: withoutPromyelocytes.map {
                                      .init(cells: kept.count, auc: $0.auc, atSpecificity95: $0.bestSensitivity(atSpecificity: 0.95))
                                  })
        calibration = CalibrationError(confidences: predictions.map { Double($0.probabilities.max() ?? 0) },
                                       correct: predictions.map { $0.predicted == $0.cell.cellClass })

        let slideCells = predictions.compactMap { p in p.cell.slide.map { (slide: $0, truth: p.cell.cellClass, predicted: p.predicted) } }
        if slideCells.isEmpty {
            slides = nil
        } else {
            slides = SlideBlastAgreement(cells: slideCells, signed: Self.signedDifferentials(datasets))
        }
        intervals = SlideBootstrap(predictions: predictions, slideErrors: slides?.absoluteErrors ?? [:],
                                   supportedClasses: metrics.classesWithMinSupport.compactMap(CellClass.init(rawValue:)),
                                   resamples: bootstrapResamples)
    }

    /// The signed differential of every slide the datasets' `slides.csv` files list.
    public static func signedDifferentials(_ datasets: [CellDataset]) -> [String: SlideRecord] {
        var signed: [String: SlideRecord] = [:]
        for dataset in datasets { signed.merge(dataset.slideTable?.slides ?? [:]) { a, _ in a } }
        return signed
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
