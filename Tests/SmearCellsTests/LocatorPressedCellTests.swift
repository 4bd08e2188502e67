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
    /// `band`, a strip of `band` colour lies between them over the rows `rows` (all by default).
    static func pressedPair(band: ClosedRange<Int>?, rows: ClosedRange<Int> = 135...225) -> RGBImage {
        block(width: 500, height: 360, free: [(250, 180, 150)], cytoplasm: (115...385, 115...245),
              nucleus: (126...374, 135...225), band: band, bandRows: rows)
    }

    /// Red cells outside the `free` disks (centre, radius), a rectangle of cytoplasm (columns,
    /// rows), round cells (centre, nucleus and cell radius), a rectangle of nucleus, and a strip
    /// of `band` colour over the columns `band` and the rows `bandRows` (by default the nucleus's).
    static func block(width: Int, height: Int, free: [(Int, Int, Int)], cytoplasm: (ClosedRange<Int>, ClosedRange<Int>),
                      round: [(Int, Int, Int, Int)] = [], nucleus: (ClosedRange<Int>, ClosedRange<Int>),
                      band: ClosedRange<Int>?, bandRows: ClosedRange<Int>? = nil) -> RGBImage {
        var image = RGBImage(width: width, height: height, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: free)
        for y in cytoplasm.1 { for x in cytoplasm.0 { image[x, y] = SyntheticSmear.cytoplasm } }
        for (x, y, n, c) in round { SyntheticSmear.cell(&image, x, y, nucleus: n, cell: c) }
        for y in nucleus.1 { for x in nucleus.0 { image[x, y] = SyntheticSmear.nucleus } }
        if let band { for y in bandRows ?? nucleus.1 { for x in band { image[x, y] = Self.band } } }
        return image
    }

    /// A locator with the density-valley split and/or the membrane-line split turned off.
    static func locator(valleys: Bool = true, lines: Bool = true) -> LeukocyteLocator {
        var c = LocatorConfiguration()
        if !valleys { c.densityValleyDepth = 10 }
        if !lines { c.membraneLineDepth = 10 }
        return LeukocyteLocator(configuration: c)
    }

    @Test func pressedNucleiSplitAtTheValleyBetweenThem() {
        let image = Self.pressedPair(band: 246...254)
        let cells = Self.locator(lines: false).locate(image, micronsPerPixel: 0.1).cells
        Self.expectTwoHalves(cells)
        // The distance transform alone sees one block.
        #expect(Self.locator(valleys: false, lines: false).locate(image, micronsPerPixel: 0.1).cells.count == 1)
    }

    static func expectTwoHalves(_ cells: [LocatedCell], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(cells.count == 2, "cells \(cells.map { ($0.centerX, $0.centerY) })", sourceLocation: sourceLocation)
        #expect(cells.filter { abs($0.centerX - 186) < 20 && abs($0.centerY - 180) < 15 }.count == 1, sourceLocation: sourceLocation)
        #expect(cells.filter { abs($0.centerX - 314) < 20 && abs($0.centerY - 180) < 15 }.count == 1, sourceLocation: sourceLocation)
        #expect(cells.allSatisfy { !$0.touchesBorder }, sourceLocation: sourceLocation)
    }

    /// The line the membranes of two pressed cells leave, 0.3 µm wide: split at the source's
    /// resolution even with the density-valley split off, and not by the distance transform.
    @Test func pressedNucleiSplitAlongTheMembraneLine() {
        let image = Self.pressedPair(band: 249...251)
        Self.expectTwoHalves(Self.locator(valleys: false).locate(image, micronsPerPixel: 0.1).cells)
        #expect(Self.locator(valleys: false, lines: false).locate(image, micronsPerPixel: 0.1).cells.count == 1)
        // A source too coarse to show such a line (an overview scan) is not searched for one.
        var coarse = LocatorConfiguration()
        coarse.densityValleyDepth = 10
        coarse.membraneLineMaxSourceScale = 0.05
        #expect(LeukocyteLocator(configuration: coarse).locate(image, micronsPerPixel: 0.1).cells.count == 1)
    }

    /// A crease that runs only halfway across (a fold of one nucleus) cuts nothing off.
    @Test func aLineThatStopsHalfwayStaysOneCell() {
        let image = Self.pressedPair(band: 249...251, rows: 135...180)
        let cells = Self.locator(valleys: false).locate(image, micronsPerPixel: 0.1).cells
        #expect(cells.count == 1, "cells \(cells.map { ($0.centerX, $0.centerY) })")
    }

    @Test func oneLongNucleusWithoutAValleyStaysOneCell() {
        let cells = LeukocyteLocator().locate(Self.pressedPair(band: nil), micronsPerPixel: 0.1).cells
        #expect(cells.count == 1, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        if let cell = cells.first { #expect(abs(cell.centerX - 250) < 10 && abs(cell.centerY - 180) < 10) }
    }

    /// A long, thin nucleus (24 x 5 µm, 120 µm²) with a pale constriction across its middle, as a
    /// band neutrophil's can have: too little nuclear material for two cells pressed flat, so
    /// the valley is not searched (`minPressedSplitArea`), and too long for its halves to merge
    /// back (`maxMergeExtent`), so without that rule it is cut in two.
    @Test func aCreaseAcrossASmallNucleusIsNoPair() {
        let image = Self.block(width: 420, height: 300, free: [(210, 150, 150)], cytoplasm: (70...350, 110...190),
                               nucleus: (90...330, 125...175), band: 206...214)
        let cells = LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells
        #expect(cells.count == 1, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        var anySize = LocatorConfiguration()
        anySize.minPressedSplitArea = 0
        #expect(LeukocyteLocator(configuration: anySize).locate(image, micronsPerPixel: 0.1).cells.count == 2)
    }

    /// A round cell beside two pressed flat together, the second of them cut by the image
    /// border. The round nucleus and the cut one each have a core, so the watershed gives two
    /// parts and the whole pressed cell is flooded from its cut neighbour's core; the part at
    /// the border is searched again (`refineParts`) and the valley between them splits it.
    @Test func aWholeCellPressedAgainstACutOneIsSplitOff() {
        let image = Self.block(width: 440, height: 360, free: [(100, 180, 80), (300, 180, 150)], cytoplasm: (160...439, 115...245),
                               round: [(100, 180, 45, 75)], nucleus: (170...439, 135...225), band: 300...308)
        let cells = LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells.sorted { $0.centerX < $1.centerX }
        #expect(cells.count == 3, "cells \(cells.map { ($0.centerX, $0.centerY, $0.touchesBorder) })")
        if cells.count == 3 {
            #expect(abs(cells[0].centerX - 100) < 15 && !cells[0].touchesBorder)
            #expect(abs(cells[1].centerX - 235) < 20 && !cells[1].touchesBorder)
            #expect(cells[2].centerX > 340 && cells[2].touchesBorder)
        }
        // Without the valley, the pressed pair is one cell cut by the border.
        let merged = Self.locator(valleys: false, lines: false).locate(image, micronsPerPixel: 0.1).cells
        #expect(merged.count == 2 && merged.filter(\.touchesBorder).count == 1)
    }

    /// Two nuclei pressed flat together (10 x 9 µm each), the right one stopping 1.3 µm short of
    /// the image edge: within `borderMargin` at the working resolution (three 0.4 µm pixels),
    /// so it is reported cut. Together they fill one convex outline, but a part that will be
    /// reported cut is never merged back, or the whole cell beside it would be reported cut
    /// too and lost to counting.
    @Test func aWholeCellIsNotMergedWithOneReportedCut() {
        let image = Self.block(width: 420, height: 360, free: [(300, 180, 150)], cytoplasm: (190...411, 115...245),
                               nucleus: (206...406, 135...225), band: 302...310)
        let cells = LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells.sorted { $0.centerX < $1.centerX }
        #expect(cells.count == 2, "cells \(cells.map { ($0.centerX, $0.centerY, $0.touchesBorder) })")
        if cells.count == 2 {
            #expect(abs(cells[0].centerX - 255) < 20 && !cells[0].touchesBorder)
            #expect(cells[1].centerX > 340 && cells[1].touchesBorder)
        }
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
