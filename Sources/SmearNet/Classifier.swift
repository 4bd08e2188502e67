/// Batched classification of cell crops with a loaded model.
///
/// Crops are interleaved RGB bytes at the model's input size (`input.width × input.height`);
/// normalisation happens inside. Batch normalisation is folded into the convolutions and
/// activations fused into their epilogues when the classifier is created; all buffers are
/// kept between calls, so steady-state calls allocate nothing (use `classify(rgbCrops:count:into:)`).
///
/// With `views` > 1 each crop is classified in that many flipped and turned views
/// (`DihedralViews`) and the probabilities are averaged (test-time augmentation): `views`
/// times the work, steadier answers.
///
/// Not thread-safe: create one classifier per worker (they share nothing and cost only
/// their activation buffers, a few MB). Results are the same bits whatever the batch size
/// and `threads`.
public final class Classifier {
    /// The model being run.
    public let model: Model
    /// Crops per forward pass, each view counting as a crop; larger calls are split into
    /// chunks of `maximumBatch / views` crops (at least one).
    public let maximumBatch: Int
    /// Views averaged per crop (1 = the crop alone).
    public let views: Int
    private let network: Network
    /// The views of one chunk of crops, reused between calls.
    private var viewCrops = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)

    /// Prepares `model` for inference with buffers for `maximumBatch` crops per pass.
    ///
    /// `threads` > 1 splits each pass's images and row blocks over that many threads, for
    /// low latency on a single crop or batch. For throughput, prefer one single-threaded
    /// classifier per worker, and never combine workers with it: together they
    /// oversubscribe the cores. Every setting gives the same bits. `views` (1...8; 1...4 for
    /// crops that are not square) is how many symmetric views of each crop are averaged.
    public init(model: Model, maximumBatch: Int = 32, threads: Int = 1, views: Int = 1) throws {
        precondition(maximumBatch > 0 && threads > 0)
        let input = model.description.input
        guard (1...DihedralViews.available(width: input.width, height: input.height)).contains(views) else {
            throw ClassifierError(message: "\(views) views asked, but a \(input.width)×\(input.height) crop has "
                                  + "\(DihedralViews.available(width: input.width, height: input.height))")
        }
        self.model = model
        self.maximumBatch = maximumBatch
        self.views = views
        network = try Network(model: model, preparedForInference: true)
        network.threads = threads
        if views > 1 { viewCrops = .allocate(capacity: max(maximumBatch, views) * input.shape.count) }
    }

    deinit { viewCrops.deallocate() }

    /// Class names in output order.
    public var classes: [String] { model.description.classes }

    /// Bytes per crop: `height × width × 3`.
    public var bytesPerCrop: Int { model.description.input.shape.count }

    /// Writes the probabilities (`count × classes`, row per crop) of `count` crops into `output`.
    public func classify(rgbCrops: UnsafeBufferPointer<UInt8>, count: Int, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(rgbCrops.count >= count * bytesPerCrop, "expected \(count) crops of \(bytesPerCrop) bytes")
        precondition(output.count >= count * classes.count, "output needs room for \(count) × \(classes.count) probabilities")
        let c = classes.count, input = model.description.input
        let chunk = max(1, maximumBatch / views)
        var start = 0
        while start < count {
            let n = min(chunk, count - start)
            let crops = UnsafeBufferPointer(rebasing: rgbCrops[(start * bytesPerCrop)..<((start + n) * bytesPerCrop)])
            let rows = output.baseAddress! + start * c
            if views == 1 {
                rows.update(from: network.probabilities(rgbBytes: crops, batch: n).baseAddress!, count: n * c)
            } else {
                // Every view of the chunk in one pass (a lone cell's views share products
                // instead of running as a pass of one each), summed per crop in view order:
                // the same bits whatever the batch.
                for view in 0..<views {
                    DihedralViews.write(view, of: crops, count: n, width: input.width, height: input.height,
                                        into: UnsafeMutableBufferPointer(rebasing: viewCrops[(view * n * bytesPerCrop)...]))
                }
                let p = network.probabilities(rgbBytes: UnsafeBufferPointer(rebasing: viewCrops[0..<(views * n * bytesPerCrop)]),
                                              batch: views * n).baseAddress!
                rows.update(from: p, count: n * c)
                for view in 1..<views { for i in 0..<(n * c) { rows[i] += p[view * n * c + i] } }
                let scale = 1 / Float(views)
                for i in 0..<(n * c) { rows[i] *= scale }
            }
            start += n
        }
    }

    /// The probabilities (`count × classes`, row per crop) of `count` crops.
    public func classify(rgbCrops: UnsafeBufferPointer<UInt8>, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count * classes.count) { buffer, initialized in
            classify(rgbCrops: rgbCrops, count: count, into: buffer)
            initialized = count * classes.count
        }
    }

    /// The probabilities of each crop (each `height × width × 3` bytes), one array per crop.
    public func classify(_ crops: [[UInt8]]) -> [[Float]] {
        var packed = [UInt8]()
        packed.reserveCapacity(crops.count * bytesPerCrop)
        for crop in crops {
            precondition(crop.count == bytesPerCrop, "each crop must be \(bytesPerCrop) bytes")
            packed.append(contentsOf: crop)
        }
        let flat = packed.withUnsafeBufferPointer { classify(rgbCrops: $0, count: crops.count) }
        return (0..<crops.count).map { Array(flat[($0 * classes.count)..<(($0 + 1) * classes.count)]) }
    }
}
