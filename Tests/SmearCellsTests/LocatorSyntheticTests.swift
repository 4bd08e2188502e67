import Foundation
import Testing
import SmearCells
import SmearImaging

/// The locator on images whose content is known exactly.
@Suite struct LocatorSyntheticTests {
    /// 1200 x 800 px at 0.1 µm/px: a lone lymphocyte, a touching pair, a four-lobed
    /// neutrophil, a cell cut by the left border, debris and a platelet, among red cells.
    static func scene() -> RGBImage {
        var image = RGBImage(width: 1200, height: 800, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [(250, 250, 60), (640, 250, 100), (1000, 560, 70),
                                                  (20, 600, 50), (400, 620, 30), (700, 650, 30)])
        // Lone lymphocyte at (250, 250).
        SyntheticSmear.disk(&image, 250, 250, 46, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 250, 250, 36, SyntheticSmear.nucleus)
        // Two touching lymphocytes at (595, 250) and (685, 250): cytoplasm rims pressed
        // together, nuclei 1.8 µm apart.
        SyntheticSmear.disk(&image, 595, 250, 46, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 685, 250, 46, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 595, 250, 36, SyntheticSmear.nucleus)
        SyntheticSmear.disk(&image, 685, 250, 36, SyntheticSmear.nucleus)
        // Segmented neutrophil at (1000, 560): pale cytoplasm, four small separate lobes.
        SyntheticSmear.disk(&image, 1000, 560, 58, RGB(225, 200, 210))
        for (dx, dy) in [(-30, 12), (-12, -18), (12, -18), (30, 12)] {
            SyntheticSmear.disk(&image, 1000 + dx, 560 + dy, 12, SyntheticSmear.nucleus)
        }
        // Cell cut by the left border, centre (20, 600).
        SyntheticSmear.disk(&image, 20, 600, 42, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 20, 600, 32, SyntheticSmear.nucleus)
        // Debris speck (0.4 µm radius) and a platelet (1.2 µm radius), far from everything.
        SyntheticSmear.disk(&image, 400, 620, 4, SyntheticSmear.nucleus)
        SyntheticSmear.disk(&image, 700, 650, 12, SyntheticSmear.nucleus)
        return image
    }

