import Dispatch
import SmearKernels

/// A network built from a `ModelDescription`: batched forward passes (inference or
/// training mode), backward passes, named parameters with gradients, and export to files.
///
/// Training in five calls:
/// ```swift
/// let net = try Network(description: desc, seed: 42)          // He-initialised weights
/// // or: let net = try Network(model: try Model.load(from: url)) // fine-tuning
/// net.threads = 2                                              // optional: split each pass
/// for batch in batches {
///     net.zeroGradients()
///     net.forward(rgbBytes: crops, batch: n, training: true)   // or forward(normalized:)
///     let loss = net.backward(labels: labels, classWeights: weights, labelSmoothing: 0.1)
///     for p in net.trainableParameters {                        // optimiser step
///         p.withValueAndGradient { value, gradient in /* update value in place */ }
///     }
/// }
/// let probabilities = net.probabilities(rgbBytes: crops, batch: n) // eval mode (running BN stats)
/// try net.exportModel().write(to: url)                             // <name>.json + <name>.safetensors
/// ```
/// Inputs are NHWC batches: `batch × height × width × 3`, either bytes (normalised inside
/// with the description's mean/std) or already-normalised floats. Batch normalisation in
/// training mode uses batch statistics and updates running statistics; exported models keep
/// BN as its own layer and `Classifier` folds it into the convolutions when it loads.
///
/// Determinism: inference results are the same bits whatever the batch a crop is in and
/// whatever `threads` is — large feature maps run image by image in row blocks of fixed
/// shape, small ones share products across images only through `RowInvariantGEMM` with rows
/// placed by a `RowLayout`, so no element depends on the rows around it, work is split over
/// threads only in batch-independent pieces, and OpenBLAS itself always runs
/// single-threaded (its own split of a product changes the rounding on some kernels).
/// Training results (BN batch statistics, gradients) depend on the batch, as they must,
/// but not on `threads`: reductions over a batch run in a fixed number of image runs whose
/// partial sums are added in order. A network is not thread-safe; use one per thread.
public final class Network {
    /// The description the network was built from.
    public let description: ModelDescription
    /// Every stored tensor (learned weights and running statistics) in layer order.
    public let parameters: [Parameter]
    /// Whether batch normalisations were folded and activations fused (inference only:
    /// no backward pass, no export).
    public let isPreparedForInference: Bool

    var graph: NetworkGraph
    let context = ExecutionContext()
    let normalizer: InputNormalizer
    /// Buffer slot of each value id, and the slots (per-image sizes grow the buffer).
    private var slotOfValue: [Int: Int] = [:]
    private var slots: [FloatBuffer] = []
    private var slotImageCount: [Int] = []
    private var gradients: [Int: FloatBuffer] = [:]
    private var capacity = 0
    /// Each layer's input buffers, rebuilt only when buffers grow.
    private var inputPointers: [[UnsafePointer<Float>]] = []
    /// Layers after the logits (a final softmax), skipped in training passes.
    private lazy var firstNodeAfterLogits: Int = (graph.nodes.firstIndex { $0.output == graph.logits } ?? graph.nodes.count - 1) + 1
    private var lastBatch = 0
    private var lastForwardWasTraining = false

    /// Builds a network with He-initialised weights drawn from `seed` (convolutions and
    /// fully connected weights `N(0, 2/fan_in)`, biases 0, BN scale 1 and shift 0).
    public convenience init(description: ModelDescription, seed: UInt64) throws {
        try self.init(description: description, file: "<\(description.name)>", preparedForInference: false)
        var random = SeededRandom(seed: seed)
        for node in graph.nodes {
            let weight: Parameter, fanIn: Int
            if let conv = node.layer as? Conv2D {
                (weight, fanIn) = (conv.weight, conv.geometry.patchLength)
            } else if let linear = node.layer as? Linear {
                (weight, fanIn) = (linear.weight, linear.inputCount)
            } else {
                continue
            }
            let std = (2 / Float(fanIn)).squareRoot()
            for i in 0..<weight.count { weight.value[i] = std * random.nextGaussian() }
        }
    }

