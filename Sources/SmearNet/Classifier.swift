/// Batched classification of cell crops with a loaded model.
///
/// Crops are interleaved RGB bytes at the model's input size (`input.width × input.height`);
/// normalisation happens inside. Batch normalisation is folded into the convolutions and
/// activations fused into their epilogues when the classifier is created; all buffers are
/// kept between calls, so steady-state calls allocate nothing (use `classify(rgbCrops:count:into:)`).
///
/// Not thread-safe: create one classifier per worker (they share nothing and cost only
/// their activation buffers, a few MB). Results are the same bits whatever the batch size,
/// `threads` and `blasThreads`.
public final class Classifier {
    /// The model being run.
    public let model: Model
    /// Crops per forward pass; larger calls are split into chunks of this size.
    public let maximumBatch: Int
    private let network: Network

    /// Prepares `model` for inference with buffers for `maximumBatch` crops per pass.
    ///
    /// `threads` > 1 splits each pass's images and row blocks over that many threads, for
    /// low latency on a single crop or batch; `blasThreads` > 1 lets OpenBLAS split each
    /// product instead (one of the two must be 1). For throughput, prefer one single-threaded
    /// classifier per worker, and never combine workers with either: together they
    /// oversubscribe the cores. Every setting gives the same bits.
    public init(model: Model, maximumBatch: Int = 32, threads: Int = 1, blasThreads: Int = 1) throws {
        precondition(maximumBatch > 0 && threads > 0 && blasThreads > 0)
        precondition(threads == 1 || blasThreads == 1, "SmearNet threads or BLAS threads, never both")
        self.model = model
        self.maximumBatch = maximumBatch
        network = try Network(model: model, preparedForInference: true)
        network.threads = threads
        network.blasThreads = blasThreads
    }

    /// Class names in output order.
    public var classes: [String] { model.description.classes }

    /// Bytes per crop: `height × width × 3`.
    public var bytesPerCrop: Int { model.description.input.shape.count }

    /// Writes the probabilities (`count × classes`, row per crop) of `count` crops into `output`.
    public func classify(rgbCrops: UnsafeBufferPointer<UInt8>, count: Int, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(rgbCrops.count >= count * bytesPerCrop, "expected \(count) crops of \(bytesPerCrop) bytes")
        precondition(output.count >= count * classes.count, "output needs room for \(count) × \(classes.count) probabilities")
        var start = 0
        while start < count {
            let n = min(maximumBatch, count - start)
            let crops = UnsafeBufferPointer(rebasing: rgbCrops[(start * bytesPerCrop)..<((start + n) * bytesPerCrop)])
            let probabilities = network.probabilities(rgbBytes: crops, batch: n)
            (output.baseAddress! + start * classes.count).update(from: probabilities.baseAddress!, count: n * classes.count)
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
