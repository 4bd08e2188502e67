import SmearImaging

/// Everything `LeukocyteLocator.locate` finds in one image.
public struct LocatorResult: Sendable, Equatable, Codable {
    /// The leukocytes, in raster order of their nuclei.
    public var cells: [LocatedCell]
    /// The scale used, µm per source pixel.
    public var micronsPerPixel: Double
    /// Whether `micronsPerPixel` was estimated from the image (red-cell size) rather than given.
    public var scaleWasEstimated: Bool
    /// The working image's scale, µm per working pixel, and its reduction factor.
    public var workingMicronsPerPixel: Double
    public var reductionFactor: Int
    /// Focus: variance of the Laplacian of the nucleus map at working resolution, in
    /// (OD/µm²)²; comparable between images of different scales. Low means blurred.
    public var focus: Double
    /// The estimated background (plasma) colour as `[r, g, b]`, for padding crops.
    public var backgroundRGB: [UInt8]
    /// Thresholds used, in optical-density units: stained foreground and nucleus; `nil`
    /// when the image has nothing to separate (blank, uniform).
    public var foregroundThreshold: Double?
    public var nucleusThreshold: Double?

    /// The estimated background (plasma) colour.
    public var background: RGB { RGB(backgroundRGB[0], backgroundRGB[1], backgroundRGB[2]) }
}
