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

    /// The index of the cell whose box centre is nearest the image's centre, among the cells
    /// `isIncluded` accepts (the first of equals), or nil when there is none: the cell a
    /// single-cell export shows. `evaluate` scores it; `analyze --one-cell-per-image` counts
    /// only it.
    public func indexOfCellNearestCentre(where isIncluded: (AnalyzedCell) -> Bool = { _ in true }) -> Int? {
        let cx = Double(width) / 2, cy = Double(height) / 2
        func distance(_ cell: AnalyzedCell) -> Double {
            let x = Double(cell.box.x) + Double(cell.box.width) / 2 - cx, y = Double(cell.box.y) + Double(cell.box.height) / 2 - cy
            return x * x + y * y
        }
        return cells.indices.filter { isIncluded(cells[$0]) }.min { distance(cells[$0]) < distance(cells[$1]) }
    }
}
