import Foundation

/// A pointwise non-linearity, applied by itself or fused into a convolution's epilogue.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case identity
    case relu
    case relu6
    case silu

    /// `f(x)`.
    @inlinable
    public func apply(_ x: Float) -> Float {
        switch self {
        case .identity: return x
        case .relu: return max(x, 0)
        case .relu6: return min(max(x, 0), 6)
        case .silu: return x / (1 + Foundation.exp(-x))
        }
    }

    /// `f′(x)`; at the kinks ReLU and ReLU6 take the derivative from the right-closed side (0).
    @inlinable
    public func derivative(_ x: Float) -> Float {
        switch self {
        case .identity: return 1
        case .relu: return x > 0 ? 1 : 0
        case .relu6: return x > 0 && x < 6 ? 1 : 0
        case .silu:
            let s = 1 / (1 + Foundation.exp(-x))
            return s * (1 + x * (1 - s))
        }
    }
}

/// Vectorisable passes of activations and their gradients over flat buffers.
public enum ActivationKernels {
    /// `y[i] = f(x[i])` for `count` values (`x` and `y` may be the same buffer).
    public static func forward(
        _ activation: Activation, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
    ) {
        switch activation {
        case .identity: if UnsafePointer(y) != x { y.update(from: x, count: count) }
        case .relu: for i in 0..<count { y[i] = max(x[i], 0) }
        case .relu6: for i in 0..<count { y[i] = min(max(x[i], 0), 6) }
        case .silu: for i in 0..<count { y[i] = x[i] / (1 + Foundation.exp(-x[i])) }
        }
    }

    /// `dx[i] += dy[i]·f′(x[i])`.
    public static func backwardAdd(
        _ activation: Activation, x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradient dx: UnsafeMutablePointer<Float>, count: Int
    ) {
        // Every operand is loaded before the select: a load inside the condition would stop
        // the loop from vectorising (and branch on random signs).
        switch activation {
        case .identity: for i in 0..<count { dx[i] += dy[i] }
        case .relu:
            for i in 0..<count {
                let g = dy[i], v = x[i]
                dx[i] += v > 0 ? g : 0
            }
        case .relu6:
            for i in 0..<count {
                let g = dy[i], v = x[i]
                dx[i] += (v > 0) == (v < 6) ? g : 0
            }
        case .silu: for i in 0..<count { dx[i] += dy[i] * Activation.silu.derivative(x[i]) }
        }
    }

    /// The GEMM epilogue: adds `bias` (if any) and then `residual` (if any, same layout as
    /// `data`) to each of `rows` rows of `channels` values (row stride `stride`) and applies
    /// `activation`, in one pass over the data. The sums happen in that order, so a fused
    /// residual gives the same bits as a separate addition layer.
    public static func biasActivate(
        _ data: UnsafeMutablePointer<Float>, rows: Int, channels: Int, stride: Int,
        bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>? = nil, activation: Activation
    ) {
        switch activation {
        case .identity:
            if bias == nil && residual == nil { return }
            epilogue(data, rows: rows, channels: channels, stride: stride, bias: bias, residual: residual) { $0 }
        case .relu:
            epilogue(data, rows: rows, channels: channels, stride: stride, bias: bias, residual: residual) { max($0, 0) }
        case .relu6:
            epilogue(data, rows: rows, channels: channels, stride: stride, bias: bias, residual: residual) { min(max($0, 0), 6) }
        case .silu:
            epilogue(data, rows: rows, channels: channels, stride: stride, bias: bias, residual: residual) {
                Activation.silu.apply($0)
            }
        }
    }

    /// `biasActivate` for one activation `f`, inlined into each case so every loop is one
    /// branch-free, vectorised pass (a switch inside the loop kept it scalar: measured).
    @inline(__always)
    static func epilogue(
        _ data: UnsafeMutablePointer<Float>, rows: Int, channels: Int, stride: Int,
        bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, _ f: (Float) -> Float
    ) {
        for r in 0..<rows {
            let row = data + r * stride
            switch (bias, residual) {
            case let (bias?, residual?):
                let skip = residual + r * stride
                for c in 0..<channels { row[c] = f(row[c] + bias[c] + skip[c]) }
            case let (bias?, nil):
                for c in 0..<channels { row[c] = f(row[c] + bias[c]) }
            case let (nil, residual?):
                let skip = residual + r * stride
                for c in 0..<channels { row[c] = f(row[c] + skip[c]) }
            case (nil, nil):
                for c in 0..<channels { row[c] = f(row[c]) }
            }
        }
    }
}
