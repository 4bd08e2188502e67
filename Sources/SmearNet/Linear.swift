import SmearKernels

/// Fully connected layer over the flattened `(H, W, C)` input of each image.
/// Weight `[out, in]`, bias `[out]`.
final class Linear: Layer {
    let name: String
    let inputCount: Int
    let outputShape: FeatureShape
    let weight: Parameter
    let bias: Parameter?

    init(name: String, inputCount: Int, outputCount: Int, bias: Bool) {
        self.name = name
        self.inputCount = inputCount
        outputShape = FeatureShape(height: 1, width: 1, channels: outputCount)
        weight = Parameter(name: name + ".weight", shape: [outputCount, inputCount], decays: true)
        self.bias = bias ? Parameter(name: name + ".bias", shape: [outputCount]) : nil
    }

    var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
    var multiplyAdds: Int { inputCount * outputShape.channels }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let outputs = outputShape.channels
        // One product per image, so an image's result never depends on the batch around it.
        for image in 0..<batch {
            GEMM.multiply(transposeB: true, m: 1, n: outputs, k: inputCount, a: inputs[0] + image * inputCount, lda: inputCount,
                          b: weight.value.baseAddress!, ldb: inputCount, c: output + image * outputs, ldc: outputs)
        }
        ActivationKernels.biasActivate(output, rows: batch, channels: outputs, stride: outputs,
                                       bias: bias.map { UnsafePointer($0.value.baseAddress!) }, activation: .identity)
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        let outputs = outputShape.channels
        GEMM.multiply(transposeA: true, m: outputs, n: inputCount, k: batch, a: dy, lda: outputs,
                      b: inputs[0], ldb: inputCount, beta: 1, c: weight.gradient.baseAddress!, ldc: inputCount)
        if let bias {
            let db = bias.gradient.baseAddress!
            for image in 0..<batch {
                for o in 0..<outputs { db[o] += dy[image * outputs + o] }
            }
        }
        if let dx = inputGradients[0] {
            GEMM.multiply(m: batch, n: inputCount, k: outputs, a: dy, lda: outputs,
                          b: weight.value.baseAddress!, ldb: inputCount, beta: 1, c: dx, ldc: inputCount)
        }
    }
}
