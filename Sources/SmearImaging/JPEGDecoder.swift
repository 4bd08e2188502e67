import CTurboJPEG

/// JPEG decoding through TurboJPEG: the only file that calls it for reading.
///
/// Decoding stops at the first libjpeg warning (`TJFLAG_STOPONWARNING`), so a truncated
/// file ("Premature end of JPEG file") is an error rather than an image with grey rows,
/// and progressive files are capped at `maximumScans` scans against scan bombs (and at 500 by
/// `TJFLAG_LIMITSCANS`, should the count here ever disagree with libjpeg's).
/// CMYK and YCCK JPEGs are rejected: converting them needs the ICC profile of the press
/// they were made for, and no microscope writes them. 12-bit and lossless JPEGs, which
/// this libjpeg-turbo does not decode, are rejected by name too.
enum JPEGDecoder {
    /// What `tjDecompressHeader3` reports, in TurboJPEG-free terms.
    struct Header {
        var width: Int
        var height: Int
        /// "4:4:4", "4:2:2", "4:2:0", "gray", "4:4:0", "4:1:1" or "unknown".
        var subsampling: String
        /// "YCbCr", "RGB", "gray", "CMYK", "YCCK" or "unknown".
        var colorspace: String
        /// Four-channel (CMYK or YCCK) data.
        var isCMYK: Bool { colorspace == "CMYK" || colorspace == "YCCK" }
        var channels: Int { isCMYK ? 4 : colorspace == "gray" ? 1 : 3 }
    }

    private static let flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS

    /// The most scans accepted. Each scan of a progressive file revisits every block of its
    /// component, and an end-of-band run codes 32,767 blocks in 15 bits, so a 300 KB file of
    /// 500 scans declaring 120 megapixels keeps libjpeg busy for 18 s; 100 scans bound that
    /// to under 4 s. Encoders write 10 (libjpeg's default script) to about 20.
    static let maximumScans = 100

    /// Reads the header only.
    static func header(_ data: [UInt8], path: String) throws(ImageError) -> Header {
        let handle = try makeHandle(path: path)
        defer { tjDestroy(handle) }
        return try header(handle, data, path: path)
    }

    /// Decodes `data` at the largest reduction that still meets the requested minimum size.
    static func decode(_ data: [UInt8], path: String, options: DecodeOptions) throws(ImageError) -> DecodedImage {
        let handle = try makeHandle(path: path)
        defer { tjDestroy(handle) }
        let head = try header(handle, data, path: path)
        try options.checkSize(width: head.width, height: head.height, path: path)
        if let frame = JPEGStructure.frame(data) {
            // Refused before the output buffer is allocated: a tiny file cannot be the image it declares.
            if let minimum = frame.minimumHuffmanBytes, data.count < minimum {
                throw ImageError(.corrupt, path: path, reason: "JPEG data (\(data.count) bytes) is too short for the "
                                 + "\(head.width)x\(head.height) image its frame header declares (at least \(minimum) bytes needed)")
            }
            if frame.progressive, case let scans = JPEGStructure.scanCount(data), scans > maximumScans {
                throw ImageError(.corrupt, path: path, reason: "progressive JPEG has \(scans) scans, more than the \(maximumScans) accepted")
            }
        }
        if head.isCMYK {
            throw ImageError(.unsupportedFormat, path: path,
                             reason: "CMYK JPEG is not supported (convert it to RGB first)")
        }
        let scale = scaleFactor(width: head.width, height: head.height, options: options)
        let w = scale.scaled(head.width), h = scale.scaled(head.height)
        let image: RGBImage
        do {
            image = try RGBImage(width: w, height: h) { out in
                let status = data.withUnsafeBufferPointer { src in
                    tjDecompress2(handle, src.baseAddress, UInt(src.count), out.baseAddress,
                                  Int32(w), 0, Int32(h), Int32(TJPF_RGB.rawValue), flags)
                }
                if status != 0 { throw AbandonedPixels() }
            }
        } catch {
            throw failure(handle, data, path: path)
        }
        return DecodedImage(image: image, sourceWidth: head.width, sourceHeight: head.height, scale: scale)
    }

