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
        ActivationKernels.forward(activation, inputs[0], output, count: batch * outputShape.count)
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        guard let dx = inputGradients[0] else { return }
        ActivationKernels.backwardAdd(activation, x: inputs[0], outputGradient: outputGradient, inputGradient: dx, count: batch * outputShape.count)
    }
}
