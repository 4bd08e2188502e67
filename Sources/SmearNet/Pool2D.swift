import SmearKernels

/// Max or average pooling over square windows of NHWC images (average excludes padding).
final class Pool2D: Layer {
    let name: String
    let isMax: Bool
    let geometry: ConvGeometry
    let outputShape: FeatureShape

    init(name: String, isMax: Bool, geometry: ConvGeometry) {
        self.name = name
        self.isMax = isMax
        self.geometry = geometry
        outputShape = FeatureShape(height: geometry.outputHeight, width: geometry.outputWidth, channels: geometry.inputChannels)
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        context.forEach(batch) { image, _ in
            Pooling.forward(max: isMax, inputs[0] + image * geometry.inputCount, geometry: geometry,
                            output: output + image * outputShape.count)
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        guard let dx = inputGradients[0] else { return }
        for image in 0..<batch {
            Pooling.backwardAdd(max: isMax, inputs[0] + image * geometry.inputCount, geometry: geometry,
                                outputGradient: outputGradient + image * outputShape.count,
                                inputGradient: dx + image * geometry.inputCount)
        }
    }
}
