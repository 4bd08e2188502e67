import SmearCells
import SmearImaging
import SmearPipeline

/// One located cell as the slide layer reports it: where it is and what it was called.
public struct CellRecord: Sendable, Equatable {
    /// The image's path relative to the slide folder.
    public var image: String
    /// The cell's position in its image's list of located cells.
    public var index: Int
    public var box: PixelRect
    /// Cut by the image border: listed, never counted (its neighbour image may hold it whole).
    public var touchesBorder: Bool
    /// Whole, but another whole cell of its image lies nearer the image's centre, and the
    /// slide counts one cell per image (`AnalysisParameters.oneCellPerImage`): listed, not
    /// counted, as a single-cell export shows it centred in an image of its own.
    public var besideCentreCell = false
    public var probabilities: ClassProbabilities
    /// The most probable class and its probability.
    public let cellClass: CellClass
    public let confidence: Float

    public init(image: String, index: Int, box: PixelRect, touchesBorder: Bool, probabilities: ClassProbabilities) {
        self.image = image
        self.index = index
        self.box = box
        self.touchesBorder = touchesBorder
        self.probabilities = probabilities
        (cellClass, confidence) = probabilities.top
    }

    /// The record for cell `index` of `image`.
    public init(image: String, index: Int, cell: AnalyzedCell) {
        self.init(image: image, index: index, box: cell.box, touchesBorder: cell.touchesBorder,
                  probabilities: cell.probabilities)
    }

    /// Whether the cell enters the slide's counts (every class, differential or not).
    public var isCounted: Bool { !touchesBorder && !besideCentreCell }

    /// Marks every whole cell of `records` (the records of `analysis`'s cells, in order) but
    /// the whole one nearest the image's centre as beside it.
    public static func markBesideCentre(_ records: inout [CellRecord], in analysis: ImageAnalysis) {
        precondition(records.count == analysis.cells.count, "one record per cell")
        guard let centre = analysis.indexOfCellNearestCentre(where: { !$0.touchesBorder }) else { return }
        for i in records.indices where i != centre && !records[i].touchesBorder { records[i].besideCentreCell = true }
    }

    /// The classifier's blast probability.
    public var blastProbability: Float { probabilities[.blast] }
}
