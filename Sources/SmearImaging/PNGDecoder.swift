import CPNG

/// PNG decoding through libpng's simplified API, the only file that calls it for decoding.
/// Alpha is composited on white (the slide background).
enum PNGDecoder {
    static func decode(_ data: [UInt8], path: String) throws(ImageError) -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw failure(&image, path: path) }
        defer { png_image_free(&image) }
        image.format = UInt32(PNG_FORMAT_RGB)
        let w = Int(image.width), h = Int(image.height)
        var background = png_color(red: 255, green: 255, blue: 255)
        var ok = true
        let result = RGBImage(width: w, height: h) { out in
            ok = png_image_finish_read(&image, &background, out.baseAddress, Int32(w * 3), nil) != 0
            if !ok { out.initialize(repeating: 0) }
        }
        guard ok else { throw failure(&image, path: path) }
        return result
    }

    private static func failure(_ image: inout png_image, path: String) -> ImageError {
        let message = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let truncated = message.localizedCaseInsensitiveContains("eof") || message.localizedCaseInsensitiveContains("truncat")
        return ImageError(truncated ? .truncated : .corrupt, path: path, reason: message.isEmpty ? "corrupt PNG" : message)
    }
}
