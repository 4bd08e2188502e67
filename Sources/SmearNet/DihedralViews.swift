/// The eight symmetries of a square crop, for test-time augmentation.
///
/// A cell on a smear has no up, down, left or right, and the networks are trained on crops
/// flipped and turned at random; averaging the class probabilities over the flipped and
/// turned views of a crop removes the orientation the scanner happened to give it.
/// View `t` (0..<8) maps output pixel (x, y) to source pixel: flip x when bit 0 is set,
/// flip y when bit 1 is, then swap the axes when bit 2 is. View 0 is the crop itself; the
/// first 2, 4 and 8 views are subgroups (horizontal flip; both flips; all eight), so any
/// prefix averages over a symmetric set.
public enum DihedralViews {
    /// How many distinct views a square crop has.
    public static let count = 8

    /// Writes view `view` of each of `count` interleaved-RGB crops (`width × height × 3`
    /// bytes each) into `output`, crop by crop. Views 4...7 swap the axes, so they need a
    /// square crop.
    public static func write(_ view: Int, of crops: UnsafeBufferPointer<UInt8>, count: Int, width: Int, height: Int,
                             into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition((0..<Self.count).contains(view) && (view < 4 || width == height))
        let bytes = width * height * 3
        precondition(crops.count >= count * bytes && output.count >= count * bytes)
        let flipX = view & 1 != 0, flipY = view & 2 != 0, swap = view & 4 != 0
        let src = crops.baseAddress!, dst = output.baseAddress!
        for c in 0..<count {
            let s = src + c * bytes, d = dst + c * bytes
            for y in 0..<height {
                for x in 0..<width {
                    var sx = flipX ? width - 1 - x : x, sy = flipY ? height - 1 - y : y
                    if swap { (sx, sy) = (sy, sx) }
                    let from = s + (sy * width + sx) * 3, to = d + (y * width + x) * 3
                    to[0] = from[0]; to[1] = from[1]; to[2] = from[2]
                }
            }
        }
    }

    /// The most views a `width × height` crop has: 8 when square, else the 4 flips.
    public static func available(width: Int, height: Int) -> Int { width == height ? 8 : 4 }
}
