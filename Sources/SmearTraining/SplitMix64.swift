/// SplitMix64: a small, fast, seedable random generator whose whole state is one `UInt64`,
/// so training can checkpoint it and resume bit for bit.
///
/// Swift's `SystemRandomNumberGenerator` cannot be seeded and the standard library's
/// shuffling and range sampling are not promised to stay the same across versions, so the
/// training code draws only through this type and its own helpers.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Equatable {
    /// The generator state.
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent stream for `(seed, a, b, …)`, e.g. one per epoch and sample, so the
    /// draws for a sample do not depend on which thread handles it or in what order.
    public init(seed: UInt64, stream: UInt64...) {
        var s = SplitMix64(seed: seed)
        for value in stream { s = SplitMix64(seed: s.next() ^ Self.mix(value &+ 0x632B_E59B_D9B4_E019)) }
        state = s.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in [0, 1) from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform `Double` in [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * unit() }

    /// A uniform integer in 0..<bound (Lemire's multiply-shift; bias-free by rejection).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// `true` with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A Fisher–Yates shuffle that depends only on this generator.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, below(i + 1))
        }
    }
}
