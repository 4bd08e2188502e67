import SmearCells
import SmearImaging
import SmearPipeline

/// What happened to one image of a slide.
public enum ImageOutcome: Sendable, Equatable {
    /// Analysed: its cells (in locator order) and its focus measure.
    case analyzed(cells: [CellRecord], focus: Double?)
    /// Not analysed, with a one-line reason.
    case failed(reason: String)
}

/// A whole slide's analysis: its cells in reporting order, counts, flags and failures.
/// Everything the output writers need, nothing time-dependent.
public struct SlideResult: Sendable {
    public var slide: SlideSource
    public var inventory: SlideInventory
    /// All located cells, ordered by image path (byte-wise), then index in the image.
    public var cells: [CellRecord]
    /// Unusable files and images that failed analysis, ordered by path.
    public var failures: [ImageFailure]
    public var imagesAnalyzed: Int
    public var imagesBlurred: Int
    public var counts: SlideCounts
    public var flags: [SlideFlag]
    public var parameters: AnalysisParameters
    public var model: ModelIdentity
    /// The scale measured over the slide's images, nil when it was given (or not measured).
    public var slideScale: SlideScale?
    /// The report's cell choice and thumbnails.
    public var selection: ReviewSelection

    /// Assembles a slide from its images' outcomes, given in `inventory.images` order.
    public init(slide: SlideSource, inventory: SlideInventory, outcomes: [ImageOutcome],
                selection: ReviewSelection, model: ModelIdentity, slideScale: SlideScale? = nil) {
        precondition(outcomes.count == inventory.images.count, "one outcome per image")
        let parameters = selection.parameters
        self.slide = slide
        self.inventory = inventory
        self.parameters = parameters
        self.model = model
        self.slideScale = slideScale
        self.selection = selection
        var cells: [CellRecord] = []
        var failures = inventory.unusable
        var analyzed = 0, blurred = 0
        for (image, outcome) in zip(inventory.images, outcomes) {
            switch outcome {
            case .analyzed(let imageCells, let focus):
                analyzed += 1
                cells += imageCells
                if let focus, focus < parameters.blurFocusThreshold { blurred += 1 }
            case .failed(let reason):
                failures.append(ImageFailure(path: image.path, reason: reason))
            }
        }
        failures.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        self.cells = cells
        self.failures = failures
        imagesAnalyzed = analyzed
        imagesBlurred = blurred
        counts = SlideCounts(cells: cells, lowConfidenceBelow: parameters.lowConfidence)
        flags = SlideFlags.evaluate(counts: counts, imagesAnalyzed: analyzed, imagesBlurred: blurred, parameters: parameters,
                                    scale: slideScale)
    }

    /// Image files found: analysed, failed and unusable.
    public var imagesFound: Int { inventory.images.count + inventory.unusable.count }

    /// The review gallery: every review cell, highest blast probability first (ties by
    /// position, so the order is reproducible).
    public var reviewCells: [CellRecord] {
        cells.filter(selection.isReviewCell).sorted {
            $0.blastProbability != $1.blastProbability ? $0.blastProbability > $1.blastProbability
                                                       : CellID.precedes($0.id, $1.id)
        }
    }

    /// The sample of other cells of `cellClass` (see `ReviewSelection`).
    public func sampleCells(of cellClass: CellClass) -> [CellRecord] {
        let wanted = selection.sample(of: cellClass)
        guard !wanted.isEmpty else { return [] }
        let byID = Dictionary(cells.lazy.filter { $0.cellClass == cellClass }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return wanted.compactMap { byID[$0] }
    }
}
