/// An update rule for parameters held in flat `Float` buffers.
///
/// A training step calls `beginStep()` once, then `update` for every parameter tensor
/// (each identified by a stable `slot` number) with its values and gradients. Per-slot
/// state (momentum, moments) is created on first use and is part of `state`, so a
/// checkpoint can save it and a resumed run continue bit for bit.
public protocol Optimizer: Sendable {
    /// Marks the start of a step (AdamW counts steps for its bias correction).
    mutating func beginStep()
    /// Updates one parameter tensor in place.
    /// - Parameter decay: whether weight decay applies (weights yes; biases and
    ///   normalisation parameters usually not).
    mutating func update(slot: Int, values: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>,
                         learningRate: Float, decay: Bool)
    /// Everything needed to continue: step count and per-slot buffers.
    var state: OptimizerState { get }
    /// Restores `state` (from the same kind of optimiser).
    mutating func restore(_ state: OptimizerState) throws(OptimizerStateError)
}

/// An optimiser's saved state: its kind, completed steps, and named per-slot buffers.
public struct OptimizerState: Sendable, Equatable {
    /// "sgd" or "adamw".
    public var kind: String
    public var steps: Int
    /// Buffers by name, e.g. `"momentum.3"`, `"m.3"`, `"v.3"`.
    public var buffers: [String: [Float]]

    public init(kind: String, steps: Int, buffers: [String: [Float]]) {
        self.kind = kind
        self.steps = steps
        self.buffers = buffers
    }
}

/// A saved state that does not fit the optimiser restoring it.
public struct OptimizerStateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "optimiser state: \(reason)" }
}

/// Per-slot buffers keyed by slot, grown on first use to the slot's size.
struct SlotBuffers: Sendable, Equatable {
    private(set) var buffers: [[Float]] = []

    /// Calls `body` with the slot's buffer, zero-filled on first use.
    mutating func with<R>(_ slot: Int, count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        while buffers.count <= slot { buffers.append([]) }
        if buffers[slot].count != count { buffers[slot] = [Float](repeating: 0, count: count) }
        return buffers[slot].withUnsafeMutableBufferPointer { body($0) }
    }

    /// The buffers as `prefix.slot` entries (empty slots left out).
    func export(prefix: String) -> [String: [Float]] {
        var out: [String: [Float]] = [:]
        for (slot, buffer) in buffers.enumerated() where !buffer.isEmpty { out["\(prefix).\(slot)"] = buffer }
        return out
    }

    /// Reads back what `export` wrote.
    static func restore(prefix: String, from buffers: [String: [Float]]) throws(OptimizerStateError) -> SlotBuffers {
        var result = SlotBuffers()
        for (name, values) in buffers where name.hasPrefix(prefix + ".") {
            guard let slot = Int(name.dropFirst(prefix.count + 1)), slot >= 0, slot < 1 << 20 else {
                throw OptimizerStateError("bad buffer name \(name)")
            }
            while result.buffers.count <= slot { result.buffers.append([]) }
            result.buffers[slot] = values
        }
        return result
    }
}
