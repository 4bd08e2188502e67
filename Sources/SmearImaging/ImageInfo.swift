/// What an image file's headers say, read without decoding its pixels (for `inspect`).
public struct ImageInfo: Sendable, Equatable, Codable {
    /// The format recognised from the leading bytes.
    public var format: ImageFormat
    /// Stored width and height in pixels.
    public var width: Int
    public var height: Int
    /// Channels as stored: 1 gray, 2 gray+alpha, 3 colour, 4 colour+alpha or CMYK.
    public var channels: Int
    /// Bits per sample as stored (8 or 16 for PNG, also 1, 2, 4 for gray/palette; 8 or 12 for JPEG).
    public var bitDepth: Int
    /// JPEG specifics, when `format == .jpeg`.
    public var jpeg: JPEGDetails?
    /// PNG specifics, when `format == .png`.
    public var png: PNGDetails?

    /// JPEG header facts.
    public struct JPEGDetails: Sendable, Equatable, Codable {
        /// Chroma subsampling: "4:4:4", "4:2:2", "4:2:0", "gray", "4:4:0", "4:1:1" or "unknown".
        public var subsampling: String
        /// "YCbCr", "RGB", "gray", "CMYK", "YCCK" or "unknown".
        public var colorspace: String
        /// Whether the frame is progressive (SOF2/SOF6/…).
        public var progressive: Bool
    }

    /// PNG header facts.
    public struct PNGDetails: Sendable, Equatable, Codable {
        /// "gray", "RGB", "palette", "gray+alpha" or "RGBA".
        public var colorType: String
        /// Adam7 interlacing.
        public var interlaced: Bool
        /// Whether a tRNS chunk adds transparency.
        public var hasTransparencyChunk: Bool
    }

    public init(format: ImageFormat, width: Int, height: Int, channels: Int, bitDepth: Int,
                jpeg: JPEGDetails? = nil, png: PNGDetails? = nil) {
        self.format = format
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.jpeg = jpeg
        self.png = png
    }

    /// The number of pixels in millions.
    public var megapixels: Double { Double(width) * Double(height) / 1_000_000 }
}
