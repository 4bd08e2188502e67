/// A cell's identity within a slide: its image and its index there.
public struct CellID: Sendable, Hashable {
    public var image: String
    public var index: Int

    public init(image: String, index: Int) {
        self.image = image
        self.index = index
    }

    /// A well-mixed 64-bit key (FNV-1a over the path bytes, then the index) that picks
    /// sample cells evenly and reproducibly: the same cells whatever the processing order.
    var sampleKey: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        for byte in image.utf8 { mix(byte) }
        mix(0)
        withUnsafeBytes(of: UInt64(index).littleEndian) { for byte in $0 { mix(byte) } }
        // Final avalanche (from SplitMix64) so nearby paths do not give nearby keys.
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }

    /// Byte-wise path order, then index: the order of `cells.csv`.
    static func precedes(_ a: CellID, _ b: CellID) -> Bool {
        a.image == b.image ? a.index < b.index : a.image.utf8.lexicographicallyPrecedes(b.image.utf8)
    }
}

extension CellRecord {
    public var id: CellID { CellID(image: image, index: index) }
}
