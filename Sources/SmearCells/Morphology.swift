/// Binary morphology on byte masks (0 = background, 1 = foreground), row-major.
///
/// Square structuring elements of radius `r` (side `2r + 1`), done separably with running
/// window counts, so each pass costs O(pixels) whatever the radius. Outside the image
/// counts as background for dilation and as foreground for erosion, so objects cut by the
/// border are neither grown from nor eaten by it.
public enum Morphology {
    /// `dst` = `src` dilated by a square of radius `radius`. `tmp` is scratch of the same size.
    public static func dilate(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>,
                              tmp: UnsafeMutableBufferPointer<UInt8>, width: Int, height: Int, radius: Int) {
        precondition(src.count >= width * height && dst.count >= width * height && tmp.count >= width * height)
        if radius <= 0 {
            for i in 0..<(width * height) { dst[i] = src[i] }
            return
        }
        windowAny(src, into: tmp, width: width, height: height, radius: radius, horizontal: true, invert: false)
        windowAny(UnsafeBufferPointer(tmp), into: dst, width: width, height: height, radius: radius, horizontal: false, invert: false)
    }

    /// `dst` = `src` eroded by a square of radius `radius`. `tmp` is scratch of the same size.
    public static func erode(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>,
                             tmp: UnsafeMutableBufferPointer<UInt8>, width: Int, height: Int, radius: Int) {
        precondition(src.count >= width * height && dst.count >= width * height && tmp.count >= width * height)
        if radius <= 0 {
            for i in 0..<(width * height) { dst[i] = src[i] }
            return
        }
        // Erosion is the complement of dilating the complement.
        windowAny(src, into: tmp, width: width, height: height, radius: radius, horizontal: true, invert: true)
        windowAny(UnsafeBufferPointer(tmp), into: dst, width: width, height: height, radius: radius, horizontal: false, invert: false)
        for i in 0..<(width * height) { dst[i] ^= 1 }
    }

    /// Opening (erode, then dilate) in place: removes specks thinner than `2r + 1`.
    public static func open(_ mask: UnsafeMutableBufferPointer<UInt8>, scratch a: UnsafeMutableBufferPointer<UInt8>,
                            _ b: UnsafeMutableBufferPointer<UInt8>, width: Int, height: Int, radius: Int) {
        erode(UnsafeBufferPointer(mask), into: a, tmp: b, width: width, height: height, radius: radius)
        dilate(UnsafeBufferPointer(a), into: mask, tmp: b, width: width, height: height, radius: radius)
    }

    /// Closing (dilate, then erode) in place: bridges gaps narrower than `2r + 1`.
    public static func close(_ mask: UnsafeMutableBufferPointer<UInt8>, scratch a: UnsafeMutableBufferPointer<UInt8>,
                             _ b: UnsafeMutableBufferPointer<UInt8>, width: Int, height: Int, radius: Int) {
        dilate(UnsafeBufferPointer(mask), into: a, tmp: b, width: width, height: height, radius: radius)
        erode(UnsafeBufferPointer(a), into: mask, tmp: b, width: width, height: height, radius: radius)
    }

    /// One separable pass: `dst[i]` = 1 when any pixel of the window (along one axis)
    /// around `i` is set. With `invert`, the source is complemented on the fly (outside the
    /// image then still counts as unset, i.e. as foreground of the original).
    @inline(__always)
    static func windowAny(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>,
                          width: Int, height: Int, radius r: Int, horizontal: Bool, invert: Bool) {
        let flip: UInt8 = invert ? 1 : 0
        if r == 1 {
            // The locator's clean-up radius: three taps ORed, a loop that vectorises.
            windowAnyOfThree(src, into: dst, width: width, height: height, horizontal: horizontal, flip: flip)
            return
        }
        if horizontal {
            for y in 0..<height {
                let base = y * width
                var count = 0
                for k in 0..<min(r, width) { count += Int(src[base + k] ^ flip) }
                for k in 0..<width {
                    if k + r < width { count += Int(src[base + k + r] ^ flip) }
                    dst[base + k] = count > 0 ? 1 : 0
                    if k - r >= 0 { count -= Int(src[base + k - r] ^ flip) }
                }
            }
            return
        }
        // Vertical: running per-column counts, row by row, so memory is read in order and
        // the inner loops vectorise.
        var counts = [Int32](repeating: 0, count: width)
        counts.withUnsafeMutableBufferPointer { c in
            for k in 0..<min(r, height) {
                let row = k * width
                for x in 0..<width { c[x] &+= Int32(src[row + x] ^ flip) }
            }
            for y in 0..<height {
                if y + r < height {
                    let row = (y + r) * width
                    for x in 0..<width { c[x] &+= Int32(src[row + x] ^ flip) }
                }
                let out = y * width
                for x in 0..<width { dst[out + x] = c[x] > 0 ? 1 : 0 }
                if y - r >= 0 {
                    let row = (y - r) * width
                    for x in 0..<width { c[x] &-= Int32(src[row + x] ^ flip) }
                }
            }
        }
    }

    /// `windowAny` for radius 1: `dst[i]` = 1 when `i` or a neighbour along the axis is set
    /// (after XOR with `flip`); outside the image is unset.
    @inline(__always)
    static func windowAnyOfThree(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>,
                                 width: Int, height: Int, horizontal: Bool, flip: UInt8) {
        guard width > 0, height > 0 else { return }
        let s = src.baseAddress!, d = dst.baseAddress!
        if horizontal {
            for y in 0..<height {
                let row = s + y * width, out = d + y * width
                if width == 1 { out[0] = row[0] ^ flip; continue }
                out[0] = (row[0] ^ flip) | (row[1] ^ flip)
                for x in 1..<(width - 1) { out[x] = (row[x - 1] ^ flip) | (row[x] ^ flip) | (row[x + 1] ^ flip) }
                out[width - 1] = (row[width - 2] ^ flip) | (row[width - 1] ^ flip)
            }
            return
        }
        for y in 0..<height {
            let row = s + y * width, out = d + y * width
            let above = y > 0 ? row - width : row, below = y + 1 < height ? row + width : row
            for x in 0..<width { out[x] = (above[x] ^ flip) | (row[x] ^ flip) | (below[x] ^ flip) }
        }
    }
}
