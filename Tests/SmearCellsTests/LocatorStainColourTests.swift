import Testing
import SmearCells
import SmearImaging

/// Nuclei told from red cells by colour and density where the nucleus map barely separates
/// them: slides that stain nuclei magenta rather than violet (colours measured on
/// deepapl Patient_18, LY_13162681).
@Suite struct LocatorStainColourTests {
    static let background = RGB(255, 230, 204)
    /// Greyish-purple red cells: nucleus map 0.20, density 1.34, blue share of density 0.25.
    static let redCell = RGB(177, 121, 147)
    /// A magenta nucleus: nucleus map 0.33 (1.66 times the red cells', under
    /// `minContrastRatio`), density 1.99 (1.49 times), blue share 0.17.
    static let magentaNucleus = RGB(154, 73, 145)
    /// A bluish red cell (polychromatic): blue share 0.18 like a nucleus, but no denser than
    /// the red cells (0.84 times).
    static let bluishRedCell = RGB(171, 137, 167)
    /// Red cells lying on each other: 1.5 times as dense, but the red cells' colour.
    static let stackedRedCells = RGB(147, 88, 125)

    /// A magenta lymphocyte at (150, 250), a bluish red cell at (350, 250) and stacked red
    /// cells at (550, 250), among red cells, at 0.1 µm/px.
    static func scene() -> RGBImage {
        var image = RGBImage(width: 700, height: 500, fill: background)
        SyntheticSmear.redCells(&image, avoiding: [(150, 250, 60), (350, 250, 40), (550, 250, 40)], colour: redCell)
        SyntheticSmear.disk(&image, 150, 250, 55, RGB(228, 205, 214))
        SyntheticSmear.disk(&image, 150, 250, 35, magentaNucleus)
        SyntheticSmear.disk(&image, 350, 250, 38, bluishRedCell)
        SyntheticSmear.disk(&image, 550, 250, 38, stackedRedCells)
        return image
    }

    static func cells(_ configure: (inout LocatorConfiguration) -> Void = { _ in }) -> [LocatedCell] {
        var c = LocatorConfiguration()
        configure(&c)
        return LeukocyteLocator(configuration: c).locate(scene(), micronsPerPixel: 0.1).cells
    }

    static func positions(_ cells: [LocatedCell]) -> [(Int, Int)] {
        cells.map { (Int($0.centerX.rounded()), Int($0.centerY.rounded())) }
    }

    @Test func findsTheMagentaNucleusAndNothingElse() {
        let found = Self.cells()
        #expect(found.count == 1, "cells \(Self.positions(found))")
        if let cell = found.first {
            #expect(abs(cell.centerX - 150) <= 8 && abs(cell.centerY - 250) <= 8, "centre \(cell.centerX), \(cell.centerY)")
            #expect(!cell.touchesBorder)
        }
    }

    /// Each condition is needed: without the colour rule the nucleus is missed; without the
    /// density condition the bluish red cell is taken; without the colour condition the
    /// stacked red cells are.
    @Test func eachConditionDecidesOneObject() {
        let near = { (cells: [LocatedCell], x: Double) in cells.contains { abs($0.centerX - x) <= 20 && abs($0.centerY - 250) <= 20 } }
        let off = Self.cells { $0.nucleusBlueShareGap = .infinity }
        #expect(off.isEmpty, "cells \(Self.positions(off))")
        let anyDensity = Self.cells { $0.nucleusDensityRatio = 0 }
        #expect(near(anyDensity, 350), "cells \(Self.positions(anyDensity))")
        let anyColour = Self.cells { $0.nucleusBlueShareGap = -1 }
        #expect(near(anyColour, 550), "cells \(Self.positions(anyColour))")
    }
}
