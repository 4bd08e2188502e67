import SmearImaging

/// One leukocyte found by `LeukocyteLocator`, in source-image pixel coordinates.
public struct LocatedCell: Sendable, Equatable, Codable {
    /// Centre of the cell region (x, y), in source pixels.
    public var centerX: Double
    public var centerY: Double
    /// Bounding box of the cell region (nucleus plus the cytoplasm around it).
    public var bounds: PixelRect
    /// Bounding box of the nucleus (all lobes).
    public var nucleusBounds: PixelRect
    /// Nucleus area in source pixels (all lobes).
    public var nucleusArea: Int
    /// Cell area in source pixels (nucleus plus cytoplasm).
    public var cellArea: Int
    /// Whether the cell is cut by the image border: its nucleus comes within
    /// `LocatorConfiguration.borderMargin` of the edge (a slide counts such cells once).
    public var touchesBorder: Bool
    /// Nuclear stain contrast over the image's red cells, in optical-density units
    /// (mean nucleus map minus the median over stained pixels); higher is surer.
    public var score: Double
    /// Where the cell lies, as a bitmap over `bounds`.
    public var mask: CellMask

    /// Nucleus area in µm² at `micronsPerPixel`.
    public func nucleusArea(micronsPerPixel s: Double) -> Double { Double(nucleusArea) * s * s }
    /// Cell area in µm² at `micronsPerPixel`.
    public func cellArea(micronsPerPixel s: Double) -> Double { Double(cellArea) * s * s }
}
