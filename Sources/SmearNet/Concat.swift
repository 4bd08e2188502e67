/// Concatenation along channels of inputs with the same height and width.
final class Concat: Layer {
    let name: String
    let inputChannels: [Int]
    let outputShape: FeatureShape

    init(name: String, inputShapes: [FeatureShape]) {
        self.name = name
        inputChannels = inputShapes.map(\.channels)
        outputShape = FeatureShape(height: inputShapes[0].height, width: inputShapes[0].width,
                                   channels: inputChannels.reduce(0, +))
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let rows = batch * outputShape.height * outputShape.width, c = outputShape.channels
        var offset = 0
        for (input, channels) in zip(inputs, inputChannels) {
            for r in 0..<rows {
                (output + r * c + offset).update(from: input + r * channels, count: channels)
            }
            offset += channels
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        let rows = batch * outputShape.height * outputShape.width, c = outputShape.channels
        var offset = 0
        for (dx, channels) in zip(inputGradients, inputChannels) {
            defer { offset += channels }
            guard let dx else { continue }
            for r in 0..<rows {
                let src = dy + r * c + offset, dst = dx + r * channels
                for ch in 0..<channels { dst[ch] += src[ch] }
            }
        }
    }
}
