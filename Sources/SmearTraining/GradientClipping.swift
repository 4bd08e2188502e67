/// Clipping by global norm: when ‖g‖₂ over all gradient tensors exceeds `maxNorm`, every
/// gradient is scaled by `maxNorm / ‖g‖₂`, keeping the step's direction.
public enum GradientClipping {
    /// The global L2 norm of `gradients`, summed in Double in a fixed order.
    public static func globalNorm(_ gradients: [UnsafeBufferPointer<Float>]) -> Double {
        var sum = 0.0
        for g in gradients {
            var partial: Float = 0
            for x in g { partial += x * x }
            sum += Double(partial)
        }
        return sum.squareRoot()
    }

    /// Scales `gradients` in place when their global norm exceeds `maxNorm`; returns the
    /// norm before clipping.
    @discardableResult
    public static func clip(_ gradients: [UnsafeMutableBufferPointer<Float>], maxNorm: Double) -> Double {
        let norm = globalNorm(gradients.map { UnsafeBufferPointer($0) })
        guard norm > maxNorm, norm.isFinite else { return norm }
        let scale = Float(maxNorm / norm)
        for g in gradients {
            for i in g.indices { g[i] *= scale }
        }
        return norm
    }
}
