import Foundation
import SmearCells
import Testing
@testable import SmearTraining

@Suite("Metrics against hand-computed values")
struct MetricsTests {
    static func confusion() -> ConfusionMatrix {
        var m = ConfusionMatrix(classes: ["A", "B", "C"])
        m.add(truth: 0, predicted: 0, count: 5); m.add(truth: 0, predicted: 1)
        m.add(truth: 1, predicted: 0, count: 2); m.add(truth: 1, predicted: 1, count: 3); m.add(truth: 1, predicted: 2)
        return m
    }

    @Test("Accuracy, per-class precision/recall/F1, macro-F1 over present and well-supported classes")
    func classification() {
        let m = ClassificationMetrics(Self.confusion(), minSupport: 6)
        #expect(m.total == 12)
        #expect(abs(m.accuracy - 8.0 / 12) < 1e-12)
        let a = m.perClass[0], b = m.perClass[1], c = m.perClass[2]
        #expect(abs(a.precision - 5.0 / 7) < 1e-12 && abs(a.recall - 5.0 / 6) < 1e-12 && abs(a.f1 - 10.0 / 13) < 1e-12)
        #expect(a.support == 6)
        #expect(b.precision == 0.75 && b.recall == 0.5 && abs(b.f1 - 0.6) < 1e-12)
        #expect(c.precision == 0 && c.recall == 0 && c.f1 == 0 && c.support == 0)
        #expect(abs(m.macroF1 - (10.0 / 13 + 0.6) / 2) < 1e-12)
        #expect(m.macroF1MinSupport == m.macroF1)
        #expect(m.classesWithMinSupport == ["A", "B"])
        let strict = ClassificationMetrics(Self.confusion(), minSupport: 7)
        #expect(strict.macroF1MinSupport == 0 && strict.classesWithMinSupport.isEmpty)
    }

    @Test("ROC AUC with ties is exact (mid-ranks)")
    func auc() throws {
        let roc = ROCCurve(scores: [0.9, 0.8, 0.5, 0.5, 0.3, 0.1, 0.8], isPositive: [true, true, true, false, false, false, false])
        #expect(abs(try #require(roc.auc) - 10.0 / 12) < 1e-12)
        #expect(ROCCurve(scores: [0.5, 0.5], isPositive: [true, false]).auc == 0.5)
        #expect(ROCCurve(scores: [0.1, 0.9], isPositive: [false, true]).auc == 1)
        #expect(ROCCurve(scores: [0.9], isPositive: [true]).auc == nil)
    }

    @Test("Operating points: at a threshold and the best sensitivity at a specificity")
    func operatingPoints() throws {
        let roc = ROCCurve(scores: [0.9, 0.8, 0.5, 0.5, 0.3, 0.1, 0.8], isPositive: [true, true, true, false, false, false, false])
        let half = roc.operatingPoint(threshold: 0.5)
        #expect(half.sensitivity == 1 && half.specificity == 0.5)
        #expect(half.truePositives == 3 && half.falsePositives == 2)
        let point = try #require(roc.bestSensitivity(atSpecificity: 0.75))
        #expect(point.threshold == 0.8 && point.specificity == 0.75 && abs(point.sensitivity - 2.0 / 3) < 1e-12)
        let all = try #require(roc.bestSensitivity(atSpecificity: 1))
        #expect(all.threshold == 0.9 && all.specificity == 1 && abs(all.sensitivity - 1.0 / 3) < 1e-12)
    }

    @Test("Best sensitivity at a specificity: the sweep agrees with trying every threshold")
    func bestSensitivityMatchesReference() throws {
        var random = SplitMix64(seed: 11)
        for trial in 0..<40 {
            let n = 1 + random.below(60)
            // Scores on a coarse grid so that ties between and within classes are common.
            let scores = (0..<n).map { _ in Double(random.below(12)) / 11 }
            let positive = (0..<n).map { _ in random.below(3) == 0 }
            let roc = ROCCurve(scores: scores, isPositive: positive)
            for specificity in [0.0, 0.5, 0.9, 0.95, 1.0] {
                // Reference: every distinct score and +∞, lowest threshold first.
                var expected: OperatingPoint?
                if !roc.positives.isEmpty && !roc.negatives.isEmpty {
                    for t in Array(Set(scores)).sorted() + [Double.infinity] {
                        let point = roc.operatingPoint(threshold: t)
                        if point.specificity >= specificity { expected = point; break }
                    }
                }
                #expect(roc.bestSensitivity(atSpecificity: specificity) == expected, "trial \(trial), specificity \(specificity)")
            }
        }
    }

    @Test("Expected calibration error")
    func ece() {
        let e = CalibrationError(confidences: [0.95, 0.95, 0.55, 0.55], correct: [true, false, true, true], binCount: 10)
        #expect(abs(e.expected - 0.45) < 1e-12)
        #expect(abs(e.maximum - 0.45) < 1e-12)
        #expect(e.bins[9].count == 2 && e.bins[5].count == 2)
        // Bins are (lo, hi]: 0.1 falls in the first bin, 1.0 in the last.
        let edges = CalibrationError(confidences: [0.1, 1.0], correct: [false, true], binCount: 10)
        #expect(edges.bins[0].count == 1 && edges.bins[9].count == 1)
        #expect(abs(edges.expected - 0.05) < 1e-12)
    }

