import Foundation

/// Chooses the training examples of each epoch, tempering class imbalance (blasts and
/// lymphocytes are common, basophils rare) and shuffling deterministically from a seed.
///
/// A class with `n` examples gets a share of every epoch proportional to `n^(1−power)`:
/// power 0 is the natural distribution (each example once per epoch), power 1 equal
/// shares per class, 0.5 the usual compromise. Within a class, examples are drawn from a
/// reshuffled cycle rather than independently, so every rare example is seen equally often
/// and every common one in turn.
public struct ClassBalancedSampler: Sendable {
    /// The class index of every example.
    public let labels: [Int]
    public let classCount: Int
    public let power: Double
    /// Examples per epoch (by default the dataset size).
    public let epochSize: Int
    private let members: [[Int]]

    public init(labels: [Int], classCount: Int, power: Double, epochSize: Int? = nil) {
        precondition(labels.allSatisfy { (0..<classCount).contains($0) }, "label out of range")
        self.labels = labels
        self.classCount = classCount
        self.power = power
        self.epochSize = epochSize ?? labels.count
        var members = Array(repeating: [Int](), count: classCount)
        for (i, label) in labels.enumerated() { members[label].append(i) }
        self.members = members
    }

    /// How many examples of each class an epoch holds (largest remainder, so they add up
    /// to `epochSize`).
    public var quotas: [Int] {
        let mass = members.map { $0.isEmpty ? 0 : Double($0.count) * pow(Double($0.count), -power) }
        return LargestRemainder.apportion(epochSize, weights: mass)
    }

    /// The example indices of epoch `epoch` (0-based), shuffled.
    public func epoch(_ epoch: Int, seed: UInt64) -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(epochSize)
        let quotas = quotas
        for c in 0..<classCount where quotas[c] > 0 {
            // The class's examples form an endless sequence of shuffled passes; epoch e takes
            // the next quota of it, so draws continue across epochs without repeats inside a pass.
            let pool = members[c], q = quotas[c]
            let start = epoch * q
            var pass = start / pool.count, offset = start % pool.count
            var cycle = Self.pass(pool, index: pass, seed: seed, classIndex: c)
            for _ in 0..<q {
                if offset == pool.count {
                    pass += 1; offset = 0
                    cycle = Self.pass(pool, index: pass, seed: seed, classIndex: c)
                }
                order.append(cycle[offset]); offset += 1
            }
        }
        var random = SplitMix64(seed: seed, stream: 0x5A3B_1E00, UInt64(epoch))
        random.shuffle(&order)
        return order
    }

    private static func pass(_ pool: [Int], index: Int, seed: UInt64, classIndex: Int) -> [Int] {
        var copy = pool
        var random = SplitMix64(seed: seed, stream: 0xC1A5_5000, UInt64(classIndex), UInt64(index))
        random.shuffle(&copy)
        return copy
    }

    /// Loss weights per class, `n^(−power)` normalised so the mean weight over the examples
    /// is 1 (classes without examples get 0): the alternative to balanced sampling.
    public static func lossWeights(classCounts: [Int], power: Double) -> [Float] {
        let raw = classCounts.map { $0 > 0 ? pow(Double($0), -power) : 0 }
        let total = zip(raw, classCounts).reduce(0.0) { $0 + $1.0 * Double($1.1) }
        let n = Double(classCounts.reduce(0, +))
        guard total > 0 else { return raw.map { Float($0) } }
        return raw.map { Float($0 * n / total) }
    }
}
