import Foundation
import SmearImaging

/// The scale and size of the crops a model takes, and the scale of the source images.
public struct CropGeometry: Sendable, Codable, Equatable {
    /// Side of the square model input, in pixels.
    public var inputSize: Int
    /// Micrometres per pixel of the model input.
    public var inputMicronsPerPixel: Double
    /// Micrometres per pixel of the dataset images (CellaVision DM96 exports: about 0.1).
    public var sourceMicronsPerPixel: Double

    public init(inputSize: Int, inputMicronsPerPixel: Double, sourceMicronsPerPixel: Double = 0.1) {
        self.inputSize = inputSize
        self.inputMicronsPerPixel = inputMicronsPerPixel
        self.sourceMicronsPerPixel = sourceMicronsPerPixel
    }

    /// Source pixels per input pixel (4 for 0.1 → 0.4 µm/px).
    public var reduction: Double { inputMicronsPerPixel / sourceMicronsPerPixel }
}

/// Decoded training crops kept in memory as 8-bit RGB, so epochs never decode again.
///
/// Each image is decoded once, scaled to the model's µm/px (area averaging) and cut to a
/// centred context square large enough for the augmentation's rotations and shifts. At
/// 0.4 µm/px a CellaVision cell image becomes about 90×90 (24 KB), so 12,000 cells take
/// about 300 MB. Decoding runs on `threads` threads; the result does not depend on how many.
public struct CellImageCache: Sendable {
    /// One context crop per loaded cell, in the order of `cells`.
    public var images: [RGBImage]
    /// The cells that loaded.
    public var cells: [LabelledCell]
    /// Cells whose images failed to decode (truncated JPEGs and the like), with the reason.
    public var failures: [(cell: LabelledCell, reason: String)]

    /// Loads `cells`, calling `progress(done, total)` now and then from any thread.
    public static func load(_ cells: [LabelledCell], geometry: CropGeometry, contextSize: Int, threads: Int,
                            progress: (@Sendable (Int, Int) -> Void)? = nil) -> CellImageCache {
        let results = ParallelMap.map(count: cells.count, threads: threads, progress: progress) { i -> Result<RGBImage, ImageError> in
            do throws(ImageError) {
                let image = try ImageDecoder.decode(path: cells[i].path)
                return .success(contextCrop(image, geometry: geometry, contextSize: contextSize))
            } catch {
                return .failure(error)
            }
        }
        var cache = CellImageCache(images: [], cells: [], failures: [])
        for (cell, result) in zip(cells, results) {
            switch result {
            case .success(let image): cache.images.append(image); cache.cells.append(cell)
            case .failure(let error): cache.failures.append((cell, error.description))
            }
        }
        return cache
    }

    /// Scales a decoded cell image to the model's µm/px and cuts the centred context square
    /// (no larger than the scaled image, and of the input size's parity so the centre crop
    /// needs no half-pixel shift).
    public static func contextCrop(_ image: RGBImage, geometry: CropGeometry, contextSize: Int) -> RGBImage {
        let w = max(1, Int((Double(image.width) / geometry.reduction).rounded()))
        let h = max(1, Int((Double(image.height) / geometry.reduction).rounded()))
        let scaled = image.resized(width: w, height: h)
        func side(_ available: Int) -> Int {
            var s = min(available, contextSize)
            if (s - geometry.inputSize) % 2 != 0 { s -= 1 }
            return max(s, 1)
        }
        let cw = side(w), ch = side(h)
        return scaled.cropped(to: PixelRect(x: (w - cw) / 2, y: (h - ch) / 2, width: cw, height: ch))
    }
}
