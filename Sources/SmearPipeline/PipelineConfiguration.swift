import SmearCells
import SmearImaging

/// How `CellPipeline` treats images: their scale, size limit, the locator's rules and
/// whether to keep thumbnails.
public struct PipelineConfiguration: Sendable, Equatable {
    /// The source images' scale in µm per pixel, or nil to estimate it from the red cells
    /// (over a slide when the caller passes a `SlideScale`, else per image). A known scale
    /// lets JPEGs be decoded at reduced size (faster, less memory).
    public var micronsPerPixel: Double?
    /// Side of the square review thumbnail made for each cell (same field of view as the
    /// classifier's crop), or 0 for none.
    public var thumbnailSize: Int
    /// The largest image accepted, in megapixels (checked before decoding).
    public var maxMegapixels: Double
    /// Images at least this large (megapixels) are analysed with a locator of their own,
    /// released afterwards (a locator keeps its scratch planes at their largest size), and
    /// one at a time when pipelines share a `LargeImageGate`.
    public var largeImageMegapixels: Double
    /// The locator's physical rules.
    public var locator: LocatorConfiguration
    /// Threads inside each classification (single-image latency); 1 when pipelines run in
    /// parallel, which is the default: never both.
    public var classifierThreads: Int
    /// Flipped and turned views of each crop whose probabilities are averaged (1...8, see
    /// `DihedralViews`): 8 costs eight classifications per cell and gives steadier calls.
    public var views: Int

    public init(micronsPerPixel: Double? = nil, thumbnailSize: Int = 0,
                maxMegapixels: Double = DecodeOptions.defaultMaxMegapixels, largeImageMegapixels: Double = 2,
                locator: LocatorConfiguration = LocatorConfiguration(), classifierThreads: Int = 1, views: Int = 1) {
        self.micronsPerPixel = micronsPerPixel
        self.thumbnailSize = thumbnailSize
        self.maxMegapixels = maxMegapixels
        self.largeImageMegapixels = largeImageMegapixels
        self.locator = locator
        self.classifierThreads = classifierThreads
        self.views = views
    }
}
