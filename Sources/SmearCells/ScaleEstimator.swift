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
    /// Diameters (source pixels) of the lone red cells seen: round, unnucleated, whole.
    /// Pooled over many images of a slide they give a steadier scale than any one image.
    public var loneRedCellDiameters: [Double] = []

    /// µm per pixel from a typical red-cell diameter in pixels.
    public static func micronsPerPixel(redCellDiameterPixels: Double) -> Double { redCellDiameter / redCellDiameterPixels }

    /// The median of a non-empty list of measurements (mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted(), m = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
    }
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
        let lone = loneRedCellDiameters(width: w, height: h).map { $0 * Double(factor) }
        if lone.count >= 3 {
            let pixels = ScaleEstimate.median(lone)
            return ScaleEstimate(micronsPerPixel: ScaleEstimate.micronsPerPixel(redCellDiameterPixels: pixels),
                                 redCellDiameterPixels: pixels, regions: lone.count, loneRedCellDiameters: lone)
        }
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
        return ScaleEstimate(micronsPerPixel: ScaleEstimate.micronsPerPixel(redCellDiameterPixels: pixels),
                             redCellDiameterPixels: pixels, regions: radii.count, loneRedCellDiameters: lone)
    }

    /// Diameters (working pixels) of the image's lone red cells.
    ///
    /// Touching red cells merge into clumps whose inscribed radius still reads as one cell
    /// but whose spread of maxima does not; where many cells touch (thick areas) the
    /// weighted median drifts to clumps and leukocytes. A lone red cell is a component that
    /// is nearly a disk or a short ellipse (area at most `maxDiskRatio` times the disk of its
    /// inscribed radius; a touching pair is above 2), holds no nucleus-stained pixel and does
    /// not touch the border; its diameter is that of the disk of its area. Needs `foreground`
    /// (holes filled) and the squared distance transform in `distance`; uses `labels`.
    func loneRedCellDiameters(width w: Int, height h: Int) -> [Double] {
        let n = w * h
        let fg = foreground.reserve(n), lab = labels.reserve(n), d = distance.reserve(n), nuc = nucleus.reserve(n)
        let tn = nucleusThreshold(pixelCount: n).threshold
        let count = ConnectedComponents.label(UnsafeBufferPointer(fg), width: w, height: h, labels: lab)
        guard count > 0 else { return [] }
        var area = [Int](repeating: 0, count: count + 1)
        var radius2 = [Float](repeating: 0, count: count + 1)
        var excluded = [Bool](repeating: false, count: count + 1)
        for y in 0..<h {
            let edge = y == 0 || y == h - 1
            for x in 0..<w {
                let i = y * w + x, c = Int(lab[i])
                if c == 0 { continue }
                area[c] += 1
                if d[i] > radius2[c] { radius2[c] = d[i] }
                if edge || x == 0 || x == w - 1 || nuc[i] > tn { excluded[c] = true }
            }
        }
        var diameters: [Double] = []
        for c in 1...count where !excluded[c] && radius2[c] >= Self.minRedCellRadius * Self.minRedCellRadius {
            if Double(area[c]) <= Self.maxDiskRatio * Double.pi * Double(radius2[c]) {
                diameters.append(2 * (Double(area[c]) / .pi).squareRoot())
            }
        }
        // Platelets and debris are lone and round too, but far smaller than red cells.
        let largest = diameters.max() ?? 0
        return diameters.filter { $0 >= Self.minFractionOfLargest * largest }
    }

    /// A lone cell's area is at most this multiple of its inscribed disk (a pair is about 2).
    static let maxDiskRatio = 1.75
    /// Lone components narrower than this share of the largest are not red cells.
    static let minFractionOfLargest = 0.5
    /// Inscribed radius (pixels) below which a component is too small to measure.
    static let minRedCellRadius: Float = 3
}
