/// Decodes PNG and JPEG files or bytes into `RGBImage`, choosing the decoder by content
/// (never by file name).
///
/// Files are read once into memory and decoded from there. Every failure is an
/// `ImageError` naming the file; a partly decoded image is never returned.
public enum ImageDecoder {
    /// Reads and decodes the file at `path` at full size.
    public static func decode(path: String, options: DecodeOptions = .default) throws(ImageError) -> RGBImage {
        try decodeScaled(path: path, options: options).image
    }

    /// Decodes in-memory file bytes at full size; `path` only names the source in errors.
    public static func decode(data: [UInt8], path: String = "<memory>", options: DecodeOptions = .default) throws(ImageError) -> RGBImage {
        try decodeScaled(data: data, path: path, options: options).image
    }

    /// Reads and decodes the file at `path`, JPEGs at the largest reduction whose output is
    /// still at least `minimumWidth` x `minimumHeight`; the result records the scale used.
    public static func decode(path: String, minimumWidth: Int, minimumHeight: Int) throws(ImageError) -> DecodedImage {
        try decodeScaled(path: path, options: DecodeOptions(minimumWidth: minimumWidth, minimumHeight: minimumHeight))
    }

    /// Reads and decodes the file at `path` as `options` ask, keeping the scale used.
    public static func decodeScaled(path: String, options: DecodeOptions = .default) throws(ImageError) -> DecodedImage {
        try decodeScaled(data: FileBytes.read(path: path), path: path, options: options)
    }

    /// Decodes in-memory file bytes as `options` ask, keeping the scale used.
    public static func decodeScaled(data: [UInt8], path: String = "<memory>", options: DecodeOptions = .default) throws(ImageError) -> DecodedImage {
        switch try supportedFormat(data, path: path) {
        case .jpeg: return try JPEGDecoder.decode(data, path: path, options: options)
        default: return try PNGDecoder.decode(data, path: path, options: options)
        }
    }

    /// Reads the file's headers (format, size, channels, bit depth, format specifics)
    /// without decoding pixels.
    public static func info(path: String) throws(ImageError) -> ImageInfo {
        try info(data: FileBytes.read(path: path), path: path)
    }

    /// Reads the headers of in-memory file bytes.
    public static func info(data: [UInt8], path: String = "<memory>") throws(ImageError) -> ImageInfo {
        switch try supportedFormat(data, path: path) {
        case .jpeg:
            let head = try JPEGDecoder.header(data, path: path)
            let frame = JPEGStructure.frame(data)
            return ImageInfo(format: .jpeg, width: head.width, height: head.height,
                             channels: head.channels, bitDepth: frame?.precision ?? 8,
                             jpeg: .init(subsampling: head.subsampling, colorspace: head.colorspace,
                                         progressive: frame?.progressive ?? false))
        default:
            let size = try PNGDecoder.header(data, path: path)
            guard let ihdr = PNGStructure.header(data) else {
                throw ImageError(.corrupt, path: path, reason: "PNG has no IHDR chunk")
            }
            let types = [0: ("gray", 1), 2: ("RGB", 3), 3: ("palette", 3), 4: ("gray+alpha", 2), 6: ("RGBA", 4)]
            let (name, channels) = types[ihdr.colorType] ?? ("unknown", 0)
            return ImageInfo(format: .png, width: size.width, height: size.height,
                             channels: channels, bitDepth: ihdr.bitDepth,
                             png: .init(colorType: name, interlaced: ihdr.interlaced,
                                        hasTransparencyChunk: PNGStructure.hasTransparencyChunk(data)))
        }
    }

    /// The format of `data` if SmearScan decodes it; otherwise the error naming what it is.
    private static func supportedFormat(_ data: [UInt8], path: String) throws(ImageError) -> ImageFormat {
        if data.isEmpty { throw ImageError(.emptyFile, path: path, reason: "file is empty (0 bytes)") }
        let format = data.withUnsafeBytes { ImageFormat.sniff($0) }
        switch format {
        case .jpeg, .png:
            return format
        case .unknown:
            throw ImageError(.unsupportedFormat, path: path, reason: "not a PNG or JPEG file (unrecognised leading bytes)")
        default:
            throw ImageError(.unsupportedFormat, path: path, reason: "\(format.rawValue.uppercased()) images are not supported (PNG and JPEG only)")
        }
    }
}
