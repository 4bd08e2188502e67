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
        let kernelHeight = g.kernelHeight, kernelWidth = g.kernelWidth, inputHeight = g.inputHeight, inputWidth = g.inputWidth
        let outputWidth = g.outputWidth, strideX = g.strideX, strideY = g.strideY, paddingX = g.paddingX, paddingY = g.paddingY
        let contiguous = cg == cin
        let input = input + group * cg
        let range = pixels ?? 0..<g.outputPixels
        guard !range.isEmpty else { return }
        var dst = columns
        // Walk the pixels row by row: one division for the whole range, not two per pixel.
        var oy = range.lowerBound / outputWidth, ox = range.lowerBound % outputWidth
        for _ in range {
            let ix0 = ox * strideX - paddingX
            let interiorColumns = ix0 >= 0 && ix0 + kernelWidth <= inputWidth && contiguous
            for ky in 0..<kernelHeight {
                let iy = oy * strideY - paddingY + ky
                if iy < 0 || iy >= inputHeight {
                    dst.update(repeating: 0, count: span)
                    dst += span
                    continue
                }
                let rowBase = input + iy * inputWidth * cin
                if interiorColumns {
                    // Interior, ungrouped: the window's row is one contiguous run of the image.
                    // The RGB stem's 3×3 windows copy 9 floats: with the count known here the
                    // copy compiles to a few moves instead of a memmove call per window.
                    if span == 9 {
                        dst.update(from: rowBase + ix0 * cin, count: 9)
                    } else {
                        dst.update(from: rowBase + ix0 * cin, count: span)
                    }
                    dst += span
                    continue
                }
                for kx in 0..<kernelWidth {
                    let ix = ix0 + kx
                    if ix < 0 || ix >= inputWidth {
                        dst.update(repeating: 0, count: cg)
                    } else {
                        dst.update(from: rowBase + ix * cin, count: cg)
                    }
                    dst += cg
                }
            }
            ox += 1
            if ox == outputWidth {
                ox = 0
                oy += 1
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