    /// The smallest of 1/1, 1/2, 1/4, 1/8 (that TurboJPEG offers) whose output is still at
    /// least the requested minimum size; 1/1 when none is requested.
    static func scaleFactor(width: Int, height: Int, options: DecodeOptions) -> ScaleFactor {
        var best = ScaleFactor.one
        guard options.requestsReduction else { return best }
        for factor in ScaleFactor.reductions where available.contains(factor) {
            guard factor.scaled(width) >= options.minimumWidth, factor.scaled(height) >= options.minimumHeight else { break }
            best = factor
        }
        return best
    }

    /// The scaling factors this libjpeg-turbo build supports.
    private static let available: Set<ScaleFactor> = {
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return [.one] }
        var set: Set<ScaleFactor> = []
        for i in 0..<Int(count) {
            set.insert(ScaleFactor(Int(factors[i].num), Int(factors[i].denom)))
        }
        return set
    }()

    private static func makeHandle(path: String) throws(ImageError) -> tjhandle {
        guard let handle = tjInitDecompress() else {
            throw ImageError(.corrupt, path: path, reason: "TurboJPEG could not start a decompressor: \(String(cString: tjGetErrorStr2(nil)))")
        }
        return handle
    }

    private static func header(_ handle: tjhandle, _ data: [UInt8], path: String) throws(ImageError) -> Header {
        var width: Int32 = 0, height: Int32 = 0, subsamp: Int32 = 0, colorspace: Int32 = 0
        let status = data.withUnsafeBufferPointer { buf in
            tjDecompressHeader3(handle, buf.baseAddress, UInt(buf.count), &width, &height, &subsamp, &colorspace)
        }
        guard status == 0 else { throw failure(handle, data, path: path) }
        // A header cut short before its frame marker "succeeds" with a 0x0 size (libjpeg
        // fakes an end-of-image marker and reads tables only).
        guard width > 0, height > 0 else {
            let truncated = !JPEGStructure.hasEndMarker(data)
            throw ImageError(truncated ? .truncated : .corrupt, path: path,
                             reason: truncated ? "Premature end of JPEG file (no frame header)" : "JPEG has no frame header")
        }
        let subsamplings: [UInt32: String] = [
            TJSAMP_444.rawValue: "4:4:4", TJSAMP_422.rawValue: "4:2:2", TJSAMP_420.rawValue: "4:2:0",
            TJSAMP_GRAY.rawValue: "gray", TJSAMP_440.rawValue: "4:4:0", TJSAMP_411.rawValue: "4:1:1",
        ]
        let colorspaces: [UInt32: String] = [
            TJCS_RGB.rawValue: "RGB", TJCS_YCbCr.rawValue: "YCbCr", TJCS_GRAY.rawValue: "gray",
            TJCS_CMYK.rawValue: "CMYK", TJCS_YCCK.rawValue: "YCCK",
        ]
        return Header(width: Int(width), height: Int(height),
                      subsampling: subsamplings[UInt32(bitPattern: subsamp)] ?? "unknown", colorspace: colorspaces[UInt32(bitPattern: colorspace)] ?? "unknown")
    }

    /// TurboJPEG's last error as an `ImageError`: `.truncated` when the data stops before
    /// its end-of-image marker (whatever libjpeg called it), `.corrupt` otherwise.
    /// Variants TurboJPEG refuses (12-bit, lossless) are `.unsupportedFormat`, named.
    private static func failure(_ handle: tjhandle, _ data: [UInt8], path: String) -> ImageError {
        if let frame = JPEGStructure.frame(data), let reason = JPEGStructure.unsupportedReason(frame) {
            return ImageError(.unsupportedFormat, path: path, reason: reason)
        }
        let message = String(cString: tjGetErrorStr2(handle))
        let truncated = message.contains("Premature end of JPEG file")
            || !JPEGStructure.hasEndMarker(data)
        return ImageError(truncated ? .truncated : .corrupt, path: path, reason: message)
    }
}
