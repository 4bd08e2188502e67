import SmearImaging

/// An image scale measured from the image itself.
public struct ScaleEstimate: Sendable, Equatable {
    /// Typical diameter of a normal red cell, µm: the ruler every smear carries.
    public static let redCellDiameter = 7.5
    /// Scale assumed when nothing better is known: CellaVision single-cell exports.
    public static let fallbackMicronsPerPixel = 0.1

    /// Estimated µm per source pixel.
    public var micronsPerPixel: Double
    /// The median red-cell diameter measured, in source pixels.
    public var redCellDiameterPixels: Double
    /// How many stained regions the median was taken over.
    public var regions: Int
}

extension LeukocyteLocator {
    /// Estimates the scale of `image` from its red cells, or `nil` when it shows too few.
    ///
    /// Stained regions (red cells, alone or in clumps, pale centres filled) are measured by
    /// their inscribed radius, the maximum of the distance transform: a clump of touching
    /// round cells still has about one cell's inscribed radius. The area-weighted median
    /// over regions, where red cells dominate, gives the red-cell diameter. A first pass
    /// runs on a coarse image (about 100k pixels); when red cells come out under 14 pixels
    /// there, a second pass at a finer reduction measures them again.
    public func estimateScale(_ image: RGBImage) -> ScaleEstimate? {
        if image.width < 8 || image.height < 8 { return nil }
        let coarse = max(1, Int((Double(image.width * image.height) / 100_000).squareRoot().rounded()))
        guard var estimate = redCellDiameter(image, factor: coarse) else { return nil }
        let fine = max(1, Int(estimate.redCellDiameterPixels / 14))
        if fine < coarse, let refined = redCellDiameter(image, factor: fine) { estimate = refined }
        return estimate
    }

    /// One measuring pass at reduction `factor`.
    func redCellDiameter(_ image: RGBImage, factor: Int) -> ScaleEstimate? {
        // A low threshold keeps the pale centres of red cells, so few of them come out as rings.
        let planes = prepare(image, factor: factor, thresholdScale: 0.5)
        let w = planes.width, h = planes.height, n = w * h
        let fg = foreground.reserve(n), a = tmpA.reserve(n), lab = labels.reserve(n)
        HoleFilling.fill(fg, width: w, height: h, maxArea: max(16, n / 25), complement: a, labels: lab)
        let d = distance.reserve(n)
        DistanceTransform.squared(UnsafeBufferPointer(fg), width: w, height: h, into: d, scratch: &distanceScratch)
        // Inscribed radii: local maxima of the distance transform away from the border.
        var radii: [Float] = []
        if w >= 3 && h >= 3 {
            for y in 1..<(h - 1) {
                for x in 1..<(w - 1) {
                    let i = y * w + x, v = d[i]
                    if v < 4 || v >= DistanceTransform.infinity { continue }
                    if v >= d[i - 1] && v >= d[i + 1] && v >= d[i - w] && v >= d[i + w]
                        && v >= d[i - w - 1] && v >= d[i - w + 1] && v >= d[i + w - 1] && v >= d[i + w + 1] {
                        radii.append(v.squareRoot())
                    }
                }
            }
        }
        if radii.count < 3 { return nil }
        radii.sort()
        // Weighted by r², the disk each maximum stands for, so the many low maxima along
        // ridges and rings count little next to the red-cell centres.
        let total = radii.reduce(0) { $0 + Double($1 * $1) }
        var acc = 0.0, median = 2 * Double(radii[radii.count - 1])
        for r in radii { acc += Double(r * r); if 2 * acc >= total { median = 2 * Double(r); break } }
        let pixels = median * Double(factor)
        return ScaleEstimate(micronsPerPixel: ScaleEstimate.redCellDiameter / pixels,
                             redCellDiameterPixels: pixels, regions: radii.count)
    }
}
