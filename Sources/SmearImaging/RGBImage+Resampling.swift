/// Cropping and resizing. Resizing is separable: each axis gets a table of source taps and
/// weights, area-averaging (box coverage) where the axis shrinks and bilinear where it
/// grows, so the same two passes serve both directions.
extension RGBImage {
    /// A copy of the pixels inside `rect`; parts of `rect` outside the image are filled
    /// with `fill`, so a crop around a border cell keeps the cell where it was asked to be.
    public func cropped(to rect: PixelRect, fill: RGB = RGB(255, 255, 255)) -> RGBImage {
        precondition(rect.width >= 0 && rect.height >= 0, "negative crop size")
        var out = RGBImage(width: rect.width, height: rect.height, fill: fill)
        let inside = rect.intersection(bounds)
        if inside.isEmpty { return out }
        let srcStride = rowBytes, dstStride = out.rowBytes, runBytes = inside.width * 3
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for y in inside.y..<inside.maxY {
                    let s = src.baseAddress! + y * srcStride + inside.x * 3
                    let d = dst.baseAddress! + (y - rect.y) * dstStride + (inside.x - rect.x) * 3
                    d.update(from: s, count: runBytes)
                }
            }
        }
        return out
    }

    /// This image scaled to `newWidth` x `newHeight`: area-averaging on shrinking axes,
    /// bilinear on growing ones.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0, "resize to an empty image")
        precondition(width > 0 && height > 0, "resize of an empty image")
        if newWidth == width && newHeight == height { return self }
        let xTaps = ResampleTaps(source: width, target: newWidth)
        let yTaps = ResampleTaps(source: height, target: newHeight)
        // Horizontal pass into Float rows, then vertical pass with rounding.
        let midStride = newWidth * 3
        var mid = [Float](repeating: 0, count: height * midStride)
        pixels.withUnsafeBufferPointer { src in
            mid.withUnsafeMutableBufferPointer { m in
                xTaps.apply(rows: height, srcStride: rowBytes, dstStride: midStride) { y, srcIndex in
                    Float(src[y * rowBytes + srcIndex])
                } store: { y, dstIndex, value in
                    m[y * midStride + dstIndex] = value
                }
            }
        }
        return RGBImage(width: newWidth, height: newHeight) { out in
            mid.withUnsafeBufferPointer { m in
                for oy in 0..<newHeight {
                    let first = yTaps.first[oy], count = yTaps.count[oy], wBase = yTaps.weightBase[oy]
                    let dst = out.baseAddress! + oy * midStride
                    for i in 0..<midStride {
                        var acc: Float = 0
                        for t in 0..<count { acc += yTaps.weights[wBase + t] * m[(first + t) * midStride + i] }
                        dst[i] = UInt8(clamping: Int((acc + 0.5).rounded(.down)))
                    }
                }
            }
        }
    }
}

/// Per-output-index source taps for one axis.
struct ResampleTaps {
    var first: [Int] = []
    var count: [Int] = []
    var weightBase: [Int] = []
    var weights: [Float] = []

    init(source: Int, target: Int) {
        let scale = Double(source) / Double(target)
        for o in 0..<target {
            weightBase.append(weights.count)
            if scale >= 1 {
                // Box: output pixel o covers source interval [o*scale, (o+1)*scale).
                let lo = Double(o) * scale, hi = Double(o + 1) * scale
                let i0 = Int(lo.rounded(.down)), i1 = min(source, Int(hi.rounded(.up)))
                first.append(i0); count.append(i1 - i0)
                for i in i0..<i1 {
                    let cover = min(hi, Double(i + 1)) - max(lo, Double(i))
                    weights.append(Float(cover / scale))
                }
            } else {
                // Bilinear with pixel centres aligned: centre o+0.5 maps to (o+0.5)*scale-0.5.
                let c = max(0, min(Double(source - 1), (Double(o) + 0.5) * scale - 0.5))
                let i0 = Int(c.rounded(.down)), i1 = min(source - 1, i0 + 1)
                let f = c - Double(i0)
                first.append(i0)
                if i1 == i0 { count.append(1); weights.append(1) }
                else { count.append(2); weights.append(Float(1 - f)); weights.append(Float(f)) }
            }
        }
    }

    /// Horizontal pass over interleaved RGB rows.
    @inline(__always)
    func apply(rows: Int, srcStride: Int, dstStride: Int,
               load: (Int, Int) -> Float, store: (Int, Int, Float) -> Void) {
        for y in 0..<rows {
            for o in 0..<first.count {
                let f = first[o], n = count[o], wb = weightBase[o]
                var r: Float = 0, g: Float = 0, b: Float = 0
                for t in 0..<n {
                    let w = weights[wb + t], s = (f + t) * 3
                    r += w * load(y, s); g += w * load(y, s + 1); b += w * load(y, s + 2)
                }
                store(y, o * 3, r); store(y, o * 3 + 1, g); store(y, o * 3 + 2, b)
            }
        }
    }
}
