/// One of N parts of a batch, for spreading slides over several machines.
///
/// A slide belongs to shard `hash(name) mod N`, with a fixed hash (64-bit FNV-1a of the
/// name's UTF-8 bytes), so the assignment depends on the slide alone: every machine agrees
/// without talking to the others, and adding slides to a batch never moves existing ones.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// Zero-based index of this shard.
    public let index: Int
    /// Number of shards.
    public let count: Int

    /// The shard written `K/N` (1 ≤ K ≤ N), or nil when the text is not one.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
        index = k - 1
        count = n
    }

    /// Whether the slide named `name` belongs to this shard.
    public func contains(slide name: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return Int(hash % UInt64(count)) == index
    }

    /// `K/N`, 1-based.
    public var description: String { "\(index + 1)/\(count)" }
}
