/// Vectorised passes of batch normalisation over `rows × channels` NHWC data.
///
/// Sums run row by row into per-channel Double accumulators, so they are exact to Float
/// precision and have one fixed order whatever the thread count.
public enum BatchNormKernels {
    /// `sum[c] = Σ_r x[r, c]`, `squares[c] = Σ_r x[r, c]²`.
    public static func channelSums(
        _ x: UnsafePointer<Float>, rows: Int, channels c: Int,
        sum: UnsafeMutablePointer<Double>, squares: UnsafeMutablePointer<Double>
    ) {
        sum.update(repeating: 0, count: c)
        squares.update(repeating: 0, count: c)
        for r in 0..<rows {
            let row = x + r * c
            for ch in 0..<c {
                let v = Double(row[ch])
                sum[ch] += v
                squares[ch] += v * v
            }
        }
    }

    /// `y[r, c] = x[r, c]·scale[c] + shift[c]`.
    public static func scaleShift(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, channels c: Int,
        scale: UnsafePointer<Float>, shift: UnsafePointer<Float>
    ) {
        for r in 0..<rows {
            let src = x + r * c, dst = y + r * c
            for ch in 0..<c { dst[ch] = src[ch] * scale[ch] + shift[ch] }
        }
    }

    /// `sumDy[c] = Σ dy`, `sumDyXhat[c] = Σ dy·(x − mean)·inverseStd` over rows.
    public static func gradientSums(
        _ x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, rows: Int, channels c: Int,
        mean: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>,
        sumDy: UnsafeMutablePointer<Double>, sumDyXhat: UnsafeMutablePointer<Double>
    ) {
        sumDy.update(repeating: 0, count: c)
        sumDyXhat.update(repeating: 0, count: c)
        for r in 0..<rows {
            let g = dy + r * c, src = x + r * c
            for ch in 0..<c {
                let xhat = (src[ch] - mean[ch]) * inverseStd[ch]
                sumDy[ch] += Double(g[ch])
                sumDyXhat[ch] += Double(g[ch] * xhat)
            }
        }
    }

    /// Training-mode input gradient, added:
    /// `dx += γ·σ⁻¹·(dy − mean(dy) − x̂·mean(dy·x̂))`, with `a = γ·σ⁻¹`, `b = mean(dy)`,
    /// `k = mean(dy·x̂)` given per channel.
    public static func inputGradientAdd(
        _ x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>,
        rows: Int, channels c: Int, mean: UnsafePointer<Float>, inverseStd: UnsafePointer<Float>,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, k: UnsafePointer<Float>
    ) {
        for r in 0..<rows {
            let g = dy + r * c, src = x + r * c, d = dx + r * c
            for ch in 0..<c {
                let xhat = (src[ch] - mean[ch]) * inverseStd[ch]
                d[ch] += a[ch] * (g[ch] - b[ch] - xhat * k[ch])
            }
        }
    }
}
