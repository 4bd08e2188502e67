/// A cell's pixels: a bitmap stored at the locator's working resolution, each bit
/// covering a `factor x factor` block of source pixels starting at `origin`.
public struct CellMask: Sendable, Equatable, Codable {
    /// Source-pixel position of the bitmap's top-left block.
    public var originX: Int
    public var originY: Int
    /// Source pixels per bitmap cell along each axis.
    public var factor: Int
    /// Bitmap size in blocks.
    public var width: Int
    public var height: Int
    /// Row-major, one entry per block, `true` inside the cell.
    public var bits: [Bool]

    /// Whether source pixel (`x`, `y`) belongs to the cell.
    public func contains(x: Int, y: Int) -> Bool {
        let bx = x - originX, by = y - originY
        if bx < 0 || by < 0 { return false }
        let cx = bx / factor, cy = by / factor
        if cx >= width || cy >= height { return false }
        return bits[cy * width + cx]
    }

    /// Number of blocks set.
    public var blockCount: Int { bits.reduce(0) { $0 + ($1 ? 1 : 0) } }
}
