/// Clipping by global norm: when ‖g‖₂ over all gradient tensors exceeds `maxNorm`, every
/// gradient is scaled by `maxNorm / ‖g‖₂`, keeping the step's direction.
public enum GradientClipping {
    /// Σ g² of one tensor, accumulated in Float then returned as Double (callers add the
    /// tensors' sums in a fixed order, so the norm is the same bits every run).
    public static func sumOfSquares(_ gradient: UnsafeBufferPointer<Float>) -> Double {
        var partial: Float = 0
        for x in gradient { partial += x * x }
        return Double(partial)
    }

    /// The factor that brings a global norm down to `maxNorm` (1 when already within it,
    /// or when the norm is not finite and clipping cannot help).
    public static func factor(norm: Double, maxNorm: Double) -> Float {
        norm > maxNorm && norm.isFinite && maxNorm > 0 ? Float(maxNorm / norm) : 1
    }

    /// Scales `gradients` in place when their global norm exceeds `maxNorm`; returns the
    /// norm before clipping.
    @discardableResult
    public static func clip(_ gradients: [UnsafeMutableBufferPointer<Float>], maxNorm: Double) -> Double {
        let norm = gradients.reduce(0) { $0 + sumOfSquares(UnsafeBufferPointer($1)) }.squareRoot()
        let scale = factor(norm: norm, maxNorm: maxNorm)
        if scale != 1 { for g in gradients { for i in g.indices { g[i] *= scale } } }
        return norm
    }
}
