/// Depthwise convolution (one filter per channel) over NHWC images, vectorised across channels.
///
/// Weights are taken tap-major, `[kH·kW, C]`, so each tap's channel vector is contiguous
/// like the image's pixels; the layer keeps its `[C, kH, kW, 1]` file layout and transposes.
public enum Depthwise {
    /// `out[oy, ox, c] = Σ_taps in[iy, ix, c]·w[tap, c]` for one image (no bias).
    public static func forward(
        _ input: UnsafePointer<Float>, weights: UnsafePointer<Float>, geometry g: ConvGeometry,
        output: UnsafeMutablePointer<Float>
    ) {
        let c = g.inputChannels
        var out = output
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                out.update(repeating: 0, count: c)
                for ky in 0..<g.kernelHeight {
                    let iy = oy * g.strideY - g.paddingY + ky
                    if iy < 0 || iy >= g.inputHeight { continue }
                    for kx in 0..<g.kernelWidth {
                        let ix = ox * g.strideX - g.paddingX + kx
                        if ix < 0 || ix >= g.inputWidth { continue }
                        let src = input + (iy * g.inputWidth + ix) * c
                        let w = weights + (ky * g.kernelWidth + kx) * c
                        for ch in 0..<c { out[ch] += src[ch] * w[ch] }
                    }
                }
                out += c
            }
        }
    }

    /// Adds one image's input gradient and tap-major weight gradient.
    public static func backwardAdd(
        _ input: UnsafePointer<Float>, weights: UnsafePointer<Float>, geometry g: ConvGeometry,
        outputGradient: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>?, weightGradient: UnsafeMutablePointer<Float>
    ) {
        let c = g.inputChannels
        var dy = outputGradient
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                for ky in 0..<g.kernelHeight {
                    let iy = oy * g.strideY - g.paddingY + ky
                    if iy < 0 || iy >= g.inputHeight { continue }
                    for kx in 0..<g.kernelWidth {
                        let ix = ox * g.strideX - g.paddingX + kx
                        if ix < 0 || ix >= g.inputWidth { continue }
                        let offset = (iy * g.inputWidth + ix) * c
                        let tap = (ky * g.kernelWidth + kx) * c
                        let src = input + offset, w = weights + tap, dw = weightGradient + tap
                        for ch in 0..<c { dw[ch] += dy[ch] * src[ch] }
                        if let inputGradient {
                            let dx = inputGradient + offset
                            for ch in 0..<c { dx[ch] += dy[ch] * w[ch] }
                        }
                    }
                }
                dy += c
            }
        }
    }
}
