import CPNG
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PNG decoding through libpng's simplified API: the only file that calls libpng for reading.
///
/// The simplified API catches libpng's longjmp itself and reports failure as a zero return,
/// so no jump crosses a Swift frame. Every PNG colour type, bit depth and interlace is
/// converted by libpng to 8-bit sRGB RGB; alpha (an alpha channel or a tRNS chunk) is
/// composited onto white, the colour of an empty slide (libpng composites in linear
/// light), and 16-bit samples are reduced to 8 bits through the file's gamma; a 16-bit file
/// without gAMA/sRGB chunks is taken as sRGB-encoded (as image viewers do), not as libpng's
/// default of linear.
enum PNGDecoder {
    /// Decodes `data` at full size (PNG has no reduced-scale decoding).
    /// A file whose chunk chain stops before IEND is `.truncated` even when its image data
    /// happens to be whole (libpng does not read that far), as a JPEG without EOI is.
    static func decode(_ data: [UInt8], path: String, options: DecodeOptions) throws(ImageError) -> DecodedImage {
        try read(data, path: path) { image -> Result<DecodedImage, ImageError> in
            guard PNGStructure.reachesEnd(data) else {
                return .failure(ImageError(.truncated, path: path, reason: "truncated PNG (data ends before the IEND chunk)"))
            }
            let w = Int(image.width), h = Int(image.height)
            do throws(ImageError) { try options.checkSize(width: w, height: h, path: path) } catch { return .failure(error) }
            if let shortfall = compressedDataShortfall(data, width: w, height: h, path: path) { return .failure(shortfall) }
            image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
            if image.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0, PNGStructure.header(data)?.interlaced == true {
                return decodeWideInterlaced(&image, data, path: path)
            }
            image.format = PNGSampleFormat.rgb.rawValue
            var white = png_color(red: 255, green: 255, blue: 255)
            let pixels: RGBImage
            do {
                pixels = try RGBImage(width: w, height: h) { out in
                    if png_image_finish_read(&image, &white, out.baseAddress, Int32(w * 3), nil) == 0 { throw AbandonedPixels() }
                }
            } catch {
                return .failure(failure(&image, data, path: path))
            }
            return .success(DecodedImage(image: pixels, sourceWidth: w, sourceHeight: h, scale: .one))
        }.get()
    }

