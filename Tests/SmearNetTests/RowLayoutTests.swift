import Testing
import SmearKernels

/// `RowLayout` and `KernelTile` as logic, for the tiles OpenBLAS's kernels have been seen to
/// have, whatever this machine's: every caller row placed once, always in the same class.
@Suite struct RowLayoutTests {
    static let zen = KernelTile(positionClasses: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], rowsMoveWithinClasses: true)
    static let wholeTilesOnly = KernelTile(positionClasses: Array(0..<12), rowsMoveWithinClasses: false)

    /// Checks the invariants of one layout and returns each caller row's product row.
    static func placements(_ layout: RowLayout, rowsPerCaller: Int, callers: Int, tile: KernelTile) -> [[Int]] {
        var placed = [[Int]](repeating: [Int](repeating: -1, count: rowsPerCaller), count: callers)
        var taken = Set<Int>()
        for run in layout.runs {
            for offset in 0..<run.count {
                let row = run.firstRow + offset, productRow = run.productRow + offset
                #expect(placed[run.caller][row] == -1, "caller \(run.caller) row \(row) placed twice")
                placed[run.caller][row] = productRow
                #expect(taken.insert(productRow).inserted && productRow < layout.rows)
            }
        }
        #expect(placed.allSatisfy { $0.allSatisfy { $0 >= 0 } }, "every caller row placed")
        #expect(layout.rows % tile.height == 0)
        let unused = layout.unusedRows.reduce(0) { $0 + $1.count }
        #expect(unused + callers * rowsPerCaller == layout.rows)
        #expect(layout.unusedRows.allSatisfy { $0.allSatisfy { !taken.contains($0) } })
        return placed
    }

    /// Tiles no kernel has been seen with, for the layout's generality: interleaved and unequal classes.
    static let interleaved = KernelTile(positionClasses: [0, 1, 0, 1], rowsMoveWithinClasses: true)
    static let unequal = KernelTile(positionClasses: [0, 0, 0, 1, 2, 2], rowsMoveWithinClasses: true)

    @Test(arguments: [1, 4, 7, 16, 49, 64, 256])
    func everyRowKeepsItsClassInEveryProduct(rowsPerCaller: Int) {
        for tile in [Self.zen, Self.interleaved, Self.unequal] {
            Self.checkClasses(tile: tile, rowsPerCaller: rowsPerCaller)
        }
    }

    static func checkClasses(tile: KernelTile, rowsPerCaller: Int) {
        let classes = tile.rowClasses(rowsPerCaller)
        #expect(classes.count == rowsPerCaller)
        for callers in [1, 2, 3, 5, 32] {
            let layout = RowLayout(rowsPerCaller: rowsPerCaller, callers: callers, n: 64, k: 576, tile: tile)
            let placed = placements(layout, rowsPerCaller: rowsPerCaller, callers: callers, tile: tile)
            for caller in 0..<callers {
                #expect(placed[caller].map { tile.positionClasses[$0 % tile.height] } == classes)
            }
        }
    }

    @Test func smallMapsFillHalfTilesWithoutPadding() {
        // A 4×4 map's 16 rows: 8 in each half-tile class, so three maps fill four tiles.
        #expect(Self.zen.rowClasses(16) == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1])
        #expect(RowLayout(rowsPerCaller: 16, callers: 3, n: 128, k: 1152, tile: Self.zen).rows == 48)
        #expect(RowLayout(rowsPerCaller: 16, callers: 32, n: 128, k: 1152, tile: Self.zen).rows == 516)
        #expect(RowLayout(rowsPerCaller: 16, callers: 1, n: 128, k: 1152, tile: Self.zen).rows == 24)
        #expect(RowLayout(rowsPerCaller: 16, callers: 3, n: 128, k: 1152, tile: Self.zen).unusedRows.isEmpty)
        #expect(Self.zen.rowClasses(7) == [0, 1, 0, 1, 0, 1, 0])
        #expect(Self.zen.description == "12-row tiles, rows round alike at positions 0–5 | 6–11")
    }

    @Test func uniformTilesKeepImagesInOrder() {
        let layout = RowLayout(rowsPerCaller: 16, callers: 4, n: 128, k: 1152, tile: .uniform)
        #expect(layout.isIdentity && layout.rows == 64 && layout.runs.count == 4)
        // Too few rows for the blocked path: padded, so no longer the callers' own rows.
        let thin = RowLayout(rowsPerCaller: 3, callers: 2, n: 5, k: 33, tile: .uniform)
        #expect(thin.rows == RowInvariantGEMM.minimumRows(n: 5, k: 33) && !thin.isIdentity)
        _ = Self.placements(thin, rowsPerCaller: 3, callers: 2, tile: .uniform)
    }

    @Test func tilesThatOnlyMoveWholeStartEachCallerOnATile() {
        let layout = RowLayout(rowsPerCaller: 16, callers: 3, n: 128, k: 1152, tile: Self.wholeTilesOnly)
        #expect(layout.rows == 72)
        #expect(layout.runs == (0..<3).map { RowLayout.Run(caller: $0, firstRow: 0, count: 16, productRow: $0 * 24) })
        _ = Self.placements(layout, rowsPerCaller: 16, callers: 3, tile: Self.wholeTilesOnly)
    }
}
