import SmearKernels

/// Elementwise sum of two or more inputs of the same shape (residual connections), with an
/// activation fused in when the model is prepared for inference.
final class Add: Layer, ActivationFusing {
    let name: String
    let outputShape: FeatureShape
    var activation: Activation = .identity

    init(name: String, shape: FeatureShape) {
        self.name = name
        outputShape = shape
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let count = outputShape.count, activation = activation
        let inputs = UncheckedSendable(inputs)
        // Image by image, so the activation pass reads what the sum just left in cache.
        context.forEach(batch) { image, _ in
            let offset = image * count, y = output + offset
            let first = inputs.value[0] + offset, second = inputs.value[1] + offset
            for i in 0..<count { y[i] = first[i] + second[i] }
            for input in inputs.value.dropFirst(2) {
                let x = input + offset
                for i in 0..<count { y[i] += x[i] }
            }
            ActivationKernels.forward(activation, y, y, count: count)
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        precondition(activation == .identity, "an addition with a fused activation has no backward pass")
        let count = batch * outputShape.count
        for case let dx? in inputGradients {
            for i in 0..<count { dx[i] += dy[i] }
        }
    }
}
