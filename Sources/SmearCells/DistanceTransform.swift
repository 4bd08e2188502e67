/// Exact Euclidean distance transform (Felzenszwalb & Huttenlocher, 2012).
///
/// For every foreground pixel, the squared distance to the nearest background pixel of the
/// image; background pixels get 0. Two separable passes of the 1-D lower envelope of
/// parabolas, O(pixels) in total. Outside the image is not background: an object cut by
/// the border is not made thinner by it. With no background pixel at all, distances are
/// `DistanceTransform.infinity`.
public enum DistanceTransform {
    /// The value for pixels with no background pixel anywhere on their lines.
    public static let infinity: Float = 1e20

    /// Scratch the transform needs for images up to `maxSide` pixels on a side.
    public struct Scratch {
        var f: [Float], d: [Float], z: [Float], v: [Int32]
        public init(maxSide: Int) {
            f = [Float](repeating: 0, count: maxSide)
            d = [Float](repeating: 0, count: maxSide)
            z = [Float](repeating: 0, count: maxSide + 1)
            v = [Int32](repeating: 0, count: maxSide)
        }
    }

    /// Writes squared distances for `mask` (non-zero = foreground) into `out`.
    public static func squared(_ mask: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                               into out: UnsafeMutableBufferPointer<Float>) {
        var scratch = Scratch(maxSide: max(width, height))
        squared(mask, width: width, height: height, into: out, scratch: &scratch)
    }

    /// As `squared(_:width:height:into:)`, reusing `scratch`.
    public static func squared(_ mask: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                               into out: UnsafeMutableBufferPointer<Float>, scratch: inout Scratch) {
        precondition(mask.count >= width * height && out.count >= width * height)
        if width == 0 || height == 0 { return }
        if scratch.f.count < max(width, height) { scratch = Scratch(maxSide: max(width, height)) }
        for i in 0..<(width * height) { out[i] = mask[i] == 0 ? 0 : infinity }
        scratch.f.withUnsafeMutableBufferPointer { f in
            scratch.d.withUnsafeMutableBufferPointer { d in
                scratch.z.withUnsafeMutableBufferPointer { z in
                    scratch.v.withUnsafeMutableBufferPointer { v in
                        // Columns, then rows.
                        for x in 0..<width {
                            for y in 0..<height { f[y] = out[y * width + x] }
                            envelope(f, d, z, v, count: height)
                            for y in 0..<height { out[y * width + x] = d[y] }
                        }
                        for y in 0..<height {
                            let row = y * width
                            for x in 0..<width { f[x] = out[row + x] }
                            envelope(f, d, z, v, count: width)
                            for x in 0..<width { out[row + x] = d[x] }
                        }
                    }
                }
            }
        }
    }

    /// 1-D squared distance: `d[q] = min_p (q - p)^2 + f[p]`.
    @inline(__always)
    static func envelope(_ f: UnsafeMutableBufferPointer<Float>, _ d: UnsafeMutableBufferPointer<Float>,
                         _ z: UnsafeMutableBufferPointer<Float>, _ v: UnsafeMutableBufferPointer<Int32>, count n: Int) {
        // Parabolas rooted at infinite values never win; skip them so the envelope stays exact.
        var k = -1
        for q in 0..<n where f[q] < infinity {
            let fq = f[q], qf = Float(q)
            if k < 0 {
                k = 0; v[0] = Int32(q); z[0] = -.infinity; z[1] = .infinity
                continue
            }
            var s: Float
            while true {
                let p = Int(v[k]), pf = Float(p)
                s = ((fq + qf * qf) - (f[p] + pf * pf)) / (2 * qf - 2 * pf)
                if s <= z[k] && k > 0 { k -= 1 } else { break }
            }
            if s <= z[k] {
                // k == 0 and the new parabola dominates everywhere.
                v[0] = Int32(q); z[0] = -.infinity; z[1] = .infinity
                continue
            }
            k += 1
            v[k] = Int32(q); z[k] = s; z[k + 1] = .infinity
        }
        if k < 0 {
            for q in 0..<n { d[q] = infinity }
            return
        }
        var j = 0
        for q in 0..<n {
            let qf = Float(q)
            while z[j + 1] < qf { j += 1 }
            let p = Float(v[j])
            d[q] = (qf - p) * (qf - p) + f[Int(v[j])]
        }
    }
}
