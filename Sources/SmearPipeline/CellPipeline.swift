import Foundation
import SmearCells
import SmearImaging
import SmearKernels
import SmearNet

/// One image in, classified cells out: decode at the model's scale, locate, crop, classify.
///
/// Free of slide concerns so `analyze` and `evaluate` judge a model on exactly what the
/// pipeline feeds it. When the source scale is known, JPEGs are decoded at the largest
/// TurboJPEG reduction that keeps them at least as fine as both the model's scale and the
/// locator's working scale. Every located cell (border ones included) is cropped around its
/// centre at the model's input size and scale, padded with the image's own background,
/// and all of an image's cells are classified in one batch. Results depend only on the
/// file (and the slide scale passed in), never on earlier images or on how many pipelines
/// run at once.
///
/// Not thread-safe (the locator and classifier keep scratch buffers): one per worker.
public final class CellPipeline: ImageAnalyzer {
    public let model: Model
    public let configuration: PipelineConfiguration
    private let locator: LeukocyteLocator
    private let classifier: Classifier
    /// For each model output, its index in `CellClass.allCases`.
    private let classIndex: [Int]
    /// Shared with the other workers' pipelines, or nil when images need no gate.
    private let largeImageGate: LargeImageGate?

    /// Prepares `model`; throws `PipelineError` when its classes are not SmearScan cell
    /// classes. OpenBLAS runs single-threaded: parallelism comes from running one pipeline
    /// per worker. With `configuration.classifierThreads` above 1 (one pipeline only), each
    /// classification splits its own work over that many threads instead, with the same results.
    ///
    /// - Parameter largeImageGate: shared by every worker's pipeline to analyse large
    ///   images one at a time (bounded memory); nil for none.
    public init(model: Model, configuration: PipelineConfiguration = PipelineConfiguration(),
                largeImageGate: LargeImageGate? = nil) throws {
        classIndex = try Self.classIndex(of: model.description.classes)
        self.model = model
        self.configuration = configuration
        self.largeImageGate = largeImageGate
        BLASThreads.set(1)
        locator = LeukocyteLocator(configuration: configuration.locator)
        classifier = try Classifier(model: model, maximumBatch: 32, threads: max(1, configuration.classifierThreads),
                                    views: configuration.views)
    }

    /// Maps a model's class names onto `CellClass.allCases` positions.
    static func classIndex(of names: [String]) throws(PipelineError) -> [Int] {
        var seen = Set<String>()
        return try names.map { name throws(PipelineError) in
            guard let cellClass = CellClass(rawValue: name) else {
                throw PipelineError("model class \"\(name)\" is not a SmearScan cell class (expected one of \(CellClass.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard seen.insert(name).inserted else { throw PipelineError("model lists class \"\(name)\" twice") }
            return CellClass.allCases.firstIndex(of: cellClass)!
        }
    }

    /// Analyses an image on its own: the configured scale, or one estimated from this image.
    public func analyze(imageAt url: URL) throws -> ImageAnalysis {
        try analyze(imageAt: url, slideScale: nil)
    }

    public func analyze(imageAt url: URL, slideScale: SlideScale?) throws -> ImageAnalysis {
        try analyze(url.path, info: ImageDecoder.info(path: url.path), slideScale: slideScale)
    }

    /// One image on its own (through the gate when it is large), its header already read.
    private func analyze(_ path: String, info: ImageInfo, slideScale: SlideScale?) throws -> ImageAnalysis {
        let scale = self.scale(of: info, slideScale: slideScale)
        return try withLocator(for: info) { locator in
            let prepared = try self.prepare(path, info: info, scale: scale, locator: locator)
            return self.finish(prepared, probabilities: self.classify(prepared.crops, count: prepared.located.cells.count))
        }
    }

    /// The source scale to use for an image: the configured one, else the slide's for its size.
    private func scale(of info: ImageInfo, slideScale: SlideScale?) -> Double? {
        configuration.micronsPerPixel ?? slideScale?.micronsPerPixel(width: info.width, height: info.height)
    }

    /// Analyses the images with their cells classified together, a few images' worth of
    /// cells per pass (same results as one call each). Large images still go one at a time
    /// through the gate, with their own locator.
    public func analyze(imagesAt urls: [URL], slideScale: SlideScale?) -> [Result<ImageAnalysis, any Error>] {
        var results = [Result<ImageAnalysis, any Error>?](repeating: nil, count: urls.count)
        var pending: [(slot: Int, image: PreparedImage)] = []
        for (slot, url) in urls.enumerated() {
            do {
                let info = try ImageDecoder.info(path: url.path)
                if isLarge(info) {
                    results[slot] = .success(try analyze(url.path, info: info, slideScale: slideScale))
                    continue
                }
                pending.append((slot, try prepare(url.path, info: info, scale: scale(of: info, slideScale: slideScale), locator: locator)))
            } catch {
                results[slot] = .failure(error)
            }
        }
        let together = pending.flatMap(\.image.crops)
        let probabilities = classify(together, count: pending.reduce(0) { $0 + $1.image.located.cells.count })
        var first = 0
        for (slot, image) in pending {
            let count = image.located.cells.count * classIndex.count
            results[slot] = .success(finish(image, probabilities: Array(probabilities[first..<(first + count)])))
            first += count
        }
        return results.map { $0! }
    }

