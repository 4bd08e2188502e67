/// Stochastic gradient descent with momentum, optional Nesterov momentum and L2 weight decay
/// (PyTorch's `SGD` without dampening):
///
///     g = ∇ + λ·p          (λ only where decay applies)
///     b = μ·b + g
///     p = p − η·(g + μ·b)  (Nesterov)  or  p − η·b
public struct SGD: Optimizer {
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
    public private(set) var steps = 0
    private var momentumBuffers = SlotBuffers()

    public init(momentum: Float = 0.9, nesterov: Bool = true, weightDecay: Float = 0) {
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public mutating func beginStep() { steps += 1 }

    public mutating func update(slot: Int, values: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>,
                                learningRate: Float, decay: Bool) {
        precondition(values.count == gradients.count, "values and gradients differ in size")
        let mu = momentum, lambda = decay ? weightDecay : 0, nesterov = nesterov
        momentumBuffers.with(slot, count: values.count) { b in
            for i in 0..<values.count {
                let g = gradients[i] + lambda * values[i]
                b[i] = mu * b[i] + g
                values[i] -= learningRate * (nesterov ? g + mu * b[i] : b[i])
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(kind: "sgd", steps: steps, buffers: momentumBuffers.export(prefix: "momentum"))
    }

    public mutating func restore(_ state: OptimizerState) throws(OptimizerStateError) {
        guard state.kind == "sgd" else { throw OptimizerStateError("saved by \(state.kind), not sgd") }
        steps = state.steps
        momentumBuffers = try SlotBuffers.restore(prefix: "momentum", from: state.buffers)
    }
}