    /// Builds a network holding `model`'s weights. With `preparedForInference`, batch
    /// normalisations are folded into convolutions, activations fused into their epilogues
    /// and activation buffers shared between layers that do not overlap in time.
    public convenience init(model: Model, preparedForInference: Bool = false) throws {
        try self.init(description: model.description, file: model.descriptionFile, tensors: model.tensors,
                      weightsFile: model.weightsFile, preparedForInference: preparedForInference)
    }

    private init(
        description: ModelDescription, file: String, tensors: [String: Tensor]? = nil, weightsFile: String = "",
        preparedForInference: Bool
    ) throws {
        Self.singleThreadedBLAS
        self.description = description
        graph = try NetworkGraph(description, file: file)
        if let tensors {
            for parameter in graph.parameters {
                guard let tensor = tensors[parameter.name], tensor.shape == parameter.shape else {
                    throw ModelFileError(file: weightsFile, tensor: parameter.name, reason: "missing or of the wrong shape")
                }
                parameter.load(tensor.scalars)
            }
        }
        if preparedForInference { graph.foldForInference() }
        parameters = graph.parameters
        isPreparedForInference = preparedForInference
        normalizer = InputNormalizer(description.input)
        assignSlots()
    }

    /// Threads sharing each layer's independent work (images, row blocks of one image), for
    /// the latency of a single crop or small batch. Each product stays one single-threaded
    /// OpenBLAS call of the same shape, so results are the same bits for any value. (OpenBLAS's
    /// own threads are never used: they cut a product's tiles where they like, and OpenBLAS
    /// 0.3.21's Haswell/Zen sgemm kernel rounds rows differently by their place in a tile.)
    public var threads: Int {
        get { context.threads }
        set { context.threads = max(1, newValue) }
    }

    /// Sets OpenBLAS to one thread, once, before the first network runs.
    private static let singleThreadedBLAS: Void = BLASThreads.set(1)

    /// Learned parameters only (what an optimiser updates).
    public var trainableParameters: [Parameter] { parameters.filter(\.isTrainable) }

    /// Sets every gradient to zero.
    public func zeroGradients() { for p in parameters { p.zeroGradient() } }

    /// The number of classes (logits per image).
    public var classCount: Int { description.classes.count }

    /// Multiply-adds per crop of each layer, by name.
    public var layerMultiplyAdds: [(name: String, multiplyAdds: Int)] {
        graph.nodes.map { ($0.layer.name, $0.layer.multiplyAdds) }
    }

    // MARK: Forward

    /// Runs `batch` crops of interleaved RGB bytes (`batch × H × W × 3`) and returns the
    /// logits (`batch × classes`), valid until the next call.
    @discardableResult
    public func forward(rgbBytes: UnsafeBufferPointer<UInt8>, batch: Int, training: Bool = false) -> UnsafeBufferPointer<Float> {
        let shape = description.input.shape
        precondition(batch > 0 && rgbBytes.count >= batch * shape.count, "expected \(batch) > 0 crops of \(shape) bytes")
        reserve(batch)
        normalizer.normalize(rgbBytes.baseAddress!, count: batch * shape.height * shape.width, into: buffer(0))
        return run(batch: batch, training: training)
    }

    /// Runs `batch` already-normalised NHWC crops and returns the logits, valid until the next call.
    @discardableResult
    public func forward(normalized input: UnsafeBufferPointer<Float>, batch: Int, training: Bool = false) -> UnsafeBufferPointer<Float> {
        let count = batch * description.input.shape.count
        precondition(batch > 0 && input.count >= count, "expected \(batch) > 0 normalised crops of \(description.input.shape)")
        reserve(batch)
        buffer(0).update(from: input.baseAddress!, count: count)
        return run(batch: batch, training: training)
    }

    /// Inference-mode class probabilities (`batch × classes`) of RGB crops, valid until the next call.
    public func probabilities(rgbBytes: UnsafeBufferPointer<UInt8>, batch: Int) -> UnsafeBufferPointer<Float> {
        let logits = forward(rgbBytes: rgbBytes, batch: batch, training: false)
        return softmaxOutput(logits, batch: batch)
    }

