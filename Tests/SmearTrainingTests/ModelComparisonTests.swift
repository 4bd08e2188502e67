import Foundation
import SmearCells
import Testing
@testable import SmearTraining

@Suite("Paired model comparison")
struct ModelComparisonTests {
    static let a = EvaluationReport.ModelSummary(name: "a", path: "/a.json", sha256: "aa")
    static let b = EvaluationReport.ModelSummary(name: "b", path: "/b.json", sha256: "bb")

    /// Slide `s` with 10 cells (5 blasts, 5 lymphocytes) of which `wrong` blasts are called lymphocytes.
    static func slide(_ s: Int, wrong: Int) -> [CellPrediction] {
        (0..<10).map { i in
            let truth: CellClass = i < 5 ? .blast : .lymphocyte
            let blast: Float = i < 5 ? (i < wrong ? 0.3 : 0.8) : 0.1 + Float(s) / 100
            return SlideBootstrapTests.cell(truth, blast: blast, slide: "S\(s)", index: i)
        }
    }

    static func figure(_ c: ModelComparison, _ name: String) throws -> ModelComparison.Figure {
        try #require(c.figures.first { $0.name == name })
    }

    @Test("A model against itself: every difference and interval is zero")
    func itself() throws {
        let p = (0..<6).flatMap { Self.slide($0, wrong: $0 % 3) }
        let c = ModelComparison(baseline: Self.a, baselinePredictions: p, candidate: Self.b, candidatePredictions: p, resamples: 200)
        #expect(c.cellsCompared == 60 && c.units == 6)
        for f in c.figures {
            #expect(f.difference == 0 && f.differenceInterval == .init(low: 0, high: 0), "\(f.name)")
        }
    }

    @Test("One blast better on every slide: the paired interval excludes zero where the separate ones overlap")
    func consistentlyBetter() throws {
        let wrong = [0, 1, 2, 3, 4, 2]
        let base = wrong.indices.flatMap { Self.slide($0, wrong: wrong[$0]) }
        let better = wrong.indices.flatMap { Self.slide($0, wrong: max(0, wrong[$0] - 1)) }
        let c = ModelComparison(baseline: Self.a, baselinePredictions: base, candidate: Self.b, candidatePredictions: better)
        let accuracy = try Self.figure(c, "accuracy")
        // 12 → 7 wrong of 60 cells.
        #expect(abs(try #require(accuracy.difference) - 5.0 / 60) < 1e-12)
        let paired = try #require(accuracy.differenceInterval)
        #expect(paired.low > 0 && accuracy.higherIsBetter)
        let alone = try #require(SlideBootstrap(predictions: base, slideErrors: [:], supportedClasses: [.blast]))
        let aloneBetter = try #require(SlideBootstrap(predictions: better, slideErrors: [:], supportedClasses: [.blast]))
        #expect(alone.accuracy.high > aloneBetter.accuracy.low)
        // Slide blast %: truth 50% from the labels; predicted 50 − 10·wrong, so the error falls by 10 pp on 5 of 6 slides.
        let mae = try Self.figure(c, "slide_blast_mae")
        #expect(abs(try #require(mae.difference) + 50.0 / 6) < 1e-9)
        #expect(try #require(mae.differenceInterval).high < 0 && !mae.higherIsBetter)
    }

    @Test("Only cells both models scored are compared")
    func sharedCells() throws {
        let p = (0..<3).flatMap { Self.slide($0, wrong: 1) }
        let c = ModelComparison(baseline: Self.a, baselinePredictions: p, candidate: Self.b, candidatePredictions: Array(p.dropFirst(4)))
        #expect(c.cellsCompared == 26)
        #expect(c.classesWithMinSupport.isEmpty)  // 11 blasts and 15 lymphocytes: both under 20
        let lower = ModelComparison(baseline: Self.a, baselinePredictions: p, candidate: Self.b, candidatePredictions: Array(p.dropFirst(4)),
                                    minSupport: 12)
        #expect(lower.classesWithMinSupport == ["lymphocyte"])
    }

    @Test("The report table shows both models and the differences")
    func table() throws {
        let p = (0..<4).flatMap { Self.slide($0, wrong: 1) }
        var report = EvaluationReport(predictions: p, datasets: [], model: Self.a, cropPath: "test", notice: "n", softwareVersion: "0")
        report.comparison = ModelComparison(baseline: Self.a, baselinePredictions: p, candidate: Self.b, candidatePredictions: p, resamples: 50)
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: report.jsonData()) == report)
        let text = report.tableLines().joined(separator: "\n")
        #expect(text.contains("Compared on the 40 cells both models scored (4 units; paired 95% intervals, 50 resamples, seed 1):"))
        #expect(text.contains("candidate b  sha256 bb"))
        #expect(text.contains("+0.000"))
    }
}
