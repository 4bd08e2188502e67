import Foundation

/// The terminal rendering of an `EvaluationReport`: fixed-width tables a person reads.
extension EvaluationReport {
    /// The report as lines of text (no trailing newlines).
    public func tableLines() -> [String] {
        var lines: [String] = []
        lines.append("Model \(model.name)  sha256 \(model.sha256.prefix(16))…  (\(model.path))")
        for d in datasets {
            lines.append("Dataset \(d.name) (\(d.layout.rawValue)): \(d.images) labelled images")
            for (label, n) in d.unknownLabels.sorted(by: { $0.key < $1.key }) {
                lines.append("  unknown label \"\(label)\": \(n) images skipped")
            }
        }
        lines.append("Cells: \(cellsEvaluated) scored of \(images) images (\(failedImages.count) failed to decode, "
                     + "\(notLocated.count) without a located cell); crops: \(cropPath)")
        if !notLocated.isEmpty {
            let byClass = notLocated.reduce(into: [String: Int]()) { $0[$1.truth ?? "?", default: 0] += 1 }
            lines.append("  without a located cell, by label: " + byClass.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append(Self.row(["class", "support", "precision", "recall", "F1"], widths: [22, 8, 10, 8, 8]))
        for c in metrics.perClass where c.support > 0 || confusion.predictedCount(classes.firstIndex(of: c.className)!) > 0 {
            lines.append(Self.row([c.className, "\(c.support)", Self.fixed(c.precision), Self.fixed(c.recall), Self.fixed(c.f1)],
                                  widths: [22, 8, 10, 8, 8]))
        }
        lines.append("")
        lines.append("Accuracy \(Self.fixed(metrics.accuracy))   macro-F1 \(Self.fixed(metrics.macroF1))   "
                     + "macro-F1 over classes with ≥\(metrics.minSupport) cells \(Self.fixed(metrics.macroF1MinSupport)) "
                     + "(\(metrics.classesWithMinSupport.count) classes)")
        let b = blastVsRest
        if b.topClass.truePositives + b.topClass.falseNegatives == 0 {
            lines.append("Blast vs rest: n/a (no blasts among the scored cells); cells called blast: \(b.topClass.falsePositives)")
        } else {
            lines += blastLines()
        }
        lines.append("Expected calibration error \(Self.fixed(calibration.expected, 4)) (\(calibration.bins.count) bins)")
        lines.append("")
        lines += confusionLines()
        lines += slideLines()
        return lines
    }

    /// Blast-vs-rest decisions and the ROC summary.
    func blastLines() -> [String] {
        let b = blastVsRest
        var lines: [String] = []
        lines.append("Blast vs rest, top class:   sensitivity \(Self.fixed(b.topClass.sensitivity))  specificity \(Self.fixed(b.topClass.specificity))")
        lines.append("Blast vs rest, P(blast) ≥ \(Self.fixed(b.atThreshold.threshold, 2)): sensitivity \(Self.fixed(b.atThreshold.sensitivity))  "
                     + "specificity \(Self.fixed(b.atThreshold.specificity))")
        lines.append("Blast ROC AUC \(b.auc.map { Self.fixed($0, 4) } ?? "n/a")"
                     + (b.atSpecificity95.map { "   best sensitivity at specificity ≥ 0.95: \(Self.fixed($0.sensitivity)) (threshold \(Self.fixed($0.threshold, 4)))" } ?? ""))
        return lines
    }

    /// Per-slide true and predicted blast percentages (slide layouts only).
    func slideLines() -> [String] {
        var lines: [String] = []
        if let slides {
            lines.append("")
            lines.append(Self.row(["slide", "cells", "true blast %", "predicted %", "|error|", "truth from"], widths: [16, 6, 13, 12, 8, 20]))
            for s in slides.slides {
                lines.append(Self.row([s.slide, "\(s.cells)", s.trueBlastPercent.map { Self.fixed($0, 1) } ?? "-",
                                       s.predictedBlastPercent.map { Self.fixed($0, 1) } ?? "-",
                                       s.absoluteError.map { Self.fixed($0, 1) } ?? "-", s.truthSource],
                                      widths: [16, 6, 13, 12, 8, 20]))
            }
            lines.append("Per-slide blast % mean absolute error: \(slides.meanAbsoluteError.map { Self.fixed($0, 2) + " pp" } ?? "n/a") over \(slides.slides.count) slides")
        }
        return lines
    }

    /// The confusion matrix with short column headers (rows: truth, columns: predicted).
    func confusionLines() -> [String] {
        let used = classes.indices.filter { confusion.support($0) > 0 || confusion.predictedCount($0) > 0 }
        let header = used.map { String(classes[$0].replacingOccurrences(of: "_", with: "").prefix(5)) }
        var lines = ["Confusion (rows truth, columns predicted):",
                     Self.row(["truth \\ predicted"] + header, widths: [22] + header.map { _ in 6 })]
        for i in used {
            lines.append(Self.row([classes[i]] + used.map { "\(confusion.counts[i][$0])" }, widths: [22] + used.map { _ in 6 }))
        }
        return lines
    }

    static func fixed(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }

    /// Left-aligns the first column, right-aligns the rest.
    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { index, pair in
            let (text, width) = pair
            let pad = String(repeating: " ", count: max(0, width - text.count))
            return index == 0 ? text + pad : pad + text
        }.joined(separator: " ")
    }
}
