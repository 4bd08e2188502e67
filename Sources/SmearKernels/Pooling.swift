/// Max, average and global-average pooling over NHWC images, vectorised across channels.
///
/// Average pooling divides by the number of window cells inside the image (padding is not
/// counted, as ONNX's default `count_include_pad = 0`). Max pooling ignores padding.
public enum Pooling {
    /// Max or average over each window of one image.
    public static func forward(
        max isMax: Bool, _ input: UnsafePointer<Float>, geometry g: ConvGeometry,
        output: UnsafeMutablePointer<Float>
    ) {
        let c = g.inputChannels
        var out = output
        for oy in 0..<g.outputHeight {
            let rows = g.inputRows(ofOutputRow: oy)
            let y0 = rows.lowerBound, y1 = rows.upperBound
            for ox in 0..<g.outputWidth {
                let columns = g.inputColumns(ofOutputColumn: ox)
                let x0 = columns.lowerBound, x1 = columns.upperBound
                out.update(repeating: isMax ? -.infinity : 0, count: c)
                for iy in y0..<y1 {
                    for ix in x0..<x1 {
                        let src = input + (iy * g.inputWidth + ix) * c
                        if isMax {
                            for ch in 0..<c { out[ch] = Swift.max(out[ch], src[ch]) }
                        } else {
                            for ch in 0..<c { out[ch] += src[ch] }
                        }
                    }
                }
                if !isMax {
                    let scale = 1 / Float(Swift.max((y1 - y0) * (x1 - x0), 1))
                    for ch in 0..<c { out[ch] *= scale }
                }
                out += c
            }
        }
    }

    /// Adds one image's input gradient. Max pooling routes each gradient to the first
    /// maximum of its window (recomputed from the input, so nothing is cached).
    public static func backwardAdd(
        max isMax: Bool, _ input: UnsafePointer<Float>, geometry g: ConvGeometry,
        outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>
    ) {
        let c = g.inputChannels
        var dy = outputGradient
        for oy in 0..<g.outputHeight {
            let rows = g.inputRows(ofOutputRow: oy)
            let y0 = rows.lowerBound, y1 = rows.upperBound
            for ox in 0..<g.outputWidth {
                let columns = g.inputColumns(ofOutputColumn: ox)
                let x0 = columns.lowerBound, x1 = columns.upperBound
                if isMax {
                    for ch in 0..<c {
                        var best = -Float.infinity, bestOffset = -1
                        for iy in y0..<y1 {
                            for ix in x0..<x1 {
                                let offset = (iy * g.inputWidth + ix) * c + ch
                                if input[offset] > best || bestOffset < 0 { best = input[offset]; bestOffset = offset }
                            }
                        }
                        if bestOffset >= 0 { inputGradient[bestOffset] += dy[ch] }
                    }
                } else {
                    let scale = 1 / Float(Swift.max((y1 - y0) * (x1 - x0), 1))
                    for iy in y0..<y1 {
                        for ix in x0..<x1 {
                            let dx = inputGradient + (iy * g.inputWidth + ix) * c
                            for ch in 0..<c { dx[ch] += dy[ch] * scale }
                        }
                    }
                }
                dy += c
            }
        }
    }

    /// Mean over all `pixels` of one image: `out[c] = Σ_p in[p, c] / pixels`.
    public static func globalAverage(
        _ input: UnsafePointer<Float>, pixels: Int, channels c: Int, output: UnsafeMutablePointer<Float>
    ) {
        output.update(repeating: 0, count: c)
        for p in 0..<pixels {
            let src = input + p * c
            for ch in 0..<c { output[ch] += src[ch] }
        }
        let scale = 1 / Float(pixels)
        for ch in 0..<c { output[ch] *= scale }
    }

    /// Adds the gradient of `globalAverage` for one image.
    public static func globalAverageBackwardAdd(
        outputGradient: UnsafePointer<Float>, pixels: Int, channels c: Int,
        inputGradient: UnsafeMutablePointer<Float>
    ) {
        let scale = 1 / Float(pixels)
        for p in 0..<pixels {
            let dx = inputGradient + p * c
            for ch in 0..<c { dx[ch] += outputGradient[ch] * scale }
        }
    }
}
