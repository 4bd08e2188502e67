import Foundation
import SmearCells
import SmearImaging
import SmearPipeline

/// Cuts a labelled single-cell image the way `CellPipeline` cuts the cells it classifies:
/// TurboJPEG-reduced decode at the finest reduction still at least as fine as the model's
/// and the locator's scale, the locator, and `CellCrop` around the located cell nearest the
/// image centre (CellaVision centres the labelled cell), padded with the image's background.
///
/// The crop is `contextSize` square rather than the model's input size; its centre
/// `inputSize` square is the pipeline's crop. Not thread-safe (the locator keeps scratch).
final class PipelineCropper {
    struct Crop {
        var image: RGBImage
        /// Whether the locator found a cell (otherwise the crop is centred on the image).
        var located: Bool
    }

    let geometry: CropGeometry
    let contextSize: Int
    private let locator = LeukocyteLocator()

    init(geometry: CropGeometry, contextSize: Int) {
        self.geometry = geometry
        self.contextSize = contextSize
    }

    func crop(path: String) throws(ImageError) -> Crop {
        let decoded = try decode(path)
        let image = decoded.image
        let located = locator.locate(image, micronsPerPixel: geometry.sourceMicronsPerPixel * decoded.sourcePixelsPerPixelX)
        let size = contextSize
        let cx = Double(image.width) / 2 - 0.5, cy = Double(image.height) / 2 - 0.5
        if let cell = located.cells.min(by: { hypot($0.centerX - cx, $0.centerY - cy) < hypot($1.centerX - cx, $1.centerY - cy) }) {
            let crop = CellCrop.crop(cell, from: image, width: size, height: size, targetMicronsPerPixel: geometry.inputMicronsPerPixel,
                                     sourceMicronsPerPixel: located.micronsPerPixel, fill: located.background)
            return Crop(image: crop, located: true)
        }
        // No leukocyte found (platelets, some smudges): the same crop around the image centre.
        let ratio = geometry.inputMicronsPerPixel / located.micronsPerPixel
        let side = max(1, Int((Double(size) * ratio).rounded()))
        let x0 = Int((cx + 0.5 - Double(side) / 2).rounded()), y0 = Int((cy + 0.5 - Double(side) / 2).rounded())
        let region = image.cropped(to: PixelRect(x: x0, y: y0, width: side, height: side), fill: located.background)
        return Crop(image: region.resized(width: size, height: size), located: false)
    }

    /// Decodes as `CellPipeline` does for a known scale, at least as fine as both the model's
    /// and the locator's scale.
    private func decode(_ path: String) throws(ImageError) -> DecodedImage {
        let finest = min(geometry.inputMicronsPerPixel, LocatorConfiguration().workingMicronsPerPixel)
        return try CellPipeline.decode(path, info: ImageDecoder.info(path: path), micronsPerPixel: geometry.sourceMicronsPerPixel,
                                       finest: finest, maxMegapixels: DecodeOptions.defaultMaxMegapixels)
    }
}
