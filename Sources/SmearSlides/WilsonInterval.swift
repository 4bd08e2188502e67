/// The Wilson score interval for a binomial proportion.
///
/// Chosen over the textbook normal ("Wald") interval because blast counts are small and
/// often near 0% or 100%, where Wald intervals collapse to zero width or leave [0, 1];
/// Wilson intervals keep their nominal coverage there (Brown, Cai & DasGupta 2001).
public struct WilsonInterval: Sendable, Equatable {
    /// Lower and upper bounds, as proportions in [0, 1].
    public var lower: Double
    public var upper: Double

    /// z for a two-sided 95% interval (the 97.5th percentile of the standard normal).
    public static let z95 = 1.959963984540054

    /// The interval for `successes` out of `trials`; with no trials nothing is known, so
    /// the interval is all of [0, 1].
    public init(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        precondition(successes >= 0 && successes <= trials, "need 0 <= successes <= trials")
        guard trials > 0 else { lower = 0; upper = 1; return }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let halfWidth = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // Clamp rounding residue: at 0 or n successes one bound is exactly 0 or 1.
        lower = successes == 0 ? 0 : max(0, centre - halfWidth)
        upper = successes == trials ? 1 : min(1, centre + halfWidth)
    }

    /// An interval with the given bounds (proportions).
    public init(lower: Double, upper: Double) {
        precondition(lower <= upper, "lower bound above upper bound")
        self.lower = lower
        self.upper = upper
    }

    /// Where the interval lies relative to `threshold` (a proportion).
    public func position(relativeTo threshold: Double) -> ThresholdPosition {
        if lower >= threshold { return .above }
        if upper < threshold { return .below }
        return .indeterminate
    }
}

/// Whether a proportion is at or above a threshold, as far as its interval tells.
public enum ThresholdPosition: String, Sendable, Codable {
    /// The whole interval is at or above the threshold.
    case above
    /// The whole interval is below the threshold.
    case below
    /// The interval straddles the threshold: more cells are needed to tell.
    case indeterminate
}
