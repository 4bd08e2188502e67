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
    ///
    /// Two separable passes: rows into a `Float` buffer, then columns with rounding (half up).
    /// The column pass accumulates whole rows, so its inner loop runs over contiguous memory.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0, "resize to an empty image")
        precondition(width > 0 && height > 0, "resize of an empty image")
        if newWidth == width && newHeight == height { return self }
        let xTaps = ResampleTaps(source: width, target: newWidth)
        let yTaps = ResampleTaps(source: height, target: newHeight)
        let srcStride = rowBytes, midStride = newWidth * 3, rows = height
        var mid = [Float](repeating: 0, count: rows * midStride)
        pixels.withUnsafeBufferPointer { src in
            mid.withUnsafeMutableBufferPointer { m in
                xTaps.withUnsafePointers { first, count, weightBase, weights in
                    let s = src.baseAddress!, d = m.baseAddress!
                    for y in 0..<rows {
                        let row = s + y * srcStride, out = d + y * midStride
                        for o in 0..<newWidth {
                            var r: Float = 0, g: Float = 0, b: Float = 0
                            let taps = row + first[o] * 3, w = weights + weightBase[o]
                            for t in 0..<count[o] {
                                let wt = w[t], p = taps + t * 3
                                r += wt * Float(p[0]); g += wt * Float(p[1]); b += wt * Float(p[2])
                            }
                            out[o * 3] = r; out[o * 3 + 1] = g; out[o * 3 + 2] = b
                        }
                    }
                }
            }
        }
        var accumulator = [Float](repeating: 0, count: midStride)
        return RGBImage(width: newWidth, height: newHeight) { out in
            mid.withUnsafeBufferPointer { m in
                accumulator.withUnsafeMutableBufferPointer { accBuffer in
                    yTaps.withUnsafePointers { first, count, weightBase, weights in
                        let acc = accBuffer.baseAddress!, src = m.baseAddress!
                        for oy in 0..<newHeight {
                            acc.update(repeating: 0, count: midStride)
                            for t in 0..<count[oy] {
                                let wt = weights[weightBase[oy] + t], line = src + (first[oy] + t) * midStride
                                for i in 0..<midStride { acc[i] += wt * line[i] }
                            }
                            let dst = out.baseAddress! + oy * midStride
                            for i in 0..<midStride { dst[i] = roundedByte(acc[i]) }
                        }
                    }
                }
            }
        }
    }
}

/// `x` rounded half up and clamped to 0...255, without Swift's checked float-to-integer
/// conversion (whose range checks keep the loop from vectorising).
///
/// Adding 2^23 moves `x + 0.5` onto the float grid of spacing 1, which rounds it to the
/// nearest integer (ties to even) and leaves that integer in the low mantissa bits; one is
/// taken off where that rounded up, giving the floor of `x + 0.5`.
@inline(__always)
func roundedByte(_ x: Float) -> UInt8 {
    let r = min(max(x + 0.5, 0), 255.5)
    let shifted = r + 8_388_608
    let nearest = shifted - 8_388_608
    return UInt8(truncatingIfNeeded: shifted.bitPattern &- (nearest > r ? 1 : 0))
}

/// Per-output-index source taps for one axis: output `o` reads `count[o]` consecutive
/// source indices from `first[o]`, weighted by `weights[weightBase[o]...]` (summing to 1).
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

    /// The tables as raw pointers, valid inside `body`, so hot loops index without checks.
    @inline(__always)
    func withUnsafePointers<R>(_ body: (UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Float>) -> R) -> R {
        first.withUnsafeBufferPointer { f in
            count.withUnsafeBufferPointer { c in
                weightBase.withUnsafeBufferPointer { b in
                    weights.withUnsafeBufferPointer { w in body(f.baseAddress!, c.baseAddress!, b.baseAddress!, w.baseAddress!) }
                }
            }
        }
    }
}
