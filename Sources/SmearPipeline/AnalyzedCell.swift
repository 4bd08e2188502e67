import SmearImaging

/// One located and classified cell of an image.
public struct AnalyzedCell: Sendable, Equatable {
    /// The cell's bounding box in the source image's pixel coordinates (full resolution,
    /// whatever scale the image was decoded at).
    public var box: PixelRect
    /// Whether the cell is cut by the image border (such cells are reported, not counted).
    public var touchesBorder: Bool
    /// The classifier's output for the cell.
    public var probabilities: ClassProbabilities
    /// A small view of the cell for review galleries, or nil when none was made.
    public var thumbnail: RGBImage?

    public init(box: PixelRect, touchesBorder: Bool, probabilities: ClassProbabilities, thumbnail: RGBImage? = nil) {
        self.box = box
        self.touchesBorder = touchesBorder
        self.probabilities = probabilities
        self.thumbnail = thumbnail
    }
}
