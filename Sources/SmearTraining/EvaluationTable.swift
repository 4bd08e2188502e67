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
        lines += intervalLines()
        lines += comparisonLines()
        return lines
    }

    /// The other model's figures beside this one's, with paired intervals of the differences.
    func comparisonLines() -> [String] {
        guard let c = comparison else { return [] }
        func value(_ v: Double?, _ name: String) -> String {
            guard let v else { return "n/a" }
            return name == "slide_blast_mae" ? Self.fixed(v, 2) : Self.fixed(v, name == "blast_auc" ? 4 : 3)
        }
        let labels = ["accuracy": "accuracy", "macro_f1_min_support": "macro-F1 (≥\(metrics.minSupport))", "blast_auc": "blast AUC",
                      "sensitivity_at_specificity_95": "sensitivity at spec. ≥ 0.95", "slide_blast_mae": "slide blast % MAE (pp)"]
        let widths = [28, 10, 10, 11, 22]
        var lines = ["",
                     "Compared on the \(c.cellsCompared) cells both models scored (\(c.units) units; paired "
                         + "\(Int((c.confidence * 100).rounded()))% intervals, \(c.resamples) resamples, seed \(c.seed)):",
                     "  baseline  \(c.baseline.name)  sha256 \(c.baseline.sha256.prefix(16))…",
                     "  candidate \(c.candidate.name)  sha256 \(c.candidate.sha256.prefix(16))…",
                     Self.row(["figure", "baseline", "candidate", "difference", "interval"], widths: widths)]
        for f in c.figures {
            let interval = f.differenceInterval.map { "\(value($0.low, f.name)) to \(value($0.high, f.name))" } ?? "n/a"
            lines.append(Self.row([labels[f.name] ?? f.name, value(f.baseline, f.name), value(f.candidate, f.name),
                                   f.difference.map { ($0 >= 0 ? "+" : "") + value($0, f.name) } ?? "n/a", interval], widths: widths))
        }
        return lines
    }

    /// The bootstrap intervals, one figure per line.
    func intervalLines() -> [String] {
        guard let b = intervals else { return [] }
        func text(_ i: SlideBootstrap.Interval?, _ digits: Int = 3) -> String {
            i.map { "\(Self.fixed($0.low, digits))–\(Self.fixed($0.high, digits))" } ?? "n/a"
        }
        return ["",
                "\(Int((b.confidence * 100).rounded()))% intervals, resampling the \(b.units - b.imagesWithoutSlide) slides"
                    + (b.imagesWithoutSlide > 0 ? " and \(b.imagesWithoutSlide) images without a slide (one unit each)" : "")
                    + ", \(b.resamples) resamples, seed \(b.seed):",
                "  accuracy \(text(b.accuracy))   macro-F1 (≥\(metrics.minSupport)) \(text(b.macroF1MinSupport))   "
                    + "blast AUC \(text(b.blastAUC, 4))",
                "  sensitivity at specificity ≥ 0.95 \(text(b.sensitivityAtSpecificity95))   "
                    + "slide blast % MAE \(text(b.slideBlastMAE, 2)) pp"]
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
        if let w = b.withoutPromyelocytes {
            lines.append("  promyelocytes left out (\(w.cells) cells): ROC AUC \(w.auc.map { Self.fixed($0, 4) } ?? "n/a")"
                         + (w.atSpecificity95.map { "   best sensitivity at specificity ≥ 0.95: \(Self.fixed($0.sensitivity))" } ?? ""))
        }
        return lines
    }

    /// Per-slide true and predicted blast percentages, alone and with promyelocytes, and the
    /// mean errors overall and per diagnosis (slide layouts only).
    func slideLines() -> [String] {
        guard let slides else { return [] }
        func pp(_ v: Double?, _ digits: Int = 1) -> String { v.map { Self.fixed($0, digits) } ?? "-" }
        let widths = [max(16, slides.slides.map(\.slide.count).max() ?? 0), 9, 6, 13, 12, 8, 17, 12, 8, 20]
        var lines = ["", Self.row(["slide", "diagnosis", "cells", "true blast %", "predicted %", "|error|",
                                   "true blast+pro %", "predicted %", "|error|", "truth from"], widths: widths)]
        for s in slides.slides {
            lines.append(Self.row([s.slide, s.diagnosis ?? "-", "\(s.cells)", pp(s.trueBlastPercent), pp(s.predictedBlastPercent),
                                   pp(s.absoluteError), pp(s.trueBlastPromyelocytePercent), pp(s.predictedBlastPromyelocytePercent),
                                   pp(s.blastPromyelocyteError), s.truthSource], widths: widths))
        }
        lines.append("Per-slide blast % mean absolute error: \(slides.meanAbsoluteError.map { Self.fixed($0, 2) + " pp" } ?? "n/a") over \(slides.slides.count) slides; "
                     + "blasts and promyelocytes together: \(slides.blastPromyelocyteMeanAbsoluteError.map { Self.fixed($0, 2) + " pp" } ?? "n/a")")
        if !slides.byDiagnosis.isEmpty {
            lines.append("By diagnosis (blast % / blasts and promyelocytes, mean absolute error): "
                         + slides.byDiagnosis.map { g in
                             "\(g.diagnosis) \(pp(g.blastMeanAbsoluteError, 2)) / \(pp(g.blastPromyelocyteMeanAbsoluteError, 2)) pp (\(g.slides) slides)"
                         }.joined(separator: ", "))
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
