import Foundation
import SmearCells
import Testing
@testable import SmearTraining

@Suite("Evaluation report")
struct EvaluationReportTests {
    static func prediction(_ truth: CellClass, _ probabilities: [CellClass: Float], slide: String? = "S1") -> CellPrediction {
        CellPrediction(cell: LabelledCell(path: "/d/\(truth.rawValue)-\(probabilities.count).jpg", cellClass: truth, label: truth.rawValue,
                                          dataset: "d", slide: slide),
                       probabilities: CellClass.allCases.map { probabilities[$0] ?? 0 })
    }

    @Test("Figures, JSON and table from a handful of predictions")
    func report() throws {
        let predictions = [
            Self.prediction(.blast, [.blast: 0.9, .lymphocyte: 0.1]),
            Self.prediction(.blast, [.blast: 0.4, .lymphocyte: 0.35, .monocyte: 0.25]),
            Self.prediction(.lymphocyte, [.blast: 0.3, .lymphocyte: 0.7]),
            Self.prediction(.lymphocyte, [.blast: 0.6, .lymphocyte: 0.4]),
        ]
        let report = EvaluationReport(predictions: predictions, datasets: [], model: .init(name: "m", path: "/m.json", sha256: "ab"),
                                      cropPath: "test", notLocated: [.init(path: "/x.jpg", reason: "no cell found")],
                                      notice: "For research use only. Not for use in diagnostic procedures.", softwareVersion: "0")
        #expect(report.images == 5 && report.cellsEvaluated == 4)
        #expect(report.metrics.accuracy == 0.75)
        // Top class: blasts called for cells 1, 2, 4 → sensitivity 1, specificity 1/2.
        #expect(report.blastVsRest.topClass.sensitivity == 1 && report.blastVsRest.topClass.specificity == 0.5)
        // P(blast) ≥ 0.5: cells 1 and 4 → sensitivity 1/2, specificity 1/2.
        #expect(report.blastVsRest.atThreshold.sensitivity == 0.5 && report.blastVsRest.atThreshold.specificity == 0.5)
        // Blast scores 0.9, 0.4 vs 0.3, 0.6: pairs won 2 + 1 of 4.
        #expect(report.blastVsRest.auc == 0.75)
        #expect(report.slides?.slides.first?.trueBlastPercent == 50)
        #expect(report.slides?.slides.first?.predictedBlastPercent == 75)
        let json = try report.jsonData()
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: json) == report)
        let text = report.tableLines().joined(separator: "\n")
        #expect(text.contains("Accuracy 0.750"))
        #expect(text.contains("Per-slide blast % mean absolute error: 25.00 pp over 1 slides; blasts and promyelocytes together: 25.00 pp"))
        #expect(text.contains("1 without a located cell"))
        #expect(report.blastVsRest.withoutPromyelocytes == nil && !text.contains("promyelocytes left out"))
    }

    @Test("Blast vs rest with the promyelocytes left out")
    func withoutPromyelocytes() throws {
        // The promyelocyte scores above one blast; without it the blasts separate perfectly.
        let predictions = [
            Self.prediction(.blast, [.blast: 0.9, .lymphocyte: 0.1]),
            Self.prediction(.blast, [.blast: 0.6, .promyelocyte: 0.4]),
            Self.prediction(.promyelocyte, [.blast: 0.7, .promyelocyte: 0.3]),
            Self.prediction(.lymphocyte, [.blast: 0.2, .lymphocyte: 0.8]),
        ]
        let report = EvaluationReport(predictions: predictions, datasets: [], model: .init(name: "m", path: "/m.json", sha256: "ab"),
                                      cropPath: "test", notice: "For research use only. Not for use in diagnostic procedures.",
                                      softwareVersion: "0")
        #expect(report.blastVsRest.auc == 0.75)
        let w = try #require(report.blastVsRest.withoutPromyelocytes)
        #expect(w.cells == 3 && w.auc == 1 && w.atSpecificity95?.sensitivity == 1)
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: report.jsonData()) == report)
        #expect(report.tableLines().contains("  promyelocytes left out (3 cells): ROC AUC 1.0000   best sensitivity at specificity ≥ 0.95: 1.000"))
    }
}