    public func measureScale(imageAt url: URL) throws -> ScaleSample {
        let info = try ImageDecoder.info(path: url.path)
        if let given = configuration.micronsPerPixel {
            return ScaleSample(width: info.width, height: info.height, micronsPerPixel: given)
        }
        return try withLocator(for: info) { locator in
            let (decoded, estimate) = try self.measure(url.path, info: info, locator: locator)
            let perPixel = decoded.sourcePixelsPerPixelX
            return ScaleSample(width: info.width, height: info.height, micronsPerPixel: estimate.map { $0.micronsPerPixel / perPixel },
                               redCellDiameters: (estimate?.loneRedCellDiameters ?? []).map { $0 * perPixel })
        }
    }

    /// Whether the image gets a locator of its own and passes the gate (`largeImageMegapixels`).
    private func isLarge(_ info: ImageInfo) -> Bool {
        Double(info.width) * Double(info.height) / 1e6 >= configuration.largeImageMegapixels
    }

    /// Runs `body` with this pipeline's locator, or for a large image with a locator of its
    /// own, one large image at a time across the pipelines sharing the gate.
    private func withLocator<T>(for info: ImageInfo, _ body: @escaping (LeukocyteLocator) throws -> T) throws -> T {
        guard isLarge(info) else { return try body(locator) }
        let large = { try body(LeukocyteLocator(configuration: self.configuration.locator)) }
        return try largeImageGate.map { try $0.pass(large) } ?? large()
    }

    /// An image decoded and located, its cells cropped for the classifier.
    struct PreparedImage {
        let decoded: DecodedImage
        let located: LocatorResult
        /// The cells' crops, one after another, at the model's input size.
        let crops: [UInt8]
    }

    private func prepare(_ path: String, info: ImageInfo, scale: Double?, locator: LeukocyteLocator) throws -> PreparedImage {
        let (decoded, micronsPerPixel) = try decode(path, info: info, scale: scale, locator: locator)
        let located = locator.locate(decoded.image, micronsPerPixel: micronsPerPixel)
        let input = model.description.input
        var crops: [UInt8] = []
        crops.reserveCapacity(located.cells.count * input.width * input.height * 3)
        for cell in located.cells {
            let crop = CellCrop.crop(cell, from: decoded.image, width: input.width, height: input.height,
                                     targetMicronsPerPixel: input.micrometresPerPixel,
                                     sourceMicronsPerPixel: located.micronsPerPixel, fill: located.background)
            crops.append(contentsOf: crop.pixels)
        }
        return PreparedImage(decoded: decoded, located: located, crops: crops)
    }

    /// The probabilities (`count × model classes`) of `count` crops laid one after another.
    private func classify(_ crops: [UInt8], count: Int) -> [Float] {
        count == 0 ? [] : crops.withUnsafeBufferPointer { classifier.classify(rgbCrops: $0, count: count) }
    }

    /// The analysis of a prepared image from its cells' probabilities (model order).
    private func finish(_ prepared: PreparedImage, probabilities: [Float]) -> ImageAnalysis {
        let decoded = prepared.decoded, located = prepared.located, image = decoded.image
        let scaleX = decoded.sourcePixelsPerPixelX, scaleY = decoded.sourcePixelsPerPixelY
        let classes = classIndex.count
        let cells = located.cells.enumerated().map { i, cell in
            var values = [Float](repeating: 0, count: CellClass.allCases.count)
            for (output, index) in classIndex.enumerated() { values[index] = probabilities[i * classes + output] }
            return AnalyzedCell(box: Self.sourceBox(cell.bounds, scaleX: scaleX, scaleY: scaleY,
                                                   width: decoded.sourceWidth, height: decoded.sourceHeight),
                                touchesBorder: cell.touchesBorder,
                                probabilities: ClassProbabilities(values),
                                thumbnail: thumbnail(of: cell, in: image, micronsPerPixel: located.micronsPerPixel, fill: located.background))
        }
        return ImageAnalysis(width: decoded.sourceWidth, height: decoded.sourceHeight, cells: cells, focus: located.focus)
    }

