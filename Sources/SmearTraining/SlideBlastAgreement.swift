import SmearCells

/// Per-slide blast percentage, predicted against the truth, and the mean absolute error.
///
/// The predicted percentage counts the model's classes of every evaluated cell of the slide;
/// the true one comes from the signed differential (`slides.csv`) when there is one, else
/// from the labels of the evaluated cells. The same is done for blasts and promyelocytes
/// together (`BlastPercentage.withPromyelocytes`), and both errors are broken down by the
/// diagnosis `slides.csv` gives, so a report shows where a slide error comes from.
public struct SlideBlastAgreement: Sendable, Codable, Equatable {
    /// One slide.
    public struct Slide: Sendable, Codable, Equatable {
        public var slide: String
        public var cells: Int
        /// The diagnosis from `slides.csv`, when known.
        public var diagnosis: String?
        /// Percentage points, blasts over counted leukocytes.
        public var trueBlastPercent: Double?
        public var predictedBlastPercent: Double?
        /// Percentage points, blasts and promyelocytes together over counted leukocytes.
        public var trueBlastPromyelocytePercent: Double?
        public var predictedBlastPromyelocytePercent: Double?
        /// Where the truth comes from: "signed differential" or "image labels".
        public var truthSource: String
        /// |predicted − true| in percentage points, when both exist.
        public var absoluteError: Double? { Self.error(trueBlastPercent, predictedBlastPercent) }
        /// The same for blasts and promyelocytes together.
        public var blastPromyelocyteError: Double? { Self.error(trueBlastPromyelocytePercent, predictedBlastPromyelocytePercent) }

        static func error(_ truth: Double?, _ predicted: Double?) -> Double? {
            guard let truth, let predicted else { return nil }
            return abs(predicted - truth)
        }

        enum CodingKeys: String, CodingKey {
            case slide, cells, diagnosis, trueBlastPercent, predictedBlastPercent, truthSource, absoluteError
            case trueBlastPromyelocytePercent, predictedBlastPromyelocytePercent, blastPromyelocyteError
        }

        public init(slide: String, cells: Int, diagnosis: String? = nil, trueBlastPercent: Double?, predictedBlastPercent: Double?,
                    trueBlastPromyelocytePercent: Double? = nil, predictedBlastPromyelocytePercent: Double? = nil,
                    truthSource: String) {
            self.slide = slide
            self.cells = cells
            self.diagnosis = diagnosis
            self.trueBlastPercent = trueBlastPercent
            self.predictedBlastPercent = predictedBlastPercent
            self.trueBlastPromyelocytePercent = trueBlastPromyelocytePercent
            self.predictedBlastPromyelocytePercent = predictedBlastPromyelocytePercent
            self.truthSource = truthSource
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            slide = try c.decode(String.self, forKey: .slide)
            cells = try c.decode(Int.self, forKey: .cells)
            diagnosis = try c.decodeIfPresent(String.self, forKey: .diagnosis)
            trueBlastPercent = try c.decodeIfPresent(Double.self, forKey: .trueBlastPercent)
            predictedBlastPercent = try c.decodeIfPresent(Double.self, forKey: .predictedBlastPercent)
            trueBlastPromyelocytePercent = try c.decodeIfPresent(Double.self, forKey: .trueBlastPromyelocytePercent)
            predictedBlastPromyelocytePercent = try c.decodeIfPresent(Double.self, forKey: .predictedBlastPromyelocytePercent)
            truthSource = try c.decode(String.self, forKey: .truthSource)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(slide, forKey: .slide)
            try c.encode(cells, forKey: .cells)
            try c.encode(diagnosis, forKey: .diagnosis)
            try c.encode(trueBlastPercent, forKey: .trueBlastPercent)
            try c.encode(predictedBlastPercent, forKey: .predictedBlastPercent)
            try c.encode(truthSource, forKey: .truthSource)
            try c.encode(absoluteError, forKey: .absoluteError)
            try c.encode(trueBlastPromyelocytePercent, forKey: .trueBlastPromyelocytePercent)
            try c.encode(predictedBlastPromyelocytePercent, forKey: .predictedBlastPromyelocytePercent)
            try c.encode(blastPromyelocyteError, forKey: .blastPromyelocyteError)
        }
    }

    /// The mean errors over the slides of one diagnosis.
    public struct DiagnosisGroup: Sendable, Codable, Equatable {
        public var diagnosis: String
        public var slides: Int
        public var blastMeanAbsoluteError: Double?
        public var blastPromyelocyteMeanAbsoluteError: Double?
    }

    public var slides: [Slide]
    /// Mean of the slides' absolute errors (slides with both percentages), in percentage points.
    public var meanAbsoluteError: Double?
    /// The same for blasts and promyelocytes together.
    public var blastPromyelocyteMeanAbsoluteError: Double?
    /// Both means per diagnosis, in name order (empty when no slide has a diagnosis).
    public var byDiagnosis: [DiagnosisGroup]

    /// Each slide's absolute error, for the slides that have one.
    public var absoluteErrors: [String: Double] {
        Dictionary(uniqueKeysWithValues: slides.compactMap { s in s.absoluteError.map { (s.slide, $0) } })
    }

    /// Builds the comparison from each slide's true labels and predicted classes.
    /// - Parameters:
    ///   - cells: (slide, true class, predicted class) per evaluated cell.
    ///   - signed: the signed differential per slide, when known.
    public init(cells: [(slide: String, truth: CellClass, predicted: CellClass)], signed: [String: SlideRecord] = [:]) {
        var truthCounts: [String: [CellClass: Int]] = [:], predictedCounts: [String: [CellClass: Int]] = [:]
        var cellCounts: [String: Int] = [:]
        for cell in cells {
            truthCounts[cell.slide, default: [:]][cell.truth, default: 0] += 1
            predictedCounts[cell.slide, default: [:]][cell.predicted, default: 0] += 1
            cellCounts[cell.slide, default: 0] += 1
        }
        slides = cellCounts.keys.sorted().map { name in
            let record = signed[name]
            let truth = record?.signedCounts ?? truthCounts[name] ?? [:], predicted = predictedCounts[name] ?? [:]
            return Slide(slide: name, cells: cellCounts[name] ?? 0, diagnosis: record?.diagnosis,
                         trueBlastPercent: BlastPercentage.of(truth), predictedBlastPercent: BlastPercentage.of(predicted),
                         trueBlastPromyelocytePercent: BlastPercentage.withPromyelocytes(truth),
                         predictedBlastPromyelocytePercent: BlastPercentage.withPromyelocytes(predicted),
                         truthSource: record == nil ? "image labels" : "signed differential")
        }
        meanAbsoluteError = slides.compactMap(\.absoluteError).mean
        blastPromyelocyteMeanAbsoluteError = slides.compactMap(\.blastPromyelocyteError).mean
        let grouped = Dictionary(grouping: slides.filter { $0.diagnosis != nil }, by: { $0.diagnosis! })
        byDiagnosis = grouped.keys.sorted().map { d in
            let group = grouped[d]!
            return DiagnosisGroup(diagnosis: d, slides: group.count,
                                  blastMeanAbsoluteError: group.compactMap(\.absoluteError).mean,
                                  blastPromyelocyteMeanAbsoluteError: group.compactMap(\.blastPromyelocyteError).mean)
        }
    }
}
