import Foundation

/// Adam with decoupled weight decay (Loshchilov & Hutter; PyTorch's `AdamW`):
///
///     m = β₁·m + (1−β₁)·g        v = β₂·v + (1−β₂)·g²
///     p = p·(1 − η·λ) − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
///
/// The decay shrinks weights directly instead of entering the gradient, so it does not
/// get rescaled by Adam's per-parameter step sizes.
public struct AdamW: Optimizer {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    public private(set) var steps = 0
    private var firstMoments = SlotBuffers()
    private var secondMoments = SlotBuffers()

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public mutating func beginStep() { steps += 1 }

    public mutating func update(slot: Int, values: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>,
                                learningRate: Float, decay: Bool) {
        precondition(values.count == gradients.count, "values and gradients differ in size")
        precondition(steps > 0, "beginStep() before update")
        let b1 = beta1, b2 = beta2, eps = epsilon
        // Bias corrections in Double: 1 − β₂ᵗ loses digits in Float for small t.
        let correction1 = Float(1 - pow(Double(b1), Double(steps)))
        let correction2 = Float(1 - pow(Double(b2), Double(steps)))
        let shrink = 1 - learningRate * (decay ? weightDecay : 0)
        firstMoments.with(slot, count: values.count) { m in
            secondMoments.with(slot, count: values.count) { v in
                for i in 0..<values.count {
                    let g = gradients[i]
                    m[i] = b1 * m[i] + (1 - b1) * g
                    v[i] = b2 * v[i] + (1 - b2) * g * g
                    let mHat = m[i] / correction1, vHat = v[i] / correction2
                    values[i] = values[i] * shrink - learningRate * mHat / (vHat.squareRoot() + eps)
                }
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(kind: "adamw", steps: steps,
                       buffers: firstMoments.export(prefix: "m").merging(secondMoments.export(prefix: "v")) { a, _ in a })
    }

    public mutating func restore(_ state: OptimizerState) throws(OptimizerStateError) {
        guard state.kind == "adamw" else { throw OptimizerStateError("saved by \(state.kind), not adamw") }
        steps = state.steps
        firstMoments = try SlotBuffers.restore(prefix: "m", from: state.buffers)
        secondMoments = try SlotBuffers.restore(prefix: "v", from: state.buffers)
    }
}
