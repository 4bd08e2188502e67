import SmearKernels

/// ReLU, ReLU6 or SiLU as a layer of its own (prepared inference networks fuse it into the
/// preceding convolution's epilogue instead).
final class ActivationLayer: Layer {
    let name: String
    let outputShape: FeatureShape
    let activation: Activation

    init(name: String, activation: Activation, shape: FeatureShape) {
        self.name = name
        self.activation = activation
        outputShape = shape
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let x = inputs[0], count = outputShape.count, activation = activation
        context.forEach(batch) { image, _ in
            ActivationKernels.forward(activation, x + image * count, output + image * count, count: count)
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        guard let dx = inputGradients[0] else { return }
        let x = inputs[0], count = outputShape.count, activation = activation
        context.forEach(batch) { image, _ in
            ActivationKernels.backwardAdd(activation, x: x + image * count, outputGradient: outputGradient + image * count,
                                          inputGradient: dx + image * count, count: count)
        }
    }
}
