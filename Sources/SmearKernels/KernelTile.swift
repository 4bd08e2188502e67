/// How OpenBLAS's sgemm kernel rounds a product's rows by where they sit: in tiles of
/// `height` rows, where a row's bits depend only on the class of its position in its tile.
///
/// Measured, OpenBLAS 0.3.21: the SkylakeX/Cooperlake kernels round every row alike (height 1);
/// the Haswell/Zen kernel (AMD EPYC without AVX-512) takes rows 12 at a time and rounds the
/// first six positions of a tile one way and the last six another (`Benchmarks/gemm_tile_classes.c`
/// checked 38,400 placements, NN and NT, N 16–128, K 27–576, products of 1–43 tiles).
/// `RowInvariantGEMM.tile` probes this once per process rather than trusting a table.
public struct KernelTile: Sendable, Equatable {
    /// The class of each position of a tile; classes are numbered from 0 in order of first position.
    public let positionClasses: [Int]
    /// Whether rows may move between tiles, and between positions of one class, keeping
    /// their bits (checked by the probe). When not, only whole runs of tiles move:
    /// a caller's rows must start on a tile and keep their order.
    public let rowsMoveWithinClasses: Bool

    public init(positionClasses: [Int], rowsMoveWithinClasses: Bool) {
        precondition(!positionClasses.isEmpty && positionClasses[0] == 0)
        self.positionClasses = positionClasses
        self.rowsMoveWithinClasses = rowsMoveWithinClasses
    }

    /// Rows per tile.
    public var height: Int { positionClasses.count }

    /// Number of position classes.
    public var classCount: Int { (positionClasses.max() ?? 0) + 1 }

    /// The positions of each class, in order.
    public var positionsOfClass: [[Int]] {
        var positions = [[Int]](repeating: [], count: classCount)
        for (position, positionClass) in positionClasses.enumerated() { positions[positionClass].append(position) }
        return positions
    }

    /// The class each of a caller's `rows` rows keeps in every product: the classes of a
    /// product of its own for whole tiles, and the rows after the last whole tile spread over
    /// the classes in proportion to their sizes (ties to the lower class), so that callers of
    /// any size fill the classes evenly and shared products need little padding.
    public func rowClasses(_ rows: Int) -> [Int] {
        let whole = rows / height * height
        var classes = (0..<whole).map { positionClasses[$0 % height] }
        let sizes = positionsOfClass.map(\.count)
        var counts = sizes.map { $0 * (whole / height) }
        for _ in whole..<rows {
            // The class least filled relative to its size: counts[c] / sizes[c], compared exactly.
            var best = 0
            for c in 1..<classCount where counts[c] * sizes[best] < counts[best] * sizes[c] { best = c }
            classes.append(best)
            counts[best] += 1
        }
        return classes
    }

    /// One position, one class: any row at any place rounds alike.
    public static let uniform = KernelTile(positionClasses: [0], rowsMoveWithinClasses: true)
}

extension KernelTile: CustomStringConvertible {
    /// For example "12-row tiles, rows round alike at positions 0–5 | 6–11".
    public var description: String {
        if height == 1 { return "every row rounds alike" }
        let classes = positionsOfClass.map { positions in
            positions.count > 1 && positions.last! - positions[0] == positions.count - 1
                ? "\(positions[0])–\(positions.last!)" : positions.map(String.init).joined(separator: ",")
        }
        return "\(height)-row tiles, rows round alike at positions " + classes.joined(separator: " | ")
            + (rowsMoveWithinClasses ? "" : " (only in whole tiles, in order)")
    }
}
