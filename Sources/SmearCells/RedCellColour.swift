/// The red cells' colour: the blue share of their optical density (`OD_b / density`) and
/// their mean density.
///
/// Gathered per nucleus-map bin in the same pass as the stained pixels' histogram, and read
/// once the nucleus threshold is known over exactly the pixels the red-cell level comes from
/// (the bins below the threshold's; eosin-stained pixels only, unless they are too few).
/// Nuclei stained magenta rather than violet rise little above red cells in the nucleus map,
/// but their blue share is lower and they are denser (`LocatorConfiguration.nucleusBlueShareGap`).
struct RedCellColour {
    /// Per bin `b`, at `4 * b`: the summed blue density and density of all stained pixels,
    /// then of the eosin-stained ones.
    var sums: [Double]

    init(bins: Int) {
        sums = [Double](repeating: 0, count: 4 * bins)
    }

    /// Adds a stained pixel's blue density and density to `bin` of `sums`.
    @inline(__always)
    static func add(_ sums: UnsafeMutableBufferPointer<Double>, bin: Int, blue: Double, density: Double, eosin: Bool) {
        sums[4 * bin] += blue; sums[4 * bin + 1] += density
        if eosin { sums[4 * bin + 2] += blue; sums[4 * bin + 3] += density }
    }

    /// The blue share and mean density over the bins below `cut` of all stained pixels, or of
    /// the eosin-stained ones when `eosinOnly`; `pixels` is the histogram of the same pixels.
    /// Zeros when there are none.
    func reading(below cut: Int, eosinOnly: Bool, pixels: DensityHistogram) -> (blueShare: Float, density: Float) {
        let offset = eosinOnly ? 2 : 0
        var blue = 0.0, density = 0.0, n = 0
        for b in 0..<min(cut, pixels.counts.count, sums.count / 4) {
            blue += sums[4 * b + offset]; density += sums[4 * b + offset + 1]; n += pixels.counts[b]
        }
        return density > 0 ? (Float(blue / density), Float(density / Double(n))) : (0, 0)
    }
}
