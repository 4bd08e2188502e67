/// Everything the pipeline found in one image: its cells and how sharp it is.
public struct ImageAnalysis: Sendable, Equatable {
    /// The image's width and height in pixels (full resolution).
    public var width: Int
    public var height: Int
    /// Located cells in the locator's order (deterministic for a given image).
    public var cells: [AnalyzedCell]
    /// The image's focus measure (higher is sharper), or nil when it was not measured.
    public var focus: Double?

    public init(width: Int, height: Int, cells: [AnalyzedCell], focus: Double? = nil) {
        self.width = width
        self.height = height
        self.cells = cells
        self.focus = focus
    }
}
