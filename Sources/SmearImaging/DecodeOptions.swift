/// How an image is decoded: the size limit and, for JPEG, the smallest acceptable output.
///
/// The limit is checked against the image's stored dimensions, read from the header,
/// before any pixel buffer is allocated, so a hostile header cannot make the decoder
/// allocate gigabytes.
public struct DecodeOptions: Sendable, Equatable {
    /// The largest image accepted, in megapixels of the stored (full-scale) image.
    public var maxMegapixels: Double
    /// The smallest output width wanted. JPEGs are decoded at the largest TurboJPEG
    /// reduction (1/8, 1/4, 1/2 or none) whose output is still at least this wide;
    /// PNGs always decode at full size. 0 leaves the width unconstrained; both 0 means full size.
    public var minimumWidth: Int
    /// The smallest output height wanted; see `minimumWidth`.
    public var minimumHeight: Int

    /// Whether a minimum size was given, allowing a reduced-scale decode.
    public var requestsReduction: Bool { minimumWidth > 0 || minimumHeight > 0 }

    /// 120 megapixels: an overview scan is about 9 MP, so only bogus headers reach it.
    public static let defaultMaxMegapixels: Double = 120

    /// Full-size decoding of images up to `maxMegapixels`.
    public init(maxMegapixels: Double = DecodeOptions.defaultMaxMegapixels, minimumWidth: Int = 0, minimumHeight: Int = 0) {
        precondition(maxMegapixels > 0, "maxMegapixels must be positive")
        precondition(minimumWidth >= 0 && minimumHeight >= 0, "negative minimum size")
        self.maxMegapixels = maxMegapixels
        self.minimumWidth = minimumWidth
        self.minimumHeight = minimumHeight
    }

    /// Full-size decoding with the default limit.
    public static let `default` = DecodeOptions()

    /// Throws `.tooLarge` when a `width` x `height` image exceeds the limit.
    func checkSize(width: Int, height: Int, path: String) throws(ImageError) {
        guard width > 0, height > 0 else {
            throw ImageError(.corrupt, path: path, reason: "header gives an empty image (\(width)x\(height))")
        }
        let megapixels = Double(width) * Double(height) / 1_000_000
        guard megapixels <= maxMegapixels else {
            let shown = (megapixels * 10).rounded() / 10
            throw ImageError(.tooLarge, path: path,
                             reason: "image is \(width)x\(height) (\(shown) MP), above the \(maxMegapixels) MP limit")
        }
    }
}

/// A reduced-scale decoding factor `numerator / denominator` (1/1, 1/2, 1/4 or 1/8).
public struct ScaleFactor: Sendable, Hashable, Codable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int
    public init(_ numerator: Int, _ denominator: Int) {
        precondition(numerator > 0 && denominator > 0, "scale factor must be positive")
        self.numerator = numerator
        self.denominator = denominator
    }
    /// Full size.
    public static let one = ScaleFactor(1, 1)
    /// The factors SmearScan uses, largest first.
    public static let reductions: [ScaleFactor] = [ScaleFactor(1, 1), ScaleFactor(1, 2), ScaleFactor(1, 4), ScaleFactor(1, 8)]

    /// A dimension after scaling, rounded up as TurboJPEG's `TJSCALED` does.
    @inlinable public func scaled(_ dimension: Int) -> Int {
        (dimension * numerator + denominator - 1) / denominator
    }
    public var description: String { "\(numerator)/\(denominator)" }
}

/// An image decoded at some scale, with what is needed to map its coordinates back.
public struct DecodedImage: Sendable, Equatable {
    /// The pixels, `scale` times the stored size (rounded up).
    public var image: RGBImage
    /// The stored image's width and height.
    public var sourceWidth: Int
    public var sourceHeight: Int
    /// The reduction TurboJPEG applied; `.one` for PNG and full-size JPEG.
    public var scale: ScaleFactor

    public init(image: RGBImage, sourceWidth: Int, sourceHeight: Int, scale: ScaleFactor) {
        self.image = image
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.scale = scale
    }

    /// Source pixels per decoded pixel along x (exact, including the rounding up).
    public var sourcePixelsPerPixelX: Double { Double(sourceWidth) / Double(image.width) }
    /// Source pixels per decoded pixel along y.
    public var sourcePixelsPerPixelY: Double { Double(sourceHeight) / Double(image.height) }
}
