import SmearCells

/// Per-slide blast percentage, predicted against the truth, and the mean absolute error.
///
/// The predicted percentage counts the model's classes of every evaluated cell of the slide;
/// the true one comes from the signed differential (`slides.csv`) when there is one, else
/// from the labels of the evaluated cells.
public struct SlideBlastAgreement: Sendable, Codable, Equatable {
    /// One slide.
    public struct Slide: Sendable, Codable, Equatable {
        public var slide: String
        public var cells: Int
        /// Percentage points, blasts over counted leukocytes.
        public var trueBlastPercent: Double?
        public var predictedBlastPercent: Double?
        /// Where the truth comes from: "signed differential" or "image labels".
        public var truthSource: String
        /// |predicted − true| in percentage points, when both exist.
        public var absoluteError: Double? {
            guard let t = trueBlastPercent, let p = predictedBlastPercent else { return nil }
            return abs(p - t)
        }

        enum CodingKeys: String, CodingKey {
            case slide, cells, trueBlastPercent, predictedBlastPercent, truthSource, absoluteError
        }

        public init(slide: String, cells: Int, trueBlastPercent: Double?, predictedBlastPercent: Double?, truthSource: String) {
            self.slide = slide
            self.cells = cells
            self.trueBlastPercent = trueBlastPercent
            self.predictedBlastPercent = predictedBlastPercent
            self.truthSource = truthSource
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            slide = try c.decode(String.self, forKey: .slide)
            cells = try c.decode(Int.self, forKey: .cells)
            trueBlastPercent = try c.decodeIfPresent(Double.self, forKey: .trueBlastPercent)
            predictedBlastPercent = try c.decodeIfPresent(Double.self, forKey: .predictedBlastPercent)
            truthSource = try c.decode(String.self, forKey: .truthSource)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(slide, forKey: .slide)
            try c.encode(cells, forKey: .cells)
            try c.encode(trueBlastPercent, forKey: .trueBlastPercent)
            try c.encode(predictedBlastPercent, forKey: .predictedBlastPercent)
            try c.encode(truthSource, forKey: .truthSource)
            try c.encode(absoluteError, forKey: .absoluteError)
        }
    }

    public var slides: [Slide]
    /// Mean of the slides' absolute errors (slides with both percentages), in percentage points.
    public var meanAbsoluteError: Double?

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
            let truth = record.map(\.signedBlastPercent) ?? BlastPercentage.of(truthCounts[name] ?? [:])
            return Slide(slide: name, cells: cellCounts[name] ?? 0, trueBlastPercent: truth,
                         predictedBlastPercent: BlastPercentage.of(predictedCounts[name] ?? [:]),
                         truthSource: record == nil ? "image labels" : "signed differential")
        }
        let errors = slides.compactMap(\.absoluteError)
        meanAbsoluteError = errors.isEmpty ? nil : errors.reduce(0, +) / Double(errors.count)
    }
}
