// Compiled into the image harnesses (see .ci/fuzz).
import SmearImaging

/// Decodes `bytes` as the pipeline does and checks what every input must satisfy: success
/// gives an image of the scaled header size, agreeing with `ImageDecoder.info`; failure is
/// an `ImageError` with a one-line reason naming the source.
func checkDecode(_ bytes: [UInt8], options: DecodeOptions) {
    let path = "<fuzz>"
    do {
        let decoded = try ImageDecoder.decodeScaled(data: bytes, path: path, options: options)
        let image = decoded.image
        require(image.width == decoded.scale.scaled(decoded.sourceWidth)
                && image.height == decoded.scale.scaled(decoded.sourceHeight),
                "\(image.width)x\(image.height) is not \(decoded.scale) of \(decoded.sourceWidth)x\(decoded.sourceHeight)")
        require(image.width >= options.minimumWidth || decoded.scale == .one, "reduced below the minimum width")
        require(image.height >= options.minimumHeight || decoded.scale == .one, "reduced below the minimum height")
        require(Double(decoded.sourceWidth * decoded.sourceHeight) <= options.maxMegapixels * 1_000_000, "megapixel limit passed")
        let info = try? ImageDecoder.info(data: bytes, path: path)
        require(info?.width == decoded.sourceWidth && info?.height == decoded.sourceHeight,
                "info \(String(describing: info)) disagrees with the decoded \(decoded.sourceWidth)x\(decoded.sourceHeight)")
    } catch {
        checkError(error, path: path)
    }
}

/// An `ImageError` must name the file and fit on one line of a batch log.
func checkError(_ error: ImageError, path: String) {
    require(error.path == path, "error names \(error.path), not \(path)")
    require(!error.reason.isEmpty, "empty error reason")
    require(isOneLine(error.description), "multi-line error: \(error.description)")
}
