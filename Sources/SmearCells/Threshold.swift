/// A fixed-range histogram of optical densities and the thresholds computed from it.
///
/// Densities are binned at `binsPerUnit` bins per optical-density unit over `[0, range)`;
/// values outside are clamped into the first or last bin. A fixed physical range (rather
/// than min..max of the image) keeps thresholds comparable between images.
public struct DensityHistogram: Sendable, Equatable {
    /// Bins per unit of optical density.
    public static let binsPerUnit: Float = 100
    /// Counts per bin.
    public var counts: [Int]

    /// An empty histogram over `[0, range)` optical-density units.
    public init(range: Float = 3) {
        counts = [Int](repeating: 0, count: Int(range * Self.binsPerUnit))
    }

    /// The bin a density falls into.
    @inlinable
    public func bin(_ value: Float) -> Int {
        let b = Int(value * Self.binsPerUnit)
        return b < 0 ? 0 : (b >= counts.count ? counts.count - 1 : b)
    }

    /// The density at the centre of bin `b`.
    @inlinable
    public func value(ofBin b: Int) -> Float { (Float(b) + 0.5) / Self.binsPerUnit }

    /// The number of values counted.
    public var total: Int { counts.reduce(0, +) }

    /// The smallest density `v` such that at least `fraction` of the values are `<= v`.
    public func quantile(_ fraction: Double) -> Float {
        let n = total
        if n == 0 { return 0 }
        let target = Int((Double(n) * fraction).rounded(.up))
        var acc = 0
        for (b, c) in counts.enumerated() {
            acc += c
            if acc >= max(1, target) { return value(ofBin: b) }
        }
        return value(ofBin: counts.count - 1)
    }

    /// This histogram with every value above the `fraction` quantile moved into the
    /// quantile's bin. Thresholding the result separates the bulk classes (background from
    /// stained matter) without a rare, very dense class (nuclei) pulling the split its way.
    public func clamped(atQuantile fraction: Double) -> DensityHistogram {
        var out = self
        let top = bin(quantile(fraction))
        var above = 0
        for b in (top + 1)..<counts.count { above += counts[b]; out.counts[b] = 0 }
        out.counts[top] += above
        return out
    }

    /// Otsu's threshold: the bin boundary maximising the between-class variance. Values
    /// strictly above the returned density form the upper class. Returns `nil` when the
    /// histogram holds fewer than two distinct bins (nothing to separate).
    public func otsuThreshold() -> Float? {
        var n = 0.0, sum = 0.0, occupied = 0
        for (b, c) in counts.enumerated() where c > 0 {
            n += Double(c); sum += Double(c) * Double(b); occupied += 1
        }
        if occupied < 2 { return nil }
        var w0 = 0.0, s0 = 0.0, best = -1.0, bestBin = 0
        for b in 0..<(counts.count - 1) {
            let c = Double(counts[b])
            w0 += c; s0 += c * Double(b)
            let w1 = n - w0
            if w0 == 0 || w1 == 0 { continue }
            let m0 = s0 / w0, m1 = (sum - s0) / w1
            let between = w0 * w1 * (m0 - m1) * (m0 - m1)
            if between > best { best = between; bestBin = b }
        }
        // Boundary between bin `bestBin` (lower class) and the next one.
        return Float(bestBin + 1) / Self.binsPerUnit
    }
}
