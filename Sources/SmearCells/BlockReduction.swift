import SmearImaging

/// Block-averaging reduction of an RGB image by an integer factor: each output pixel is
/// the mean of a `factor x factor` block (partial blocks at the right and bottom edges
/// average the pixels they have). The locator's working image.
public enum BlockReduction {
    /// Output size for `width x height` reduced by `factor`.
    public static func size(width: Int, height: Int, factor: Int) -> (width: Int, height: Int) {
        ((width + factor - 1) / factor, (height + factor - 1) / factor)
    }

    /// Reduces `image` by `factor` into `out` (interleaved RGB, `size(...)` pixels).
    /// `rowSums` is scratch of at least `3 * outWidth` UInt32.
    public static func reduce(_ image: RGBImage, factor: Int, into out: UnsafeMutableBufferPointer<UInt8>,
                              rowSums: UnsafeMutableBufferPointer<UInt32>) {
        let (ow, oh) = size(width: image.width, height: image.height, factor: factor)
        precondition(out.count >= ow * oh * 3 && rowSums.count >= ow * 3)
        if factor == 1 {
            image.pixels.withUnsafeBufferPointer { src in
                for i in 0..<(ow * oh * 3) { out[i] = src[i] }
            }
            return
        }
        let w = image.width, h = image.height
        image.pixels.withUnsafeBufferPointer { src in
            for oy in 0..<oh {
                for i in 0..<(ow * 3) { rowSums[i] = 0 }
                let y0 = oy * factor, y1 = min(h, y0 + factor)
                for y in y0..<y1 {
                    let row = src.baseAddress! + y * w * 3
                    var ox = 0, x = 0
                    while ox < ow {
                        let x1 = min(w, x + factor)
                        var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                        while x < x1 {
                            r &+= UInt32(row[3 * x]); g &+= UInt32(row[3 * x + 1]); b &+= UInt32(row[3 * x + 2])
                            x += 1
                        }
                        rowSums[3 * ox] &+= r; rowSums[3 * ox + 1] &+= g; rowSums[3 * ox + 2] &+= b
                        ox += 1
                    }
                }
                let rows = UInt32(y1 - y0)
                // Whole blocks share one divisor: divide by multiplying (the hot loop had three
                // integer divisions per pixel); only a partial last column divides.
                let whole = Divisor(rows * UInt32(factor))
                for ox in 0..<ow {
                    let cols = UInt32(min(w, (ox + 1) * factor) - ox * factor)
                    let divisor = cols == UInt32(factor) ? whole : Divisor(rows * cols)
                    let o = (oy * ow + ox) * 3
                    out[o] = UInt8(divisor.roundedQuotient(rowSums[3 * ox]))
                    out[o + 1] = UInt8(divisor.roundedQuotient(rowSums[3 * ox + 1]))
                    out[o + 2] = UInt8(divisor.roundedQuotient(rowSums[3 * ox + 2]))
                }
            }
        }
    }
}

/// Division by a fixed divisor as a multiplication: `(n + d/2) / d`, exact for the sums of
/// at most 255 × d that block averages divide.
struct Divisor {
    let d: UInt32, half: UInt32, reciprocal: UInt64

    init(_ d: UInt32) {
        self.d = d
        half = d / 2
        reciprocal = (UInt64(1) << 32) / UInt64(d) + 1
    }

    /// `(n + d/2) / d`, rounded down as integer division does.
    @inline(__always) func roundedQuotient(_ n: UInt32) -> UInt32 {
        let m = n + half
        var q = UInt32((UInt64(m) &* reciprocal) >> 32)
        // The reciprocal is rounded up, so q is at most one too large.
        if q &* d > m { q -= 1 }
        return q
    }
}
