/// Image sharpness: variance of the Laplacian of a density plane.
///
/// Computed on the nucleus map (nuclear chromatin carries the fine detail a classifier
/// needs) and expressed per µm² rather than per pixel, so that values of images at
/// different scales can be compared against one threshold.
public enum FocusMeasure {
    /// Variance of the 4-neighbour Laplacian of `plane` over interior pixels, in
    /// (units/µm²)² for a plane sampled at `micronsPerPixel`.
    public static func laplacianVariance(_ plane: UnsafeBufferPointer<Float>, width: Int, height: Int,
                                         micronsPerPixel s: Double) -> Double {
        if width < 3 || height < 3 { return 0 }
        var sum = 0.0, sumSq = 0.0
        for y in 1..<(height - 1) {
            let row = y * width
            var rs: Float = 0, rq: Float = 0
            for x in 1..<(width - 1) {
                let i = row + x
                let l = 4 * plane[i] - plane[i - 1] - plane[i + 1] - plane[i - width] - plane[i + width]
                rs += l; rq += l * l
            }
            sum += Double(rs); sumSq += Double(rq)
        }
        let n = Double((width - 2) * (height - 2))
        let mean = sum / n
        let variance = max(0, sumSq / n - mean * mean)
        let s2 = s * s
        return variance / (s2 * s2)
    }
}
