import Foundation
import SmearCells
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
}

/// Decoded training crops kept in memory as 8-bit RGB, so epochs never decode again.
///
/// Each image goes through the steps `CellPipeline` takes before classifying (see
/// `PipelineCropper`): reduced-scale decode, locator, crop centred on the located cell at
/// the model's µm/px, padded with the image's background. The crop is a context square
/// larger than the model input, so augmentation can rotate and shift within real pixels;
/// its centre is exactly the crop the pipeline would classify. At 0.4 µm/px a 92 px
/// context takes 25 KB, so 12,000 cells take about 300 MB. Decoding runs on `threads`
/// threads; the result does not depend on how many.
public struct CellImageCache: Sendable {
    /// One context crop per loaded cell, in the order of `cells`.
    public var images: [RGBImage]
    /// The cells that loaded.
    public var cells: [LabelledCell]
    /// Cells whose images failed to decode (truncated JPEGs and the like), with the reason.
    public var failures: [(cell: LabelledCell, reason: String)]
    /// Loaded cells where the locator found no leukocyte, so the crop is the image centre.
    public var unlocated: [LabelledCell] = []

    /// Loads `cells`, calling `progress(done, total)` now and then from any thread.
    public static func load(_ cells: [LabelledCell], geometry: CropGeometry, contextSize: Int, threads: Int,
                            progress: (@Sendable (Int, Int) -> Void)? = nil) -> CellImageCache {
        let workers = max(1, threads)
        let croppers = WorkerLocal((0..<workers).map { _ in PipelineCropper(geometry: geometry, contextSize: contextSize) })
        let results = ParallelMap.map(count: cells.count, threads: workers, progress: progress) { i, worker -> Result<PipelineCropper.Crop, ImageError> in
            do throws(ImageError) {
                return .success(try croppers.values[worker].crop(path: cells[i].path))
            } catch {
                return .failure(error)
            }
        }
        var cache = CellImageCache(images: [], cells: [], failures: [])
        for (cell, result) in zip(cells, results) {
            switch result {
            case .success(let crop):
                cache.images.append(crop.image)
                cache.cells.append(cell)
                if !crop.located { cache.unlocated.append(cell) }
            case .failure(let error):
                cache.failures.append((cell, error.description))
            }
        }
        return cache
    }
}

/// Per-worker objects (locators keep scratch buffers): worker `w` touches only `values[w]`.
struct WorkerLocal<Value>: @unchecked Sendable {
    let values: [Value]
    init(_ values: [Value]) { self.values = values }
}
