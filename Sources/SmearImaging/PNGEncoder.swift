import CPNG

/// PNG encoding through libpng's simplified write API: the only file that calls libpng for writing.
public enum PNGEncoder {
    /// `image` as PNG file bytes (8-bit RGB, default compression).
    public static func encode(_ image: RGBImage) throws(ImageError) -> [UInt8] {
        try image.pixels.withUnsafeBytes { samples in
            encode(samples: samples, width: image.width, height: image.height, format: .rgb)
        }.get()
    }

    /// Writes `image` as a PNG file atomically (temporary file, fsync, rename).
    public static func write(_ image: RGBImage, to path: String) throws(ImageError) {
        try AtomicFile.write(encode(image), to: path)
    }

    /// Encodes raw samples laid out as `format` says (rows packed, no padding). For palette
    /// formats, `colormap` holds the entries (RGB or RGBA bytes) and `samples` the indices.
    /// 16-bit formats take native-endian `UInt16` samples in linear light (libpng writes
    /// them with a gAMA of 1.0).
    static func encode(samples: UnsafeRawBufferPointer, width: Int, height: Int,
                       format: PNGSampleFormat, colormap: [UInt8] = []) -> Result<[UInt8], ImageError> {
        precondition(samples.count >= width * height * format.bytesPerPixel, "sample buffer too small")
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format.rawValue
        if format.isPalette {
            image.colormap_entries = UInt32(colormap.count / (format.hasAlpha ? 4 : 3))
        }
        defer { png_image_free(&image) }
        let stride = Int32(width * format.bytesPerPixel / format.bytesPerSample)
        return colormap.withUnsafeBytes { cmap -> Result<[UInt8], ImageError> in
            let colormapPointer = format.isPalette ? cmap.baseAddress : nil
            // First call sizes the output, second fills it.
            var size = 0
            guard png_image_write_to_memory(&image, nil, &size, 0, samples.baseAddress, stride, colormapPointer) != 0 else {
                return .failure(failure(&image))
            }
            var ok = true
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { out, initialized in
                ok = png_image_write_to_memory(&image, out.baseAddress, &size, 0, samples.baseAddress, stride, colormapPointer) != 0
                initialized = ok ? size : 0
            }
            return ok ? .success(bytes) : .failure(failure(&image))
        }
    }

    private static func failure(_ image: inout png_image) -> ImageError {
        let message = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return ImageError(.writeFailed, path: "<memory>", reason: "PNG encoding failed: \(message)")
    }
}

/// Sample layouts of libpng's simplified API; raw values are its `PNG_FORMAT_*` codes
/// (alpha 1, colour 2, 16-bit linear 4, colour-mapped 8).
enum PNGSampleFormat: UInt32, CaseIterable, Sendable {
    case gray = 0, grayAlpha = 1, rgb = 2, rgba = 3
    case gray16 = 4, grayAlpha16 = 5, rgb16 = 6, rgba16 = 7
    case rgbPalette = 10, rgbaPalette = 11

    var hasAlpha: Bool { rawValue & 1 != 0 }
    var isPalette: Bool { rawValue & 8 != 0 }
    var bytesPerSample: Int { rawValue & 4 != 0 ? 2 : 1 }
    var channels: Int { isPalette ? 1 : Int(rawValue & 3) + 1 }
    var bytesPerPixel: Int { channels * bytesPerSample }
}