    /// The error for image data too short to inflate to the size the header declares, found
    /// before any pixel memory is allocated: a few bytes claiming 100 megapixels are refused
    /// at once, not after allocating 300 MB for libpng to fail on.
    private static func compressedDataShortfall(_ data: [UInt8], width: Int, height: Int, path: String) -> ImageError? {
        guard let ihdr = PNGStructure.header(data) else { return nil }
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][ihdr.colorType] ?? 1
        // Sample bits alone (no filter bytes), so interlaced files are bounded too.
        let needed = (width * height * channels * ihdr.bitDepth + 7) / 8
        let compressed = PNGStructure.compressedImageBytes(data)
        guard compressed * PNGStructure.maximumInflationRatio < needed else { return nil }
        return ImageError(.corrupt, path: path, reason: "PNG image data (\(compressed) bytes compressed) is too short for the "
                          + "\(width)x\(height) image its header declares (at least \(needed / PNGStructure.maximumInflationRatio) bytes needed)")
    }

    /// Interlaced 16-bit files, read as 16-bit linear RGBA and converted here.
    ///
    /// libpng 1.6.39's simplified reader scrambles interlaced 16-bit images when asked for
    /// 8-bit output (its 16-bit output is right), so this path asks for 16-bit linear,
    /// premultiplied RGBA, composites onto white in linear light as libpng does, and
    /// encodes to 8-bit sRGB through a table.
    private static func decodeWideInterlaced(_ image: inout png_image, _ data: [UInt8], path: String) -> Result<DecodedImage, ImageError> {
        let w = Int(image.width), h = Int(image.height)
        image.format = PNGSampleFormat.rgba16.rawValue
        let wide: [UInt16]
        do {
            wide = try [UInt16](unsafeUninitializedCapacity: w * h * 4) { buffer, initialized in
                if png_image_finish_read(&image, nil, buffer.baseAddress, Int32(w * 4), nil) == 0 { throw AbandonedPixels() }
                initialized = w * h * 4
            }
        } catch {
            return .failure(failure(&image, data, path: path))
        }
        let encode = linearToSRGB
        let pixels = RGBImage(width: w, height: h) { out in
            wide.withUnsafeBufferPointer { src in
                encode.withUnsafeBufferPointer { table in
                    let s = src.baseAddress!, d = out.baseAddress!, lut = table.baseAddress!
                    for i in 0..<(w * h) {
                        // Premultiplied colour plus the uncovered share of white.
                        let white = 65535 - Int(s[i * 4 + 3])
                        for c in 0..<3 { d[i * 3 + c] = lut[min(65535, Int(s[i * 4 + c]) + white)] }
                    }
                }
            }
        }
        return .success(DecodedImage(image: pixels, sourceWidth: w, sourceHeight: h, scale: .one))
    }

    /// 16-bit linear light to 8-bit sRGB. libpng decoded the file's samples with the
    /// power-2.2 approximation of sRGB (PNG_GAMMA_sRGB), so the same power undoes it.
    private static let linearToSRGB: [UInt8] = (0...65535).map { v in
        UInt8((pow(Double(v) / 65535, 1 / 2.2) * 255).rounded())
    }

    /// The width and height as libpng validates them (IHDR checks, user limits).
    static func header(_ data: [UInt8], path: String) throws(ImageError) -> (width: Int, height: Int) {
        try read(data, path: path) { image in .success((Int(image.width), Int(image.height))) }.get()
    }

    /// Decodes into raw samples laid out as `format` says (bytes; 16-bit formats native-endian),
    /// plus the colormap for palette formats. For exact round-trip checks of the encoder.
    static func samples(_ data: [UInt8], format: PNGSampleFormat, path: String = "<memory>")
        -> Result<(samples: [UInt8], colormap: [UInt8]), ImageError> {
        read(data, path: path) { image in
            image.format = format.rawValue
            let count = Int(image.width) * Int(image.height) * format.bytesPerPixel
            var samples = [UInt8](repeating: 0, count: count)
            var colormap = [UInt8](repeating: 0, count: format.isPalette ? 256 * (format.hasAlpha ? 4 : 3) : 0)
            let stride = Int32(Int(image.width) * format.channels)
            let ok = samples.withUnsafeMutableBytes { out in
                colormap.withUnsafeMutableBytes { map in
                    png_image_finish_read(&image, nil, out.baseAddress, stride, format.isPalette ? map.baseAddress : nil) != 0
                }
            }
            return ok ? .success((samples, colormap)) : .failure(failure(&image, data, path: path))
        }
    }

    /// Begins a read from memory and hands the header-filled `png_image` to `body`, which
    /// finishes it. libpng reads from the buffer until then, so it all happens inside one
    /// `withUnsafeBytes`; results travel as `Result` out of the rethrowing closure.
    private static func read<T>(_ data: [UInt8], path: String,
                                _ body: (inout png_image) -> Result<T, ImageError>) -> Result<T, ImageError> {
        // The specification puts IHDR first; Debian's APNG-patched libpng also accepts an acTL
        // chunk before it, which would leave `PNGStructure` (interlace, bit depth) reading
        // the wrong bytes. Shorter data is left for libpng to call truncated.
        if data.count >= 16, Array(data[12..<16]) != Array("IHDR".utf8) {
            return .failure(ImageError(.corrupt, path: path, reason: "PNG does not begin with an IHDR chunk"))
        }
        return data.withUnsafeBytes { bytes in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&image) }
            guard png_image_begin_read_from_memory(&image, bytes.baseAddress, PNGStructure.safeLength(data)) != 0 else {
                return .failure(failure(&image, data, path: path))
            }
            return body(&image)
        }
    }

    /// libpng's message as an `ImageError`: `.truncated` when the chunk chain stops before
    /// IEND (libpng's own wording varies by where the data ran out), `.corrupt` otherwise.
    private static func failure(_ image: inout png_image, _ data: [UInt8], path: String) -> ImageError {
        let message = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let truncated = !PNGStructure.reachesEnd(data)
        let reason = message.isEmpty ? "corrupt PNG" : message
        return ImageError(truncated ? .truncated : .corrupt, path: path,
                          reason: truncated ? "truncated PNG (\(reason))" : reason)
    }
}
