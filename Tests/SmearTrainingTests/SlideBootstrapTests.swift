import Foundation
import SmearCells
import Testing
@testable import SmearTraining

@Suite("Slide bootstrap intervals")
struct SlideBootstrapTests {
    static func cell(_ truth: CellClass, blast: Float, slide: String?, index: Int) -> CellPrediction {
        let other: CellClass = truth == .blast ? .lymphocyte : truth
        var p = [CellClass: Float]()
        p[.blast] = blast
        p[other, default: 0] += 1 - blast
        return CellPrediction(cell: LabelledCell(path: "/d/\(slide ?? "-")/\(index).jpg", cellClass: truth, label: truth.rawValue,
                                                 dataset: "d", slide: slide),
                              probabilities: CellClass.allCases.map { p[$0] ?? 0 })
    }

    /// A slide of two blasts and two lymphocytes, one of each misclassified the same way.
    static func slide(_ name: String) -> [CellPrediction] {
        [cell(.blast, blast: 0.9, slide: name, index: 0), cell(.blast, blast: 0.4, slide: name, index: 1),
         cell(.lymphocyte, blast: 0.2, slide: name, index: 2), cell(.lymphocyte, blast: 0.6, slide: name, index: 3)]
    }

    @Test("Identical slides: every interval collapses onto the full-data figure")
    func identicalSlides() throws {
        let predictions = (0..<5).flatMap { Self.slide("S\($0)") }
        let errors = Dictionary(uniqueKeysWithValues: (0..<5).map { ("S\($0)", 7.5) })
        let b = try #require(SlideBootstrap(predictions: predictions, slideErrors: errors, supportedClasses: [.blast, .lymphocyte], resamples: 200))
        #expect(b.units == 5)
        #expect(b.accuracy == .init(low: 0.5, high: 0.5))
        #expect(b.macroF1MinSupport == .init(low: 0.5, high: 0.5))
        // Blast scores 0.9, 0.4 against 0.2, 0.6: 3 of 4 pairs ordered, on every resample.
        #expect(b.blastAUC == .init(low: 0.75, high: 0.75))
        // Specificity ≥ 0.95 needs the threshold above 0.6: only the 0.9 blast is caught.
        #expect(b.sensitivityAtSpecificity95 == .init(low: 0.5, high: 0.5))
        #expect(b.slideBlastMAE == .init(low: 7.5, high: 7.5))
    }

    @Test("Two slides with errors 0 and 10 pp: resampled means 0, 5 or 10, so the 95% interval is 0–10")
    func twoSlides() throws {
        let predictions = Self.slide("A") + Self.slide("B")
        let b = try #require(SlideBootstrap(predictions: predictions, slideErrors: ["A": 0, "B": 10], supportedClasses: [.blast]))
        #expect(b.slideBlastMAE == .init(low: 0, high: 10))
        #expect(b.resamples == 1000 && b.seed == 1 && b.confidence == 0.95)
    }

    @Test("Slides are the units: a good and a bad slide give a wide accuracy interval, cells alone would not")
    func slidesAreUnits() throws {
        let good = (0..<20).map { Self.cell(.lymphocyte, blast: 0.1, slide: "G", index: $0) }
        let bad = (0..<20).map { Self.cell(.lymphocyte, blast: 0.9, slide: "B", index: $0) }
        let b = try #require(SlideBootstrap(predictions: good + bad, slideErrors: [:], supportedClasses: [.lymphocyte]))
        #expect(b.units == 2)
        #expect(b.accuracy == .init(low: 0, high: 1))
        #expect(b.slideBlastMAE == nil)
        #expect(b.blastAUC == nil)  // no blasts at all
    }

    @Test("Images without a slide are one unit each")
    func imagesWithoutSlide() throws {
        let predictions = (0..<30).map { Self.cell($0 % 3 == 0 ? .blast : .neutrophil, blast: $0 % 2 == 0 ? 0.7 : 0.3, slide: nil, index: $0) }
        let b = try #require(SlideBootstrap(predictions: predictions, slideErrors: [:], supportedClasses: [.blast, .neutrophil]))
        #expect(b.units == 30 && b.imagesWithoutSlide == 30)
        #expect(b.accuracy.low < b.accuracy.high)
    }

    @Test("Reproducible from the seed; nil without resamples or with one unit")
    func reproducibleAndDegenerate() {
        let predictions = (0..<6).flatMap { i in (0..<5).map { Self.cell(i % 2 == 0 ? .blast : .lymphocyte, blast: Float(i * 5 + $0) / 30, slide: "S\(i)", index: $0) } }
        let errors = Dictionary(uniqueKeysWithValues: (0..<6).map { ("S\($0)", Double($0)) })
        let a = SlideBootstrap(predictions: predictions, slideErrors: errors, supportedClasses: [.blast, .lymphocyte], seed: 7)
        let again = SlideBootstrap(predictions: predictions, slideErrors: errors, supportedClasses: [.blast, .lymphocyte], seed: 7)
        #expect(a != nil && a == again)
        #expect(SlideBootstrap(predictions: predictions, slideErrors: errors, supportedClasses: [.blast], resamples: 0) == nil)
        #expect(SlideBootstrap(predictions: Self.slide("only"), slideErrors: [:], supportedClasses: [.blast]) == nil)
    }

    @Test("Quantiles interpolate between order statistics (type 7)")
    func quantiles() {
        #expect(SlideBootstrap.quantile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(SlideBootstrap.quantile([1, 2, 3, 4], 0) == 1)
        #expect(SlideBootstrap.quantile([1, 2, 3, 4], 1) == 4)
        #expect(SlideBootstrap.quantile([0, 10], 0.025) == 0.25)
    }

    @Test("The report carries the intervals into JSON and the table when asked for")
    func inReport() throws {
        let predictions = (0..<4).flatMap { Self.slide("S\($0)") }
        let report = EvaluationReport(predictions: predictions, datasets: [], model: .init(name: "m", path: "/m.json", sha256: "ab"),
                                      cropPath: "test", bootstrapResamples: 100, notice: "n", softwareVersion: "0")
        let intervals = try #require(report.intervals)
        #expect(intervals.resamples == 100 && intervals.units == 4)
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: report.jsonData()) == report)
        let text = report.tableLines().joined(separator: "\n")
        #expect(text.contains("95% intervals, resampling the 4 slides, 100 resamples, seed 1:"))
        #expect(text.contains("accuracy 0.500–0.500"))
        let without = EvaluationReport(predictions: predictions, datasets: [], model: .init(name: "m", path: "/m.json", sha256: "ab"),
                                       cropPath: "test", notice: "n", softwareVersion: "0")
        #expect(without.intervals == nil && !without.tableLines().joined().contains("intervals"))
    }
}
