import CPNG

/// PNG decoding through libpng's simplified API: the only file that calls libpng for reading.
///
/// The simplified API catches libpng's longjmp itself and reports failure as a zero return,
/// so no jump crosses a Swift frame. Every PNG colour type, bit depth and interlace is
/// converted by libpng to 8-bit sRGB RGB; alpha (an alpha channel or a tRNS chunk) is
/// composited onto white, the colour of an empty slide, and 16-bit samples are reduced
/// to 8 bits with the file's gamma taken into account.
enum PNGDecoder {
    /// Decodes `data` at full size (PNG has no reduced-scale decoding).
    static func decode(_ data: [UInt8], path: String, options: DecodeOptions) throws(ImageError) -> DecodedImage {
        // libpng reads from the buffer until finish_read, so everything happens inside one
        // withUnsafeBytes; the Result carries the typed error out of the rethrowing closure.
        try data.withUnsafeBytes { bytes -> Result<DecodedImage, ImageError> in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&image) }
            guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
                return .failure(failure(&image, data, path: path))
            }
            let w = Int(image.width), h = Int(image.height)
            do throws(ImageError) { try options.checkSize(width: w, height: h, path: path) } catch { return .failure(error) }
            image.format = UInt32(PNG_FORMAT_RGB)
            var white = png_color(red: 255, green: 255, blue: 255)
            var ok = true
            let pixels = RGBImage(width: w, height: h) { out in
                ok = png_image_finish_read(&image, &white, out.baseAddress, Int32(w * 3), nil) != 0
                // The array must be fully initialised even when it is about to be discarded.
                if !ok { out.update(repeating: 0) }
            }
            guard ok else { return .failure(failure(&image, data, path: path)) }
            return .success(DecodedImage(image: pixels, sourceWidth: w, sourceHeight: h, scale: .one))
        }.get()
    }

    /// The width and height as libpng validates them (IHDR checks, user limits).
    static func header(_ data: [UInt8], path: String) throws(ImageError) -> (width: Int, height: Int) {
        try data.withUnsafeBytes { bytes -> Result<(width: Int, height: Int), ImageError> in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&image) }
            guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
                return .failure(failure(&image, data, path: path))
            }
            return .success((Int(image.width), Int(image.height)))
        }.get()
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
