/// Apportions a whole number in proportion to weights (Hamilton's largest-remainder method):
/// floors first, then one more to the largest fractional parts; ties go to the earlier index.
enum LargestRemainder {
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total > 0 else { return weights.map { _ in 0 } }
        let exact: [Double] = weights.map { $0 / sum * Double(total) }
        var shares: [Int] = exact.map { Int($0.rounded(.down)) }
        let remainders: [Double] = zip(exact, shares).map { $0 - Double($1) }
        let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        var left = total - shares.reduce(0, +)
        for i in order where left > 0 && weights[i] > 0 {
            shares[i] += 1
            left -= 1
        }
        return shares
    }
}
