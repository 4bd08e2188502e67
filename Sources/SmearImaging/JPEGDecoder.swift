import CTurboJPEG

/// JPEG decoding through TurboJPEG, the only file that calls it for decoding.
enum JPEGDecoder {
    static func decode(_ data: [UInt8], path: String) throws(ImageError) -> RGBImage {
        guard let handle = tjInitDecompress() else {
            throw ImageError(.corrupt, path: path, reason: "TurboJPEG could not start a decompressor")
        }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsamp: Int32 = 0, colorspace: Int32 = 0
        let headerOK = data.withUnsafeBufferPointer { buf in
            tjDecompressHeader3(handle, buf.baseAddress, UInt(buf.count), &width, &height, &subsamp, &colorspace) == 0
        }
        guard headerOK else { throw failure(handle, path: path) }
        let w = Int(width), h = Int(height)
        var ok = true
        let image = RGBImage(width: w, height: h) { out in
            ok = data.withUnsafeBufferPointer { buf in
                tjDecompress2(handle, buf.baseAddress, UInt(buf.count), out.baseAddress, width, 0, height,
                              Int32(TJPF_RGB.rawValue), TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) == 0
            }
            if !ok { out.initialize(repeating: 0) }
        }
        guard ok else { throw failure(handle, path: path) }
        return image
    }

    private static func failure(_ handle: tjhandle, path: String) -> ImageError {
        let message = String(cString: tjGetErrorStr2(handle))
        let truncated = message.localizedCaseInsensitiveContains("premature end")
        return ImageError(truncated ? .truncated : .corrupt, path: path, reason: message)
    }
}
