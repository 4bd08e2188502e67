/// Unrolling of NHWC convolution windows into GEMM rows, and the reverse scatter.
///
/// Row `p` (output pixel `oy·OW + ox`) of the unrolled matrix holds the window of one group
/// in `(ky, kx, c)` order, matching weights stored as `[C_out, kH, kW, C_in/groups]`.
/// Padding reads as zero.
public enum Im2Col {
    /// Writes rows `pixels` (default: all output pixels) of the unrolled
    /// `outputPixels × patchLength` matrix of `group` for one image.
    public static func pack(
        _ input: UnsafePointer<Float>, geometry g: ConvGeometry, group: Int, pixels: Range<Int>? = nil,
        into columns: UnsafeMutablePointer<Float>
    ) {
        let cg = g.groupInputChannels, cin = g.inputChannels, span = g.kernelWidth * cg
        let channelOffset = group * cg
        var dst = columns
        for pixel in pixels ?? 0..<g.outputPixels {
            let oy = pixel / g.outputWidth, ox = pixel % g.outputWidth
            for ky in 0..<g.kernelHeight {
                let iy = oy * g.strideY - g.paddingY + ky
                if iy < 0 || iy >= g.inputHeight {
                    dst.update(repeating: 0, count: span)
                    dst += span
                    continue
                }
                let rowBase = input + iy * g.inputWidth * cin + channelOffset
                let ix0 = ox * g.strideX - g.paddingX
                if ix0 >= 0 && ix0 + g.kernelWidth <= g.inputWidth && cg == cin {
                    // Interior, ungrouped: the window's row is one contiguous run of the image.
                    dst.update(from: rowBase + ix0 * cin, count: span)
                    dst += span
                    continue
                }
                for kx in 0..<g.kernelWidth {
                    let ix = ix0 + kx
                    if ix < 0 || ix >= g.inputWidth {
                        dst.update(repeating: 0, count: cg)
                    } else {
                        dst.update(from: rowBase + ix * cin, count: cg)
                    }
                    dst += cg
                }
            }
        }
    }

    /// Adds the unrolled gradient of `group` (all output pixels) back onto the image
    /// gradient: the transpose of `pack`.
    public static func scatterAdd(
        _ columns: UnsafePointer<Float>, geometry g: ConvGeometry, group: Int,
        into inputGradient: UnsafeMutablePointer<Float>
    ) {
        let cg = g.groupInputChannels, cin = g.inputChannels, span = g.kernelWidth * cg
        let channelOffset = group * cg
        var src = columns
        for pixel in 0..<g.outputPixels {
            let oy = pixel / g.outputWidth, ox = pixel % g.outputWidth
            for ky in 0..<g.kernelHeight {
                let iy = oy * g.strideY - g.paddingY + ky
                if iy < 0 || iy >= g.inputHeight {
                    src += span
                    continue
                }
                let rowBase = inputGradient + iy * g.inputWidth * cin + channelOffset
                for kx in 0..<g.kernelWidth {
                    let ix = ox * g.strideX - g.paddingX + kx
                    if ix >= 0 && ix < g.inputWidth {
                        let dst = rowBase + ix * cin
                        for c in 0..<cg { dst[c] += src[c] }
                    }
                    src += cg
                }
            }
        }
    }
}
