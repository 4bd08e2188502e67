import SmearKernels

/// Batch normalisation over the channels of NHWC images.
///
/// Training mode normalises with the batch's own mean and (biased) variance over N·H·W,
/// caches them for `backward`, and updates the running statistics
/// (`running = (1 − momentum)·running + momentum·batch`, unbiased variance, as PyTorch).
/// Inference uses the running statistics; prepared inference networks fold the layer into
/// the preceding convolution instead (`foldInto`).
final class BatchNorm: Layer {
    let name: String
    let outputShape: FeatureShape
    let epsilon: Float
    let momentum: Float
    let weight: Parameter
    let bias: Parameter
    let runningMean: Parameter
    let runningVariance: Parameter
    /// Batch mean and 1/σ of the last training forward pass, for `backward`.
    private var batchMean: [Float]
    private var batchInverseStd: [Float]
    private var lastForwardWasTraining = false

    init(name: String, shape: FeatureShape, epsilon: Float, momentum: Float) {
        self.name = name
        outputShape = shape
        self.epsilon = epsilon
        self.momentum = momentum
        let c = shape.channels
        weight = Parameter(name: name + ".weight", shape: [c], fill: 1)
        bias = Parameter(name: name + ".bias", shape: [c])
        runningMean = Parameter(name: name + ".running_mean", shape: [c], isTrainable: false)
        runningVariance = Parameter(name: name + ".running_var", shape: [c], isTrainable: false, fill: 1)
        batchMean = [Float](repeating: 0, count: c)
        batchInverseStd = [Float](repeating: 1, count: c)
    }

    var parameters: [Parameter] { [weight, bias, runningMean, runningVariance] }

    /// Per-channel scale `γ/√(var+ε)` and shift `β − mean·scale` of inference mode.
    func inferenceScaleAndShift() -> (scale: [Float], shift: [Float]) {
        var scale = [Float](repeating: 0, count: outputShape.channels), shift = scale
        for c in 0..<outputShape.channels {
            scale[c] = weight.value[c] / (runningVariance.value[c] + epsilon).squareRoot()
            shift[c] = bias.value[c] - runningMean.value[c] * scale[c]
        }
        return (scale, shift)
    }

    /// Folds inference-mode normalisation into `conv` (which must feed only this layer):
    /// each output channel's filter is scaled and the shift becomes the bias.
    func foldInto(_ conv: Conv2D) {
        let (scale, shift) = inferenceScaleAndShift()
        let perChannel = conv.weight.count / outputShape.channels
        let w = conv.weight.value, b = conv.ensureBias().value
        for c in 0..<outputShape.channels {
            for i in 0..<perChannel { w[c * perChannel + i] *= scale[c] }
            b[c] = b[c] * scale[c] + shift[c]
        }
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let c = outputShape.channels, pixels = outputShape.height * outputShape.width, rows = batch * pixels
        let x = inputs[0]
        lastForwardWasTraining = context.training
        var scale: [Float], shift: [Float]
        if context.training {
            let (sum, squares) = Self.laneSums(batch: batch, channels: c, context: context) { images, sum, squares in
                BatchNormKernels.channelSums(x + images.lowerBound * self.outputShape.count, rows: images.count * pixels,
                                             channels: c, sum: sum, squares: squares)
            }
            scale = [Float](repeating: 0, count: c)
            shift = scale
            let n = Double(rows)
            for ch in 0..<c {
                let mean = sum[ch] / n
                let variance = max(squares[ch] / n - mean * mean, 0)
                let inverseStd = 1 / (variance + Double(epsilon)).squareRoot()
                batchMean[ch] = Float(mean)
                batchInverseStd[ch] = Float(inverseStd)
                scale[ch] = weight.value[ch] * Float(inverseStd)
                shift[ch] = bias.value[ch] - Float(mean) * scale[ch]
                let unbiased = rows > 1 ? variance * n / (n - 1) : variance
                runningMean.value[ch] = (1 - momentum) * runningMean.value[ch] + momentum * Float(mean)
                runningVariance.value[ch] = (1 - momentum) * runningVariance.value[ch] + momentum * Float(unbiased)
            }
        } else {
            (scale, shift) = inferenceScaleAndShift()
        }
        let count = outputShape.count
        scale.withUnsafeBufferPointer { scale in
            shift.withUnsafeBufferPointer { shift in
                let scale = scale.baseAddress!, shift = shift.baseAddress!
                context.forEach(batch) { image, _ in
                    BatchNormKernels.scaleShift(x + image * count, output + image * count, rows: pixels, channels: c,
                                                scale: scale, shift: shift)
                }
            }
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        let c = outputShape.channels, pixels = outputShape.height * outputShape.width, rows = batch * pixels
        let x = inputs[0]
        let mean: [Float], inverseStd: [Float]
        if lastForwardWasTraining {
            mean = batchMean
            inverseStd = batchInverseStd
        } else {
            mean = Array(runningMean.value)
            inverseStd = runningVariance.value.map { 1 / ($0 + epsilon).squareRoot() }
        }
        let count = outputShape.count
        let (sumDy, sumDyXhat) = Self.laneSums(batch: batch, channels: c, context: context) { images, sumDy, sumDyXhat in
            BatchNormKernels.gradientSums(x + images.lowerBound * count, outputGradient: dy + images.lowerBound * count,
                                          rows: images.count * pixels, channels: c, mean: mean, inverseStd: inverseStd,
                                          sumDy: sumDy, sumDyXhat: sumDyXhat)
        }
        for ch in 0..<c {
            weight.gradient[ch] += Float(sumDyXhat[ch])
            bias.gradient[ch] += Float(sumDy[ch])
        }
        guard let dx = inputGradients[0] else { return }
        // Inference mode treats the statistics as constants: only the scale remains.
        let n = Double(rows), training = lastForwardWasTraining
        let a = (0..<c).map { weight.value[$0] * inverseStd[$0] }
        let b = (0..<c).map { training ? Float(sumDy[$0] / n) : 0 }
        let k = (0..<c).map { training ? Float(sumDyXhat[$0] / n) : 0 }
        let arrays = UncheckedSendable((mean, inverseStd, a, b, k))
        context.forEach(batch) { image, _ in
            let (mean, inverseStd, a, b, k) = arrays.value
            BatchNormKernels.inputGradientAdd(x + image * count, outputGradient: dy + image * count, inputGradient: dx + image * count,
                                              rows: pixels, channels: c, mean: mean, inverseStd: inverseStd, a: a, b: b, k: k)
        }
    }

    /// Two per-channel sums over the batch, computed per run of images (over the threads)
    /// and added in run order, so they do not depend on the thread count.
    private static func laneSums(
        batch: Int, channels c: Int, context: ExecutionContext,
        _ body: (Range<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void
    ) -> ([Double], [Double]) {
        let lanes = min(ExecutionContext.reductionLanes, batch)
        var partial = [Double](repeating: 0, count: 2 * lanes * c)
        partial.withUnsafeMutableBufferPointer { partial in
            let base = partial.baseAddress!
            context.forEachRun(of: batch) { lane, images, _ in body(images, base + 2 * lane * c, base + (2 * lane + 1) * c) }
        }
        var first = [Double](repeating: 0, count: c), second = first
        for lane in 0..<lanes {
            for ch in 0..<c {
                first[ch] += partial[2 * lane * c + ch]
                second[ch] += partial[(2 * lane + 1) * c + ch]
            }
        }
        return (first, second)
    }
}