    /// The probabilities for logits just computed: the network's own softmax output, or a
    /// softmax applied in place of a missing one.
    func softmaxOutput(_ logits: UnsafeBufferPointer<Float>, batch: Int) -> UnsafeBufferPointer<Float> {
        let out = buffer(graph.output)
        if graph.output == graph.logits {
            for image in 0..<batch {
                Softmax.apply(logits.baseAddress! + image * classCount, out + image * classCount, count: classCount)
            }
        }
        return UnsafeBufferPointer(start: out, count: batch * classCount)
    }

    /// Runs every layer; `timings`, if given, receives each layer's wall time in seconds (added).
    func run(batch: Int, training: Bool, timings: UnsafeMutablePointer<Double>? = nil, clock: TimingClock = .wall) -> UnsafeBufferPointer<Float> {
        precondition(!(training && isPreparedForInference), "a network prepared for inference cannot train")
        context.training = training
        lastBatch = batch
        lastForwardWasTraining = training
        for (index, node) in graph.nodes.enumerated() {
            // Training needs only the logits; a final softmax runs in the loss instead.
            if training && index >= firstNodeAfterLogits { continue }
            let start = timings == nil ? 0 : clock.now()
            node.layer.forward(inputPointers[index], output: buffer(node.output), batch: batch, context: context)
            if let timings { timings[index] += Double(clock.now() - start) * 1e-9 }
        }
        return UnsafeBufferPointer(start: buffer(graph.logits), count: batch * classCount)
    }

    /// Inference-mode forward passes of `batch` crops, `repeats` times, timing each layer:
    /// returns seconds per pass for each layer of `layerSummaries`.
    public func profileLayers(rgbBytes: UnsafeBufferPointer<UInt8>, batch: Int, repeats: Int, clock: TimingClock = .wall) -> [Double] {
        let shape = description.input.shape
        precondition(rgbBytes.count >= batch * shape.count)
        reserve(batch)
        normalizer.normalize(rgbBytes.baseAddress!, count: batch * shape.height * shape.width, into: buffer(0))
        var timings = [Double](repeating: 0, count: graph.nodes.count)
        timings.withUnsafeMutableBufferPointer { t in
            for _ in 0..<repeats { _ = run(batch: batch, training: false, timings: t.baseAddress!, clock: clock) }
        }
        return timings.map { $0 / Double(repeats) }
    }

    // MARK: Backward

    /// Times `repeats` training steps (training-mode forward, loss, backward) per layer:
    /// returns seconds per step for each layer of `layerSummaries`, forward and backward.
    public func profileTrainingStep(
        rgbBytes: UnsafeBufferPointer<UInt8>, labels: [Int], repeats: Int, clock: TimingClock = .wall
    ) -> (forward: [Double], backward: [Double]) {
        var forward = [Double](repeating: 0, count: graph.nodes.count), backward = forward
        forward.withUnsafeMutableBufferPointer { f in
            backward.withUnsafeMutableBufferPointer { b in
                for _ in 0..<repeats {
                    let shape = description.input.shape
                    reserve(labels.count)
                    normalizer.normalize(rgbBytes.baseAddress!, count: labels.count * shape.height * shape.width, into: buffer(0))
                    _ = run(batch: labels.count, training: true, timings: f.baseAddress!, clock: clock)
                    let logits = UnsafeBufferPointer(start: UnsafePointer(buffer(graph.logits)), count: lastBatch * classCount)
                    _ = SoftmaxCrossEntropy.lossAndGradient(
                        logits: logits, labels: labels, classes: classCount, classWeights: nil,
                        labelSmoothing: 0, gradient: gradientBuffer(graph.logits))
                    backpropagate(timings: b.baseAddress!, clock: clock)
                }
            }
        }
        return (forward.map { $0 / Double(repeats) }, backward.map { $0 / Double(repeats) })
    }

    /// After a training `forward`, computes the softmax cross-entropy loss against `labels`
    /// (see `SoftmaxCrossEntropy`), back-propagates it and *adds* every parameter's gradient.
    /// Returns the loss (weighted mean over the batch).
    @discardableResult
    public func backward(labels: [Int], classWeights: [Float]? = nil, labelSmoothing: Float = 0) -> Float {
        precondition(labels.count == lastBatch, "one label per image of the last forward pass")
        let logits = UnsafeBufferPointer(start: UnsafePointer(buffer(graph.logits)), count: lastBatch * classCount)
        let gradient = gradientBuffer(graph.logits)
        let loss = SoftmaxCrossEntropy.lossAndGradient(
            logits: logits, labels: labels, classes: classCount, classWeights: classWeights,
            labelSmoothing: labelSmoothing, gradient: gradient)
        backpropagate()
        return loss
    }

