/// One named tensor of a network with its gradient: a learned weight, or state such as a
/// batch normalisation's running statistics (`isTrainable == false`, no gradient use).
///
/// Values and gradients live in owned buffers that layers read in place; optimisers reach
/// them with `withValueAndGradient`. Not thread-safe.
public final class Parameter {
    /// The file name of the tensor, e.g. `"stem.conv.weight"`.
    public let name: String
    /// Its shape.
    public let shape: [Int]
    /// Whether an optimiser should update it (false for running statistics).
    public let isTrainable: Bool
    /// Whether weight decay should apply (weights of convolutions and fully connected
    /// layers; not biases or normalisation parameters).
    public let decays: Bool

    let value: UnsafeMutableBufferPointer<Float>
    let gradient: UnsafeMutableBufferPointer<Float>

    init(name: String, shape: [Int], isTrainable: Bool = true, decays: Bool = false, fill: Float = 0) {
        self.name = name
        self.shape = shape
        self.isTrainable = isTrainable
        self.decays = decays
        let count = shape.reduce(1, *)
        value = .allocate(capacity: count)
        value.initialize(repeating: fill)
        gradient = .allocate(capacity: count)
        gradient.initialize(repeating: 0)
    }

    deinit {
        value.deallocate()
        gradient.deallocate()
    }

    /// The number of values.
    public var count: Int { value.count }

    /// Gives `body` the value and gradient buffers (same count) to read and update in place.
    public func withValueAndGradient<R>(
        _ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try body(value, gradient)
    }

    /// A copy of the values as a tensor.
    public var tensor: Tensor { Tensor(shape: shape, scalars: Array(value)) }

    /// Replaces the values (the count must match).
    public func load(_ scalars: [Float]) {
        precondition(scalars.count == count, "parameter \(name) holds \(count) values, got \(scalars.count)")
        _ = value.update(fromContentsOf: scalars)
    }

    /// Sets the gradient to zero.
    public func zeroGradient() { gradient.update(repeating: 0) }
}
