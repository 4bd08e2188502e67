import Testing
import SmearCells
import SmearImaging
import SmearPipeline
@testable import SmearSlides

/// Builds cell records for counting tests.
func cell(_ cellClass: CellClass, p: Float = 0.9, border: Bool = false, blast: Float? = nil,
          image: String = "a.jpg", index: Int = 0) -> CellRecord {
    CellRecord(image: image, index: index, box: PixelRect(x: 0, y: 0, width: 10, height: 10), touchesBorder: border,
               probabilities: ScriptedImage.probabilities(top: cellClass, probability: p, blastProbability: blast))
}

func cells(_ spec: [(CellClass, Int)], p: Float = 0.9) -> [CellRecord] {
    var out: [CellRecord] = []
    for (cellClass, n) in spec { for _ in 0..<n { out.append(cell(cellClass, p: p, index: out.count)) } }
    return out
}

@Suite struct CountingRulesTests {
    @Test func denominatorIsCountedLeukocytesOnly() {
        let records = cells([(.blast, 20), (.neutrophil, 50), (.lymphocyte, 20), (.monocyte, 10),
                             (.erythroblast, 7), (.smudge, 5), (.platelet, 3)])
        let counts = SlideCounts(cells: records, lowConfidenceBelow: 0.5)
        #expect(counts.cellsLocated == 115)
        #expect(counts.cellsCounted == 115)
        #expect(counts.leukocytes == 100)
        #expect(counts.blasts == 20)
        #expect(counts.blastPercent == 20)
        #expect(counts.differentialPercent(.neutrophil) == 50)
        #expect(counts.differentialPercent(.erythroblast) == nil)
        #expect(counts.differentialPercent(.smudge) == nil)
        #expect(counts.erythroblastsPer100Leukocytes == 7)
        #expect(counts.perClass[.platelet] == 3)
        #expect(counts.perClass[.smudge] == 5)
        let total = CellClass.countedLeukocytes.compactMap(counts.differentialPercent).reduce(0, +)
        #expect(abs(total - 100) < 1e-9)
    }

    @Test func onlyTheWholeCellNearestTheCentreIsKeptPerImage() {
        func at(_ x: Int, _ y: Int, _ cellClass: CellClass, border: Bool = false) -> AnalyzedCell {
            AnalyzedCell(box: PixelRect(x: x, y: y, width: 40, height: 40), touchesBorder: border,
                         probabilities: ScriptedImage.probabilities(top: cellClass, probability: 0.9))
        }
        func marked(_ analysis: ImageAnalysis) -> [CellRecord] {
            var records = analysis.cells.enumerated().map { CellRecord(image: "a.jpg", index: $0, cell: $1) }
            CellRecord.markBesideCentre(&records, in: analysis)
            return records
        }
        // Box centres 28 px from the image's centre (cut by the border), 45 px (blast) and 22 px (lymphocyte).
        let image = ImageAnalysis(width: 400, height: 400, cells: [at(160, 160, .monocyte, border: true),
                                                                   at(220, 160, .blast), at(190, 160, .lymphocyte)])
        let records = marked(image)
        #expect(records.map(\.besideCentreCell) == [false, true, false])
        #expect(records.map(\.isCounted) == [false, false, true])
        let counts = SlideCounts(cells: records, lowConfidenceBelow: 0.5)
        #expect(counts.cellsAtBorder == 1 && counts.cellsBesideCentre == 1 && counts.cellsCounted == 1)
        #expect(counts.leukocytes == 1 && counts.blasts == 0)
        // One whole cell, even with a border cell nearer the centre, or none: nothing is marked.
        let single = marked(ImageAnalysis(width: 400, height: 400, cells: [at(0, 0, .blast), at(160, 160, .monocyte, border: true)]))
        #expect(single.allSatisfy { !$0.besideCentreCell })
    }

    @Test func everyLeukocyteClassEntersTheDifferential() {
        let records = cells(CellClass.countedLeukocytes.map { ($0, 1) })
        let counts = SlideCounts(cells: records, lowConfidenceBelow: 0.5)
        #expect(counts.leukocytes == 10)
        #expect(CellClass.countedLeukocytes.allSatisfy { counts.differentialPercent($0) == 10 })
    }

    @Test func borderCellsAreListedButNotCounted() {
        let records = [cell(.blast, border: true), cell(.blast), cell(.neutrophil, border: true), cell(.neutrophil)]
        let counts = SlideCounts(cells: records, lowConfidenceBelow: 0.5)
        #expect(counts.cellsLocated == 4)
        #expect(counts.cellsAtBorder == 2)
        #expect(counts.leukocytes == 2)
        #expect(counts.blastPercent == 50)
    }

    @Test func lowConfidenceCountsCountedCellsBelowTheThreshold() {
        let records = [cell(.neutrophil, p: 0.49), cell(.neutrophil, p: 0.5), cell(.lymphocyte, p: 0.3, border: true)]
        #expect(SlideCounts(cells: records, lowConfidenceBelow: 0.5).lowConfidence == 1)
    }

    @Test func emptySlideHasNoPercentages() {
        let counts = SlideCounts(cells: [CellRecord](), lowConfidenceBelow: 0.5)
        #expect(counts.leukocytes == 0)
        #expect(counts.blastPercent == nil)
        #expect(counts.erythroblastsPer100Leukocytes == nil)
        #expect(counts.blastInterval == WilsonInterval(lower: 0, upper: 1))
    }
}
