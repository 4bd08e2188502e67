import Testing
import SmearCells
import SmearImaging

/// The rules that decide which cells a slide counts: cut by the border or not, and pale
/// nuclei that are still leukocytes.
@Suite struct LocatorCountingRuleTests {
    /// Two lymphocytes near the left and right edges, each with a red cell pressed between it
    /// and the edge, so both cells' stained area reaches the edge. The left nucleus keeps
    /// 2 µm of cytoplasm to the edge (whole), the right one comes within 0.5 µm (cut).
    @Test func cutByTheBorderIsDecidedByTheNucleus() {
        var image = RGBImage(width: 800, height: 400, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [(70, 200, 90), (730, 200, 90)])
        SyntheticSmear.disk(&image, 12, 120, 37, SyntheticSmear.redCell)
        SyntheticSmear.disk(&image, 12, 200, 30, SyntheticSmear.redCell)
        SyntheticSmear.cell(&image, 56, 200, nucleus: 36, cell: 46)
        SyntheticSmear.cell(&image, 800 - 41, 200, nucleus: 36, cell: 46)
        let result = LeukocyteLocator().locate(image, micronsPerPixel: 0.1)
        var wide = LocatorConfiguration()
        wide.borderMargin = 2.5
        let widened = LeukocyteLocator(configuration: wide).locate(image, micronsPerPixel: 0.1).cells
        #expect(result.cells.count == 2, "cells \(result.cells.map { ($0.centerX, $0.centerY, $0.touchesBorder) })")
        let left = result.cells.filter { $0.centerX < 400 }, right = result.cells.filter { $0.centerX > 400 }
        #expect(left.count == 1 && right.count == 1)
        #expect(left.first?.bounds.x == 0, "the left cell's stained area reaches the edge")
        #expect(left.first?.touchesBorder == false)
        #expect(right.first?.touchesBorder == true)
        // With the margin widened past the left nucleus's 2 µm, it counts as cut too.
        #expect(widened.count == 2 && widened.allSatisfy { $0.touchesBorder })
    }

    /// Among purplish red cells (nucleus map ≈ 0.30), a pale nucleus at ≈ 0.50 (1.67 times
    /// the red cells) is a leukocyte when it is larger than any red cell (113 µm²) and
    /// rejected when it is small (28 µm²), where a dark red cell could look the same.
    @Test func paleNucleiAreKeptWhenLargerThanAnyRedCell() {
        let purplishRedCell = RGB(158, 110, 150), paleNucleus = RGB(134, 90, 160)
        var image = RGBImage(width: 900, height: 500, fill: SyntheticSmear.background)
        for cy in stride(from: 45, to: 470, by: 95) {
            for cx in stride(from: 45, to: 870, by: 95) {
                let clear = [(220, 250, 120), (650, 250, 90)].allSatisfy { (cx - $0.0) * (cx - $0.0) + (cy - $0.1) * (cy - $0.1) >= $0.2 * $0.2 }
                if clear { SyntheticSmear.disk(&image, cx, cy, 37, purplishRedCell) }
            }
        }
        SyntheticSmear.disk(&image, 220, 250, 72, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 220, 250, 60, paleNucleus)
        SyntheticSmear.disk(&image, 650, 250, 40, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 650, 250, 30, paleNucleus)
        let cells = LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells
        #expect(cells.count == 1, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        if let c = cells.first { #expect(abs(c.centerX - 220) < 12 && abs(c.centerY - 250) < 12) }
        // At the general contrast ratio the large pale nucleus is lost as well.
        var strict = LocatorConfiguration()
        strict.largeNucleusContrastRatio = strict.minContrastRatio
        #expect(LeukocyteLocator(configuration: strict).locate(image, micronsPerPixel: 0.1).cells.isEmpty)
    }
}
