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
        let c = outputShape.channels, rows = batch * outputShape.height * outputShape.width
        let x = inputs[0]
        lastForwardWasTraining = context.training
        var scale: [Float], shift: [Float]
        if context.training {
            var sum = [Double](repeating: 0, count: c), squares = sum
            BatchNormKernels.channelSums(x, rows: rows, channels: c, sum: &sum, squares: &squares)
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
        BatchNormKernels.scaleShift(x, output, rows: rows, channels: c, scale: scale, shift: shift)
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        let c = outputShape.channels, rows = batch * outputShape.height * outputShape.width
        let x = inputs[0]
        let mean: [Float], inverseStd: [Float]
        if lastForwardWasTraining {
            mean = batchMean
            inverseStd = batchInverseStd
        } else {
            mean = Array(runningMean.value)
            inverseStd = runningVariance.value.map { 1 / ($0 + epsilon).squareRoot() }
        }
        var sumDy = [Double](repeating: 0, count: c), sumDyXhat = sumDy
        BatchNormKernels.gradientSums(x, outputGradient: dy, rows: rows, channels: c, mean: mean, inverseStd: inverseStd,
                                      sumDy: &sumDy, sumDyXhat: &sumDyXhat)
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
        BatchNormKernels.inputGradientAdd(x, outputGradient: dy, inputGradient: dx, rows: rows, channels: c,
                                          mean: mean, inverseStd: inverseStd, a: a, b: b, k: k)
    }
}
