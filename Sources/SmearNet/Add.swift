/// Elementwise sum of two or more inputs of the same shape (residual connections).
final class Add: Layer {
    let name: String
    let outputShape: FeatureShape

    init(name: String, shape: FeatureShape) {
        self.name = name
        outputShape = shape
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let count = batch * outputShape.count
        let first = inputs[0], second = inputs[1]
        for i in 0..<count { output[i] = first[i] + second[i] }
        for input in inputs.dropFirst(2) {
            for i in 0..<count { output[i] += input[i] }
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        let count = batch * outputShape.count
        for case let dx? in inputGradients {
            for i in 0..<count { dx[i] += dy[i] }
        }
    }
}