    @Test func findsExactlyTheKnownCells() {
        let result = LeukocyteLocator().locate(Self.scene(), micronsPerPixel: 0.1)
        let expected: [(x: Double, y: Double, border: Bool, lobed: Bool)] = [
            (250, 250, false, false), (595, 250, false, false), (685, 250, false, false),
            (1000, 557, false, true), (27, 600, true, false), // the visible part of the cut cell
        ]
        #expect(result.cells.count == expected.count, "found \(result.cells.map { ($0.centerX, $0.centerY, $0.touchesBorder) })")
        for e in expected {
            let match = result.cells.filter { abs($0.centerX - e.x) <= 12 && abs($0.centerY - e.y) <= 12 }
            #expect(match.count == 1, "expected one cell near (\(e.x), \(e.y)), cells \(result.cells.map { ($0.centerX, $0.centerY) })")
            if let c = match.first {
                #expect(c.touchesBorder == e.border)
                // A lobed cell's centre may fall on pale cytoplasm between the lobes.
                if !e.lobed { #expect(c.mask.contains(x: Int(e.x), y: Int(e.y))) }
                #expect(c.bounds.intersection(PixelRect(x: Int(e.x), y: Int(e.y), width: 1, height: 1)).width == 1)
            }
        }
        // The lone lymphocyte's areas: nucleus π·36² ≈ 4072 px, cell π·46² ≈ 6648 px
        // (block-quantised at 4 px, so within 12 %).
        if let lone = result.cells.first(where: { abs($0.centerX - 250) < 12 && abs($0.centerY - 250) < 12 }) {
            #expect(abs(Double(lone.nucleusArea) - 4072) / 4072 < 0.12)
            #expect(abs(Double(lone.cellArea) - 6648) / 6648 < 0.12)
            #expect(abs(lone.nucleusArea(micronsPerPixel: 0.1) - 40.7) < 5)
        }
        #expect(result.reductionFactor == 4)
        #expect(!result.scaleWasEstimated)
        #expect(result.background == SyntheticSmear.background)
    }

    @Test func estimatesTheScaleFromRedCells() throws {
        let locator = LeukocyteLocator()
        let estimate = try #require(locator.estimateScale(Self.scene()))
        #expect(abs(estimate.micronsPerPixel - 0.1) < 0.01, "estimated \(estimate.micronsPerPixel)")
        let result = locator.locate(Self.scene())
        #expect(result.scaleWasEstimated)
        #expect(result.cells.count == 5)
    }

    /// Where most red cells touch, the scale comes from the lone ones: round, unnucleated,
    /// whole. Touching pairs, a red cell cut by the border, a leukocyte and a speck of
    /// debris are all left out.
    @Test func scaleFromLoneRedCellsAmongClumps() throws {
        var image = RGBImage(width: 640, height: 480, fill: SyntheticSmear.background)
        let lone = [(100, 100), (300, 100), (500, 100), (100, 380)]
        let clumped = [(200, 260), (270, 260), (340, 260), (450, 330), (515, 330), (580, 330),
                       (200, 420), (270, 420), (600, 170), (600, 240), (80, 230), (150, 230)]
        for (x, y) in lone + clumped + [(0, 240)] { SyntheticSmear.disk(&image, x, y, 37, SyntheticSmear.redCell) }
        SyntheticSmear.disk(&image, 400, 415, 55, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 400, 415, 36, SyntheticSmear.nucleus)
        SyntheticSmear.disk(&image, 420, 200, 4, SyntheticSmear.redCell)
        let found = LeukocyteLocator().estimateScale(image)
        let estimate = try #require(found)
        #expect(estimate.loneRedCellDiameters.count == 4, "\(estimate.loneRedCellDiameters)")
        for d in estimate.loneRedCellDiameters { #expect(abs(d - 75) < 5, "diameter \(d)") }
        #expect(abs(estimate.micronsPerPixel - 0.1) < 0.007, "estimated \(estimate.micronsPerPixel)")
    }

    @Test func repeatedCallsGiveIdenticalResults() {
        let locator = LeukocyteLocator()
        let scene = Self.scene()
        let first = locator.locate(scene, micronsPerPixel: 0.1)
        _ = locator.locate(RGBImage(width: 50, height: 40, fill: SyntheticSmear.background), micronsPerPixel: 0.1)
        #expect(locator.locate(scene, micronsPerPixel: 0.1) == first)
        #expect(LeukocyteLocator().locate(scene, micronsPerPixel: 0.1) == first)
    }

    @Test(arguments: [
        RGBImage(width: 300, height: 200, fill: RGB(255, 255, 255)),   // blank
        RGBImage(width: 300, height: 200, fill: SyntheticSmear.background), // background only
        RGBImage(width: 300, height: 200, fill: RGB(0, 0, 0)),          // saturated dark
        RGBImage(width: 1, height: 1, fill: RGB(90, 40, 140)),
        RGBImage(width: 0, height: 0),
    ])
    func degenerateImagesHaveNoCells(image: RGBImage) {
        let locator = LeukocyteLocator()
        let result = locator.locate(image, micronsPerPixel: 0.1)
        #expect(result.cells.isEmpty)
        #expect(locator.locate(image).cells.isEmpty)
        // The result stays encodable (no infinite thresholds) for `locate --json`.
        #expect(throws: Never.self) { try JSONEncoder().encode(result) }
    }

    @Test func noisyBackgroundHasNoCells() {
        var image = RGBImage(width: 320, height: 240, fill: SyntheticSmear.background)
        var state: UInt32 = 12345
        for i in 0..<image.pixels.count {
            state = state &* 1_664_525 &+ 1_013_904_223
            image.pixels[i] = UInt8(clamping: Int(image.pixels[i]) + Int(state >> 29) - 4)
        }
        #expect(LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells.isEmpty)
    }

    @Test func redCellsOnlyHaveNoCells() {
        var image = RGBImage(width: 800, height: 600, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [])
        // A darker red cell must not pass for a nucleus.
        SyntheticSmear.disk(&image, 45, 45, 37, RGB(180, 95, 130))
        #expect(LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells.isEmpty)
    }

    @Test func cropCentresTheCellAndPadsWithBackground() throws {
        let scene = Self.scene()
        let result = LeukocyteLocator().locate(scene, micronsPerPixel: 0.1)
        let border = try #require(result.cells.first { $0.touchesBorder })
        let crop = CellCrop.crop(border, from: scene, width: 64, height: 64, targetMicronsPerPixel: 0.4,
                                 sourceMicronsPerPixel: 0.1, fill: result.background)
        #expect(crop.width == 64 && crop.height == 64)
        // Left of the image border: background fill; at the centre: the nucleus.
        #expect(crop[2, 32] == result.background)
        let centre = crop[32, 32]
        #expect(abs(Int(centre.r) - Int(SyntheticSmear.nucleus.r)) < 20 && abs(Int(centre.g) - Int(SyntheticSmear.nucleus.g)) < 20)
    }
}

@Suite struct CellOverlayTests {
    @Test func drawsBoxesInTheRightColours() {
        let scene = LocatorSyntheticTests.scene()
        let result = LeukocyteLocator().locate(scene, micronsPerPixel: 0.1)
        let overlay = CellOverlay.draw(result, on: scene)
        #expect(overlay.width == scene.width && overlay.height == scene.height)
        for cell in result.cells {
            let b = cell.bounds.intersection(scene.bounds)
            let expected = cell.touchesBorder ? CellOverlay.borderCell : CellOverlay.wholeCell
            #expect(overlay[b.x, b.y + b.height / 2] == expected)
            #expect(overlay[b.maxX - 1, b.y + b.height / 2] == expected)
        }
        // Far from every cell the image is unchanged.
        #expect(overlay[1190, 10] == scene[1190, 10])
    }
}

/// The rules that decide whether nucleus parts are one cell or two. Scenes that a rule
/// decides are also located with the rule switched off, to show it is the rule that decides.
@Suite struct LocatorSplitRuleTests {
    /// A large blast-like nucleus (16 µm) cut in two by a pale line 1.2 µm wide: both halves
    /// are round enough to be split, but together they fill one convex outline, so they are
    /// merged back into one cell; two touching lymphocytes beside it stay two.
    @Test func halvesOfOneNucleusStayOneCell() {
        var image = RGBImage(width: 900, height: 500, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [(250, 250, 100), (645, 250, 100)])
        SyntheticSmear.cell(&image, 250, 250, nucleus: 80, cell: 95)
        for y in 160...340 { for x in 244...255 { if image[x, y] == SyntheticSmear.nucleus { image[x, y] = SyntheticSmear.cytoplasm } } }
        SyntheticSmear.cell(&image, 600, 250, nucleus: 36, cell: 46)
        SyntheticSmear.cell(&image, 690, 250, nucleus: 36, cell: 46)
        let cells = LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells
        #expect(cells.count == 3, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        let blast = cells.filter { abs($0.centerX - 250) < 15 && abs($0.centerY - 250) < 15 }
        #expect(blast.count == 1)
        #expect(cells.filter { abs($0.centerX - 600) < 15 }.count == 1)
        #expect(cells.filter { abs($0.centerX - 690) < 15 }.count == 1)
        // Without merging back, the watershed leaves the two halves as two cells.
        var noMerge = LocatorConfiguration()
        noMerge.mergeConvexity = 0
        let split = LeukocyteLocator(configuration: noMerge).locate(image, micronsPerPixel: 0.1).cells
        #expect(split.filter { abs($0.centerX - 250) < 100 && abs($0.centerY - 250) < 100 }.count == 2)
    }

    /// A nucleus cut by the left border 2.8 µm from a whole lymphocyte's nucleus: the border
    /// does not thin it into a lobe, so it is a cell of its own (flagged) and the lymphocyte
    /// stays whole and centred.
    @Test func nucleusCutByTheBorderIsNotALobeOfItsNeighbour() {
        var image = RGBImage(width: 600, height: 400, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [(5, 200, 50), (111, 200, 60)])
        SyntheticSmear.cell(&image, 5, 200, nucleus: 36, cell: 44)
        SyntheticSmear.cell(&image, 111, 200, nucleus: 42, cell: 52)
        let cells = LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells
        #expect(cells.count == 2, "cells \(cells.map { ($0.centerX, $0.centerY, $0.touchesBorder) })")
        let whole = cells.filter { !$0.touchesBorder }
        #expect(whole.count == 1)
        if let c = whole.first { #expect(abs(c.centerX - 111) < 12 && abs(c.centerY - 200) < 12) }
    }

    /// A segmented neutrophil (four lobes, none with a core) 2 µm from a lymphocyte: the
    /// lobes hold as much nucleus as a cell, so they are a cell of their own rather than
    /// lobes of the lymphocyte.
    @Test func lobesBesideARoundNucleusAreACellOfTheirOwn() {
        var image = RGBImage(width: 700, height: 500, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [(300, 250, 60), (402, 262, 50)])
        SyntheticSmear.disk(&image, 300, 250, 58, RGB(225, 200, 210))
        for (dx, dy) in [(-30, 12), (-12, -18), (12, -18), (30, 12)] {
            SyntheticSmear.disk(&image, 300 + dx, 250 + dy, 16, SyntheticSmear.nucleus)
        }
        SyntheticSmear.cell(&image, 402, 262, nucleus: 36, cell: 46)
        let cells = LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells
        #expect(cells.count == 2, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        #expect(cells.filter { abs($0.centerX - 300) < 15 && abs($0.centerY - 250) < 15 }.count == 1)
        #expect(cells.filter { abs($0.centerX - 402) < 15 && abs($0.centerY - 262) < 15 }.count == 1)
    }

    /// An eosinophil-like cell: two round lobes 3 µm in radius, 2.8 µm apart, in one
    /// cytoplasm: 57 µm² of nucleus spanning 14.8 µm, each lobe with a core of its own.
    static func bilobedCell() -> RGBImage {
        var image = RGBImage(width: 400, height: 400, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [(200, 200, 95)])
        SyntheticSmear.disk(&image, 200, 200, 95, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 156, 200, 30, SyntheticSmear.nucleus)
        SyntheticSmear.disk(&image, 244, 200, 30, SyntheticSmear.nucleus)
        return image
    }

    /// A nucleus 7 µm in radius ringed by twelve specks of nuclear stain 2.8 µm from its
    /// edge: together 24.4 µm across, too wide to merge as one outline, and the specks
    /// (54 µm²) enough to pass for the lobes of a cell of their own, centred on the nucleus.
    static func ringedNucleus() -> RGBImage {
        var image = RGBImage(width: 400, height: 400, fill: SyntheticSmear.background)
        SyntheticSmear.disk(&image, 200, 200, 130, SyntheticSmear.cytoplasm)
        SyntheticSmear.disk(&image, 200, 200, 70, SyntheticSmear.nucleus)
        for k in 0..<12 {
            let angle = Double(k) * Double.pi / 6
            SyntheticSmear.disk(&image, 200 + Int((110 * cos(angle)).rounded()), 200 + Int((110 * sin(angle)).rounded()), 12,
                                SyntheticSmear.nucleus)
        }
        return image
    }

    @Test func fatLobesOfOneGranulocyteAreOneCell() {
        let cells = LeukocyteLocator().locate(Self.bilobedCell(), micronsPerPixel: 0.1).cells
        #expect(cells.count == 1, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        if let cell = cells.first { #expect(abs(cell.centerX - 200) <= 8 && abs(cell.centerY - 200) <= 8) }
        var off = LocatorConfiguration()
        off.lobedCellMaxArea = 0
        #expect(LeukocyteLocator(configuration: off).locate(Self.bilobedCell(), micronsPerPixel: 0.1).cells.count == 2)
    }

    /// Two thin lobes (2.5 µm in radius) lying diagonally in one cytoplasm, as the rims of a
    /// pale nucleus or an eosinophil's lobes can: too far apart to group (`lobeGap`), but their
    /// boxes lie within `lobedCellGap`, and together they pass the lobed-cell rule.
    @Test func thinLobesLyingApartAreOneCell() {
        func lobes(radius: Int) -> RGBImage {
            var image = RGBImage(width: 400, height: 400, fill: SyntheticSmear.background)
            SyntheticSmear.redCells(&image, avoiding: [(200, 200, 100)])
            SyntheticSmear.disk(&image, 200, 200, 100, SyntheticSmear.cytoplasm)
            SyntheticSmear.disk(&image, 159, 159, radius, SyntheticSmear.nucleus)
            SyntheticSmear.disk(&image, 241, 241, radius, SyntheticSmear.nucleus)
            return image
        }
        let cells = LeukocyteLocator().locate(lobes(radius: 25), micronsPerPixel: 0.1).cells
        #expect(cells.count == 1, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        if let cell = cells.first { #expect(abs(cell.centerX - 200) <= 8 && abs(cell.centerY - 200) <= 8) }
        var off = LocatorConfiguration()
        off.lobedCellGap = 0
        #expect(LeukocyteLocator(configuration: off).locate(lobes(radius: 25), micronsPerPixel: 0.1).cells.count == 2)
        // Nuclei thick enough to be cells of their own (3.6 µm in radius) stay apart.
        #expect(LeukocyteLocator().locate(lobes(radius: 36), micronsPerPixel: 0.1).cells.count == 2)
    }

    @Test func thickerNucleiSideBySideStillSplit() {
        // Lymphocyte-sized nuclei (3.6 µm radius) at the same spacing: two cells.
        var image = RGBImage(width: 400, height: 400, fill: SyntheticSmear.background)
        SyntheticSmear.redCells(&image, avoiding: [(150, 200, 52), (254, 200, 52)])
        SyntheticSmear.cell(&image, 150, 200, nucleus: 36, cell: 52)
        SyntheticSmear.cell(&image, 254, 200, nucleus: 36, cell: 52)
        #expect(LeukocyteLocator().locate(image, micronsPerPixel: 0.1).cells.count == 2)
    }

    @Test func lobesAroundOneNucleusAreNotACellOfTheirOwn() {
        let cells = LeukocyteLocator().locate(Self.ringedNucleus(), micronsPerPixel: 0.1).cells
        #expect(cells.count == 1, "cells \(cells.map { ($0.centerX, $0.centerY) })")
        var off = LocatorConfiguration()
        off.minNucleusSpacing = 0
        #expect(LeukocyteLocator(configuration: off).locate(Self.ringedNucleus(), micronsPerPixel: 0.1).cells.count == 2)
    }
}
