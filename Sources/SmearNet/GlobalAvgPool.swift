import SmearKernels

/// The mean of each channel over all pixels: `H×W×C → 1×1×C`.
final class GlobalAvgPool: Layer {
    let name: String
    let inputShape: FeatureShape
    let outputShape: FeatureShape

    init(name: String, inputShape: FeatureShape) {
        self.name = name
        self.inputShape = inputShape
        outputShape = FeatureShape(height: 1, width: 1, channels: inputShape.channels)
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let pixels = inputShape.height * inputShape.width, c = inputShape.channels
        for image in 0..<batch {
            Pooling.globalAverage(inputs[0] + image * inputShape.count, pixels: pixels, channels: c, output: output + image * c)
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        guard let dx = inputGradients[0] else { return }
        let pixels = inputShape.height * inputShape.width, c = inputShape.channels
        for image in 0..<batch {
            Pooling.globalAverageBackwardAdd(outputGradient: outputGradient + image * c, pixels: pixels, channels: c,
                                             inputGradient: dx + image * inputShape.count)
        }
    }
}
