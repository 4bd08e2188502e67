import CTurboJPEG

/// JPEG encoding through TurboJPEG's `tjCompress2`: the only file that calls it for writing.
public enum JPEGEncoder {
    /// Chroma subsampling of the encoded file.
    public enum Subsampling: Sendable {
        case none444, horizontal422, both420, gray
        var code: Int32 {
            switch self {
            case .none444: Int32(TJSAMP_444.rawValue)
            case .horizontal422: Int32(TJSAMP_422.rawValue)
            case .both420: Int32(TJSAMP_420.rawValue)
            case .gray: Int32(TJSAMP_GRAY.rawValue)
            }
        }
    }

    /// `image` as baseline JPEG file bytes; `quality` 1...100.
    public static func encode(_ image: RGBImage, quality: Int = 90, subsampling: Subsampling = .both420) throws(ImageError) -> [UInt8] {
        try image.pixels.withUnsafeBytes { samples in
            encode(samples: samples, width: image.width, height: image.height, layout: .rgb,
                   quality: quality, subsampling: subsampling, progressive: false)
        }.get()
    }

    /// Writes `image` as a JPEG file atomically (temporary file, fsync, rename).
    public static func write(_ image: RGBImage, to path: String, quality: Int = 90) throws(ImageError) {
        try AtomicFile.write(encode(image, quality: quality), to: path)
    }

    /// Packed input sample layouts.
    enum Layout {
        case rgb, gray, cmyk
        var pixelFormat: Int32 {
            switch self {
            case .rgb: Int32(TJPF_RGB.rawValue)
            case .gray: Int32(TJPF_GRAY.rawValue)
            case .cmyk: Int32(TJPF_CMYK.rawValue)
            }
        }
        var channels: Int {
            switch self {
            case .rgb: 3
            case .gray: 1
            case .cmyk: 4
            }
        }
    }

    /// Encodes packed samples; CMYK input produces a YCCK/CMYK JPEG (used by tests).
    static func encode(samples: UnsafeRawBufferPointer, width: Int, height: Int, layout: Layout,
                       quality: Int, subsampling: Subsampling, progressive: Bool) -> Result<[UInt8], ImageError> {
        precondition((1...100).contains(quality), "JPEG quality must be 1...100")
        precondition(samples.count >= width * height * layout.channels, "sample buffer too small")
        guard let handle = tjInitCompress() else {
            return .failure(ImageError(.writeFailed, path: "<memory>", reason: "TurboJPEG could not start a compressor"))
        }
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        defer { if let output { tjFree(output) } }
        let flags = progressive ? TJFLAG_PROGRESSIVE : 0
        let status = tjCompress2(handle, samples.bindMemory(to: UInt8.self).baseAddress, Int32(width), 0, Int32(height),
                                 layout.pixelFormat, &output, &size, subsampling.code, Int32(quality), flags)
        guard status == 0, let output else {
            return .failure(ImageError(.writeFailed, path: "<memory>",
                                       reason: "JPEG encoding failed: \(String(cString: tjGetErrorStr2(handle)))"))
        }
        return .success(Array(UnsafeBufferPointer(start: output, count: Int(size))))
    }
}
