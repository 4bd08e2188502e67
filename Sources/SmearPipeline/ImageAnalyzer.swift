import Foundation

/// Turns one image file into located, classified cells.
///
/// Batch runners give each worker thread its own instance (made by a factory on that
/// thread), so conforming types may keep scratch buffers and need not be `Sendable`.
/// Results must depend only on the file's content, never on what was analysed before,
/// so batches come out identical whatever the number of workers.
public protocol ImageAnalyzer {
    /// Decodes, locates and classifies; throws (e.g. `ImageError`) when the file cannot be used.
    mutating func analyze(imageAt url: URL) throws -> ImageAnalysis
}
