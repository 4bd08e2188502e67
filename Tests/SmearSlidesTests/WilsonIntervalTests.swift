import Testing
@testable import SmearSlides

@Suite struct WilsonIntervalTests {
    /// Values from the closed form (Wilson 1927), checked against published tables.
    @Test(arguments: [
        (20, 100, 0.1333669333310325, 0.2888291655931589),
        (0, 10, 0.0, 0.2775327998628892),
        (10, 10, 0.7224672001371107, 1.0),
        (5, 50, 0.04347576493189041, 0.21360231437479654),
        (1, 3, 0.06149194472039621, 0.7923403991979522),
        (13, 60, 0.13123044048190308, 0.33620027573194783),
    ])
    func knownValues(successes: Int, trials: Int, lower: Double, upper: Double) {
        let interval = WilsonInterval(successes: successes, trials: trials)
        #expect(abs(interval.lower - lower) < 1e-12)
        #expect(abs(interval.upper - upper) < 1e-12)
    }

    @Test func twentyOfHundredIsThirteenPointThreeToTwentyEightPointNine() {
        let interval = WilsonInterval(successes: 20, trials: 100)
        #expect(DecimalFormat.fixed(100 * interval.lower, decimals: 1) == "13.3")
        #expect(DecimalFormat.fixed(100 * interval.upper, decimals: 1) == "28.9")
    }

    @Test func noTrialsMeansNothingIsKnown() {
        #expect(WilsonInterval(successes: 0, trials: 0) == WilsonInterval(lower: 0, upper: 1))
    }

    @Test func isSymmetricUnderComplement() {
        for n in [1, 7, 100, 513] {
            for k in stride(from: 0, through: n, by: max(1, n / 9)) {
                let a = WilsonInterval(successes: k, trials: n), b = WilsonInterval(successes: n - k, trials: n)
                #expect(abs(a.lower - (1 - b.upper)) < 1e-12 && abs(a.upper - (1 - b.lower)) < 1e-12)
                #expect(a.lower <= Double(k) / Double(n) && Double(k) / Double(n) <= a.upper)
            }
        }
    }

    @Test func positionAtAndAroundTheThreshold() {
        #expect(WilsonInterval(lower: 0.20, upper: 0.30).position(relativeTo: 0.20) == .above)
        #expect(WilsonInterval(lower: 0.1999, upper: 0.30).position(relativeTo: 0.20) == .indeterminate)
        #expect(WilsonInterval(lower: 0.10, upper: 0.1999).position(relativeTo: 0.20) == .below)
        #expect(WilsonInterval(lower: 0.10, upper: 0.20).position(relativeTo: 0.20) == .indeterminate)
    }
}