    @Test("Per-slide blast percentage from labels or the signed differential, and its MAE")
    func slideBlast() throws {
        let cells: [(slide: String, truth: CellClass, predicted: CellClass)] = [
            ("S1", .blast, .blast), ("S1", .blast, .lymphocyte), ("S1", .lymphocyte, .lymphocyte), ("S1", .smudge, .blast),
            ("S2", .neutrophil, .neutrophil), ("S2", .platelet, .platelet),
        ]
        let fromLabels = SlideBlastAgreement(cells: cells)
        #expect(fromLabels.slides.map(\.slide) == ["S1", "S2"])
        #expect(abs(try #require(fromLabels.slides[0].trueBlastPercent) - 200.0 / 3) < 1e-9)
        #expect(fromLabels.slides[0].predictedBlastPercent == 50)
        #expect(fromLabels.slides[1].absoluteError == 0)
        #expect(abs(try #require(fromLabels.meanAbsoluteError) - (50.0 / 3) / 2) < 1e-9)
        let signed = ["S1": SlideRecord(slide: "S1", patient: "P", diagnosis: "AML",
                                        signedCounts: [.blast: 10, .lymphocyte: 30, .smudge: 99], unmappedSigned: [:])]
        let fromSigned = SlideBlastAgreement(cells: cells, signed: signed)
        #expect(fromSigned.slides[0].trueBlastPercent == 25 && fromSigned.slides[0].absoluteError == 25)
        #expect(fromSigned.slides[0].truthSource == "signed differential")
    }

    @Test("Blasts and promyelocytes together, and both errors by diagnosis")
    func slideBlastPromyelocytes() throws {
        // A: 2 blasts + 2 promyelocytes of 4 leukocytes, called 1 blast + 3 promyelocytes (the
        // boundary moved, the sum did not). B: no diagnosis in slides.csv. C: labels only.
        let cells: [(slide: String, truth: CellClass, predicted: CellClass)] = [
            ("A", .blast, .blast), ("A", .blast, .promyelocyte), ("A", .promyelocyte, .promyelocyte), ("A", .promyelocyte, .promyelocyte),
            ("B", .blast, .lymphocyte), ("B", .lymphocyte, .lymphocyte),
            ("C", .promyelocyte, .blast), ("C", .neutrophil, .neutrophil), ("C", .erythroblast, .promyelocyte),
        ]
        let signed = [
            "A": SlideRecord(slide: "A", patient: "PA", diagnosis: "APL", signedCounts: [.blast: 2, .promyelocyte: 2], unmappedSigned: [:]),
            "B": SlideRecord(slide: "B", patient: "PB", diagnosis: "AML", signedCounts: [.blast: 1, .lymphocyte: 1], unmappedSigned: [:]),
        ]
        let agreement = SlideBlastAgreement(cells: cells, signed: signed)
        let a = agreement.slides[0], b = agreement.slides[1], c = agreement.slides[2]
        #expect(a.diagnosis == "APL" && a.absoluteError == 25 && a.trueBlastPromyelocytePercent == 100 && a.blastPromyelocyteError == 0)
        #expect(b.diagnosis == "AML" && b.absoluteError == 50 && b.blastPromyelocyteError == 50)
        // C from its labels: the erythroblast is outside the true differential, but called a
        // promyelocyte it enters the predicted one (3 counted leukocytes: blast, neutrophil, promyelocyte).
        #expect(c.diagnosis == nil && c.trueBlastPromyelocytePercent == 50 && c.trueBlastPercent == 0)
        let third = 100.0 / 3
        let predictedCombined = try #require(c.predictedBlastPromyelocytePercent)
        let predictedBlast = try #require(c.predictedBlastPercent)
        #expect(abs(predictedCombined - 2 * third) < 1e-9 && abs(predictedBlast - third) < 1e-9)
        let blastMAE = try #require(agreement.meanAbsoluteError)
        let combinedMAE = try #require(agreement.blastPromyelocyteMeanAbsoluteError)
        #expect(abs(blastMAE - (75 + third) / 3) < 1e-9)
        #expect(abs(combinedMAE - (50 + third / 2) / 3) < 1e-9)
        // C has no diagnosis, so it is in no group.
        #expect(agreement.byDiagnosis == [
            .init(diagnosis: "AML", slides: 1, blastMeanAbsoluteError: 50, blastPromyelocyteMeanAbsoluteError: 50),
            .init(diagnosis: "APL", slides: 1, blastMeanAbsoluteError: 25, blastPromyelocyteMeanAbsoluteError: 0),
        ])
        let decoded = try JSONDecoder().decode(SlideBlastAgreement.self, from: JSONEncoder().encode(agreement))
        #expect(decoded == agreement)
    }
}
