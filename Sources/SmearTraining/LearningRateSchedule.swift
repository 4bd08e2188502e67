import Foundation

/// Linear warm-up followed by cosine decay to a floor.
///
///     lr(s) = base · (s+1)/warmup                                   for s < warmup
///     lr(s) = floor + (base − floor) · ½ · (1 + cos(π · (s−warmup)/(total−warmup)))
///
/// Steps count from 0; past `totalSteps` the rate stays at the floor.
public struct LearningRateSchedule: Sendable, Codable, Equatable {
    public var baseRate: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    /// The final rate, as a fraction of `baseRate`.
    public var floorFraction: Double

    public init(baseRate: Double, warmupSteps: Int, totalSteps: Int, floorFraction: Double = 0.01) {
        self.baseRate = baseRate
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(totalSteps, warmupSteps + 1)
        self.floorFraction = floorFraction
    }

    /// The rate at step `step`.
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return baseRate * Double(step + 1) / Double(warmupSteps) }
        let floor = baseRate * floorFraction
        let progress = min(1, Double(step - warmupSteps) / Double(totalSteps - warmupSteps))
        return floor + (baseRate - floor) * 0.5 * (1 + cos(Double.pi * progress))
    }
}
