/// Where the rows of several callers (images) go in one shared product, so that every row
/// comes out with the same bits whichever product it shares and wherever in it.
///
/// Each caller's row `r` always takes a position of class `tile.rowClasses(rows)[r]`
/// (`KernelTile`); a product fills each class's positions, tile after tile, with the rows of
/// that class, caller after caller. On the Zen kernels a 4×4 map's 16 rows take 8 positions
/// of each half-tile, so three maps fill four tiles exactly, where starting each map on a
/// tile of its own would pad it to 24 rows. Kernels whose rows only keep their bits in whole
/// tiles get each caller's rows in order from a tile boundary instead.
public struct RowLayout: Sendable, Equatable {
    /// Consecutive rows of one caller at consecutive rows of the product.
    public struct Run: Sendable, Equatable {
        public let caller: Int
        public let firstRow: Int
        public let count: Int
        public let productRow: Int

        public init(caller: Int, firstRow: Int, count: Int, productRow: Int) {
            self.caller = caller
            self.firstRow = firstRow
            self.count = count
            self.productRow = productRow
        }
    }

    /// The product's length: whole tiles, and at least `RowInvariantGEMM.minimumRows`.
    public let rows: Int
    /// Every caller row exactly once, by caller and row.
    public let runs: [Run]
    /// Product rows holding no caller's row: zero them before multiplying.
    public let unusedRows: [Range<Int>]

    /// Whether caller `i`'s rows are product rows `i·rowsPerCaller ..< (i+1)·rowsPerCaller` and
    /// nothing else is: the callers' own consecutive rows can be the product.
    public let isIdentity: Bool

    /// The layout of `callers` callers of `rowsPerCaller` rows each in a product of width `n`
    /// and depth `k`, for kernels tiled as `tile`.
    public init(rowsPerCaller: Int, callers: Int, n: Int, k: Int, tile: KernelTile = RowInvariantGEMM.tile) {
        precondition(rowsPerCaller > 0 && callers > 0)
        var runs: [Run] = []
        var used = 0
        func append(caller: Int, row: Int, at productRow: Int) {
            if let last = runs.last, last.caller == caller, last.firstRow + last.count == row,
               last.productRow + last.count == productRow {
                runs[runs.count - 1] = Run(caller: caller, firstRow: last.firstRow, count: last.count + 1, productRow: last.productRow)
            } else {
                runs.append(Run(caller: caller, firstRow: row, count: 1, productRow: productRow))
            }
            used = max(used, productRow + 1)
        }
        let height = tile.height
        if tile.rowsMoveWithinClasses {
            let classes = tile.rowClasses(rowsPerCaller), positions = tile.positionsOfClass
            var filled = [Int](repeating: 0, count: tile.classCount)
            for caller in 0..<callers {
                for (row, rowClass) in classes.enumerated() {
                    let slot = filled[rowClass], size = positions[rowClass].count
                    append(caller: caller, row: row, at: slot / size * height + positions[rowClass][slot % size])
                    filled[rowClass] += 1
                }
            }
        } else {
            let stride = (rowsPerCaller + height - 1) / height * height
            for caller in 0..<callers {
                for row in 0..<rowsPerCaller { append(caller: caller, row: row, at: caller * stride + row) }
            }
        }
        let minimum = RowInvariantGEMM.minimumRows(n: n, k: k)
        rows = (max(used, minimum) + height - 1) / height * height
        self.runs = runs

        var taken = [Bool](repeating: false, count: rows)
        for run in runs { for row in run.productRow..<(run.productRow + run.count) { taken[row] = true } }
        var unused: [Range<Int>] = [], start: Int?
        for row in 0...rows {
            let free = row < rows && !taken[row]
            if free, start == nil { start = row }
            if !free, let first = start {
                unused.append(first..<row)
                start = nil
            }
        }
        unusedRows = unused
        isIdentity = unused.isEmpty && runs.count == callers
            && runs.enumerated().allSatisfy { $0.element.productRow == $0.offset * rowsPerCaller && $0.element.count == rowsPerCaller }
    }
}