    /// After a training `forward`, back-propagates a given gradient of the logits
    /// (`batch × classes`) and adds every parameter's gradient.
    public func backward(logitsGradient: UnsafeBufferPointer<Float>) {
        precondition(logitsGradient.count >= lastBatch * classCount)
        gradientBuffer(graph.logits).update(from: logitsGradient.baseAddress!, count: lastBatch * classCount)
        backpropagate()
    }

    func backpropagate(timings: UnsafeMutablePointer<Double>? = nil, clock: TimingClock = .wall) {
        precondition(lastForwardWasTraining && !isPreparedForInference, "backward needs a training forward pass first")
        let batch = lastBatch
        // Zero every gradient except the logits' (just written), then walk the nodes backwards.
        for node in graph.nodes where node.output != graph.logits {
            gradientBuffer(node.output).update(repeating: 0, count: batch * graph.shapes[node.output]!.count)
        }
        var needed: Set<Int> = [graph.logits]
        for (index, node) in graph.nodes.enumerated().reversed() where needed.contains(node.output) {
            needed.formUnion(node.inputs)
            let start = timings == nil ? 0 : clock.now()
            let inputGradients = node.inputs.map { $0 == 0 ? nil : gradientBuffer($0) }
            node.layer.backward(
                node.inputs.map { UnsafePointer(buffer($0)) }, output: buffer(node.output),
                outputGradient: gradientBuffer(node.output), inputGradients: inputGradients,
                batch: batch, context: context)
            if let timings { timings[index] += Double(clock.now() - start) * 1e-9 }
        }
    }

    // MARK: Buffers

    private func buffer(_ id: Int) -> UnsafeMutablePointer<Float> { slots[slotOfValue[id]!].pointer }

    private func gradientBuffer(_ id: Int) -> UnsafeMutablePointer<Float> {
        let count = max(capacity, lastBatch) * graph.shapes[id]!.count
        if let existing = gradients[id] {
            existing.reserve(count)
            return existing.pointer
        }
        let created = FloatBuffer(count: count)
        gradients[id] = created
        return created.pointer
    }

    private func reserve(_ batch: Int) {
        guard batch > capacity else { return }
        capacity = batch
        for (slot, perImage) in zip(slots, slotImageCount) { slot.reserve(batch * perImage) }
        // Buffers may have moved: refresh the per-layer input lists (kept so passes allocate nothing).
        inputPointers = graph.nodes.map { node in node.inputs.map { UnsafePointer(buffer($0)) } }
    }

    /// Gives every value a buffer. Training networks keep every value (backward reads them);
    /// prepared networks reuse a buffer once the last reader of its value has run.
    private func assignSlots() {
        var ids = [0] + graph.nodes.map(\.output)
        ids = Array(Set(ids)).sorted()
        guard isPreparedForInference else {
            for id in ids {
                slotOfValue[id] = slots.count
                slots.append(FloatBuffer())
                slotImageCount.append(graph.shapes[id]!.count)
            }
            return
        }
        var lastUse: [Int: Int] = [:]
        for (index, node) in graph.nodes.enumerated() { for id in node.inputs { lastUse[id] = index } }
        for id in [graph.logits, graph.output] { lastUse[id] = graph.nodes.count }
        var free: [Int] = []
        slotOfValue[0] = 0
        slots.append(FloatBuffer())
        slotImageCount.append(graph.shapes[0]!.count)
        for (index, node) in graph.nodes.enumerated() {
            let slot: Int
            if let reused = free.popLast() {
                slot = reused
            } else {
                slot = slots.count
                slots.append(FloatBuffer())
                slotImageCount.append(0)
            }
            slotOfValue[node.output] = slot
            slotImageCount[slot] = max(slotImageCount[slot], graph.shapes[node.output]!.count)
            // Values whose last reader is this node become free for the nodes after it.
            for id in Set(node.inputs) where lastUse[id] == index { free.append(slotOfValue[id]!) }
        }
    }
}
