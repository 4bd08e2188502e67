import Testing
import SmearCells
import SmearTestSupport
@testable import SmearSlides

@Suite struct ReviewSelectionTests {
    @Test func samplesDoNotDependOnArrivalOrder() {
        var parameters = AnalysisParameters()
        parameters.samplePerClass = 3
        let records = (0..<60).map { cell($0 % 2 == 0 ? .neutrophil : .lymphocyte, p: 0.9, image: "img \($0 / 7).jpg", index: $0 % 7) }
        let thumb = EncodedImage(bytes: [1, 2, 3], mimeType: "image/png")
        var forward = ReviewSelection(parameters: parameters)
        for r in records { forward.offer(r, thumbnail: thumb) }
        var generator = SeededGenerator(seed: 7)
        var shuffled = ReviewSelection(parameters: parameters)
        for r in records.shuffled(using: &generator) { shuffled.offer(r, thumbnail: thumb) }
        #expect(forward.sample(of: .neutrophil).count == 3)
        #expect(forward.sample(of: .neutrophil) == shuffled.sample(of: .neutrophil))
        #expect(forward.sample(of: .lymphocyte) == shuffled.sample(of: .lymphocyte))
        #expect(Set(forward.thumbnails.keys) == Set(shuffled.thumbnails.keys))
        #expect(forward.thumbnails.count == 6)
    }

    @Test func mightKeepPredictsWhatOfferKeeps() {
        var parameters = AnalysisParameters()
        parameters.samplePerClass = 2
        var selection = ReviewSelection(parameters: parameters)
        let thumb = EncodedImage(bytes: [0], mimeType: "image/png")
        for i in 0..<40 {
            let record = cell(i % 3 == 0 ? .blast : .neutrophil, p: 0.9, image: "img.jpg", index: i)
            let predicted = selection.mightKeep(record)
            selection.offer(record, thumbnail: thumb)
            #expect(predicted == (selection.thumbnails[record.id] != nil))
        }
        #expect(!selection.mightKeep(cell(.blast, border: true)))
    }

    @Test func reviewCellsAreBlastsLikelyBlastsAndUnsureCells() {
        let selection = ReviewSelection(parameters: AnalysisParameters())
        #expect(selection.isReviewCell(cell(.blast, p: 0.9)))
        #expect(selection.isReviewCell(cell(.monocyte, p: 0.6, blast: 0.25)))
        #expect(!selection.isReviewCell(cell(.monocyte, p: 0.6, blast: 0.24)))
        #expect(selection.isReviewCell(cell(.neutrophil, p: 0.49)))
        #expect(!selection.isReviewCell(cell(.blast, p: 0.9, border: true)))
    }
}
