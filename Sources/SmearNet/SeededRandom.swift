/// SplitMix64 with Gaussian draws, for reproducible weight initialisation from a seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    private var spare: Float?

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal draw (Box–Muller, in Double so the pair is exact to Float).
    mutating func nextGaussian() -> Float {
        if let spare {
            self.spare = nil
            return spare
        }
        let u1 = Double(next() >> 11 + 1) / Double(1 << 53)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        let radius = (-2 * _log(u1)).squareRoot()
        spare = Float(radius * _sin(2 * Double.pi * u2))
        return Float(radius * _cos(2 * Double.pi * u2))
    }
}

import Foundation
private func _log(_ x: Double) -> Double { Foundation.log(x) }
private func _sin(_ x: Double) -> Double { Foundation.sin(x) }
private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