    /// Decodes the image and says its scale (µm per decoded pixel), nil when it could not
    /// be measured (the locator then falls back to its default).
    ///
    /// With a known `scale` (µm per source pixel), JPEGs are decoded at the largest reduction
    /// that stays at least as fine as the model and the locator need. Without one, the scale
    /// is measured from the image itself (`measure`), and the image decoded again at full
    /// size only when the model needs finer pixels than the measured ones.
    private func decode(_ path: String, info: ImageInfo, scale: Double?, locator: LeukocyteLocator) throws(ImageError) -> (DecodedImage, Double?) {
        guard let scale else {
            let (measured, estimate) = try measure(path, info: info, locator: locator)
            guard let estimate else { return (measured, nil) }
            if estimate.micronsPerPixel <= finestMicronsPerPixel || measured.sourcePixelsPerPixelX == 1 {
                return (measured, estimate.micronsPerPixel)
            }
            let full = try ImageDecoder.decodeScaled(path: path, options: DecodeOptions(maxMegapixels: configuration.maxMegapixels))
            return (full, estimate.micronsPerPixel * measured.sourcePixelsPerPixelX / full.sourcePixelsPerPixelX)
        }
        let decoded = try Self.decode(path, info: info, micronsPerPixel: scale, finest: finestMicronsPerPixel,
                                      maxMegapixels: configuration.maxMegapixels)
        return (decoded, scale * decoded.sourcePixelsPerPixelX)
    }

    /// The coarsest pixels the model and the locator can work from, µm.
    private var finestMicronsPerPixel: Double {
        min(model.description.input.micrometresPerPixel, configuration.locator.workingMicronsPerPixel)
    }

    /// Decodes the image where its scale is measured and measures it there (scale in µm per
    /// decoded pixel): at half size for a JPEG at least twice `minimumEstimationSide` on each
    /// side (four times fewer pixels, and the estimator works on a coarse image anyway), at
    /// full size when that is not possible or the red cells come out too small to measure
    /// well at half size. The estimate is nil when the image shows too few red cells.
    private func measure(_ path: String, info: ImageInfo, locator: LeukocyteLocator) throws(ImageError) -> (DecodedImage, ScaleEstimate?) {
        if info.format == .jpeg && min(info.width, info.height) >= 2 * Self.minimumEstimationSide {
            let half = try ImageDecoder.decodeScaled(path: path, options: DecodeOptions(
                maxMegapixels: configuration.maxMegapixels,
                minimumWidth: ScaleFactor(1, 2).scaled(info.width), minimumHeight: ScaleFactor(1, 2).scaled(info.height)))
            if let estimate = locator.estimateScale(half.image), estimate.redCellDiameterPixels >= Self.minimumRedCellPixels {
                return (half, estimate)
            }
        }
        let full = try ImageDecoder.decodeScaled(path: path, options: DecodeOptions(maxMegapixels: configuration.maxMegapixels))
        return (full, locator.estimateScale(full.image))
    }

    /// Decodes an image of known scale (`micronsPerPixel`, source pixels) at the largest
    /// TurboJPEG reduction whose pixels are still at least as fine as `finest`; PNGs, and
    /// JPEGs no reduction suits, decode at full size.
    ///
    /// The one place that choice is made, so training crops (`smearscan train`) are cut from
    /// the same pixels the pipeline classifies.
    public static func decode(_ path: String, info: ImageInfo, micronsPerPixel scale: Double, finest: Double,
                              maxMegapixels: Double) throws(ImageError) -> DecodedImage {
        let reduction = ScaleFactor.reductions.last { scale * Double($0.denominator) / Double($0.numerator) <= finest } ?? .one
        guard reduction != .one, info.format == .jpeg else {
            return try ImageDecoder.decodeScaled(path: path, options: DecodeOptions(maxMegapixels: maxMegapixels))
        }
        return try ImageDecoder.decodeScaled(path: path, options: DecodeOptions(
            maxMegapixels: maxMegapixels,
            minimumWidth: reduction.scaled(info.width), minimumHeight: reduction.scaled(info.height)))
    }

    /// Red cells narrower than this (pixels) at half size are measured again at full size.
    static let minimumRedCellPixels = 20.0
    /// Images smaller than twice this (pixels) are never estimated at half size.
    static let minimumEstimationSide = 128

    /// A box in decoded pixels mapped back to source pixels, clipped to the source image.
    static func sourceBox(_ box: PixelRect, scaleX: Double, scaleY: Double, width: Int, height: Int) -> PixelRect {
        guard scaleX != 1 || scaleY != 1 else { return box }
        let x0 = Int((Double(box.x) * scaleX).rounded(.down)), y0 = Int((Double(box.y) * scaleY).rounded(.down))
        let x1 = min(width, Int((Double(box.maxX) * scaleX).rounded(.up)))
        let y1 = min(height, Int((Double(box.maxY) * scaleY).rounded(.up)))
        return PixelRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// The review thumbnail: the classifier's field of view at `thumbnailSize` pixels.
    private func thumbnail(of cell: LocatedCell, in image: RGBImage, micronsPerPixel: Double, fill: RGB) -> RGBImage? {
        let side = configuration.thumbnailSize
        guard side > 0 else { return nil }
        let input = model.description.input
        let field = Double(max(input.width, input.height)) * input.micrometresPerPixel
        return CellCrop.crop(cell, from: image, width: side, height: side, targetMicronsPerPixel: field / Double(side),
                             sourceMicronsPerPixel: micronsPerPixel, fill: fill)
    }
}
