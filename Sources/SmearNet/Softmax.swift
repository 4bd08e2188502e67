import Foundation

/// Softmax over the channels of each pixel (for a classifier head: over the classes).
final class Softmax: Layer {
    let name: String
    let outputShape: FeatureShape

    init(name: String, shape: FeatureShape) {
        self.name = name
        outputShape = shape
    }

    /// Softmax of `count` values, shifted by their maximum for range safety.
    static func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var top = -Float.infinity
        for i in 0..<count { top = max(top, x[i]) }
        var sum: Float = 0
        for i in 0..<count {
            y[i] = Foundation.exp(x[i] - top)
            sum += y[i]
        }
        let scale = 1 / sum
        for i in 0..<count { y[i] *= scale }
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let c = outputShape.channels
        for r in 0..<(batch * outputShape.height * outputShape.width) {
            Self.apply(inputs[0] + r * c, output + r * c, count: c)
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output y: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        guard let dx = inputGradients[0] else { return }
        let c = outputShape.channels
        for r in 0..<(batch * outputShape.height * outputShape.width) {
            let yr = y + r * c, gr = dy + r * c, dr = dx + r * c
            var dot: Float = 0
            for i in 0..<c { dot += yr[i] * gr[i] }
            for i in 0..<c { dr[i] += yr[i] * (gr[i] - dot) }
        }
    }
}
