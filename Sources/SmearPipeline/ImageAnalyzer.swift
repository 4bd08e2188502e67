import Foundation

/// Turns one image file into located, classified cells.
///
/// Batch runners give each worker thread its own instance (made by a factory on that
/// thread), so conforming types may keep scratch buffers and need not be `Sendable`.
/// Results must depend only on the file's content (and the slide scale passed in), never
/// on what was analysed before, so batches come out identical whatever the number of workers.
public protocol ImageAnalyzer {
    /// Decodes, locates and classifies; throws (e.g. `ImageError`) when the file cannot be used.
    ///
    /// - Parameter slideScale: the scale measured over the image's slide, used when no
    ///   scale was configured; nil to estimate the image's scale on its own.
    mutating func analyze(imageAt url: URL, slideScale: SlideScale?) throws -> ImageAnalysis

    /// Analyses several images, each result in its own slot (one unusable file does not stop
    /// the others), the same results as one call each. Implementations may classify the
    /// images' cells together, which is faster for images of a cell or two.
    mutating func analyze(imagesAt urls: [URL], slideScale: SlideScale?) -> [Result<ImageAnalysis, any Error>]

    /// Measures the image's scale from its red cells, for a `SlideScale`.
    mutating func measureScale(imageAt url: URL) throws -> ScaleSample
}

extension ImageAnalyzer {
    /// One call per image.
    public mutating func analyze(imagesAt urls: [URL], slideScale: SlideScale?) -> [Result<ImageAnalysis, any Error>] {
        urls.map { url in Result { try analyze(imageAt: url, slideScale: slideScale) } }
    }
}

