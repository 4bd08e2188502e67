import Testing
import SmearCells
import SmearImaging

/// Cells packed together, as in blast-rich marrow: nuclei pressed flat against each other and
/// basophilic cytoplasm filling much of the image.
@Suite struct LocatorPressedCellTests {
    /// Lighter than a nucleus but as blue (its nucleus map stays above the nucleus
    /// threshold): the cytoplasm and membranes squeezed between two pressed nuclei.
    static let band = RGB(110, 90, 150)

    /// Two nuclei pressed flat together, 12 x 9 µm each, in one outline of cytoplasm: one
    /// straight-sided block 24.8 µm long with no neck for the distance transform. With
    /// `band`, a strip 0.8 µm wide of `band` colour lies between them.
    static func pressedPair(band: Bool) -> RGBImage {
        var image = RGBImage(width: 500, height: 360, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [(250, 180, 150)])
        for y in 115...245 { for x in 115...385 { image[x, y] = SyntheticSmear.cytoplasm } }
        for y in 135...225 { for x in 126...374 { image[x, y] = SyntheticSmear.nucleus } }
        if band { for y in 135...225 { for x in 246...254 { image[x, y] = Self.band } } }
        return image
    }

    @Test func pressedNucleiSplitAtTheValleyBetweenThem() {
        let cells = LeukocyteLocator().locate(Self.pressedPair(band: true), micronsPerPixel: 0.1).cells
        #expect(cells.count == 2, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        #expect(cells.filter { abs($0.centerX - 186) < 20 && abs($0.centerY - 180) < 15 }.count == 1)
        #expect(cells.filter { abs($0.centerX - 314) < 20 && abs($0.centerY - 180) < 15 }.count == 1)
        #expect(cells.allSatisfy { !$0.touchesBorder })
        // The distance transform alone sees one block.
        var noValleys = LocatorConfiguration()
        noValleys.densityValleyDepth = 10
        #expect(LeukocyteLocator(configuration: noValleys).locate(Self.pressedPair(band: true), micronsPerPixel: 0.1).cells.count == 1)
    }

    @Test func oneLongNucleusWithoutAValleyStaysOneCell() {
        let cells = LeukocyteLocator().locate(Self.pressedPair(band: false), micronsPerPixel: 0.1).cells
        #expect(cells.count == 1, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        if let cell = cells.first { #expect(abs(cell.centerX - 250) < 10 && abs(cell.centerY - 180) < 10) }
    }

    /// Three blasts with broad, strongly basophilic cytoplasm and pale nuclei, and a few red
    /// cells: most stained pixels below the nucleus threshold are cytoplasm, not red cells.
    static func basophilicBlasts() -> RGBImage {
        var image = RGBImage(width: 900, height: 400, fill: SyntheticSmear.background)
        let centres = [(170, 200), (450, 200), (730, 200)]
        SyntheticSmear.redCells(&image, avoiding: centres.map { ($0.0, $0.1, 125) })
        for (x, y) in centres {
            SyntheticSmear.cell(&image, x, y, nucleus: 55, cell: 125, cytoplasm: RGB(150, 150, 215))
            SyntheticSmear.disk(&image, x, y, 55, RGB(120, 95, 165))
        }
        return image
    }

    @Test func paleNucleiAmongBasophilicCytoplasmAreFound() {
        let cells = LeukocyteLocator().locate(Self.basophilicBlasts(), micronsPerPixel: 0.1).cells
        #expect(cells.count == 3, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        for x in [170.0, 450, 730] {
            #expect(cells.filter { abs($0.centerX - x) < 15 && abs($0.centerY - 200) < 15 }.count == 1)
        }
        // Taking the red-cell level from every stained pixel below the nucleus threshold (no
        // eosin-stained pixels) lifts it with the cytoplasm, and the pale nuclei fail it.
        var allBelow = LocatorConfiguration()
        allBelow.redCellStainRatio = 0
        #expect(LeukocyteLocator(configuration: allBelow).locate(Self.basophilicBlasts(), micronsPerPixel: 0.1).cells.isEmpty)
    }
}
