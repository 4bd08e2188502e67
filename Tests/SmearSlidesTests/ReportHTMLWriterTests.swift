import Foundation
import Testing
import SmearCells
import SmearTestSupport
@testable import SmearSlides

@Suite struct ReportHTMLWriterTests {
    func report(_ fixture: BatchFixture, slide: String) throws -> String {
        try fixture.run()
        let html = try String(contentsOf: fixture.output.appendingPathComponent("\(slide)/report.html"), encoding: .utf8)
        if let preview = ProcessInfo.processInfo.environment["SMEARSCAN_REPORT_PREVIEW"] {
            try html.write(toFile: preview, atomically: true, encoding: .utf8)
        }
        return html
    }

    @Test func isSelfContainedWithTheNoticeFlagsAndDifferential() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        let html = try report(fixture, slide: "Patient A")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<b>For research use only.</b> Not for use in diagnostic procedures."))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<link"))
        for flag in ["Blasts present", "Blasts vs WHO threshold", "Blasts vs ICC threshold", "Promyelocytes (APL)",
                     "Leukocyte count", "Low-confidence cells", "Blurred images"] {
            #expect(html.contains(flag), "missing flag \(flag)")
        }
        for cellClass in CellClass.allCases { #expect(html.contains(ReportHTMLWriter.title(cellClass))) }
        #expect(html.contains("src=\"data:image/svg+xml;base64,"))
    }

    @Test func galleryHoldsEveryReviewCellByBlastProbability() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try fixture.run()
        let folder = fixture.input.appendingPathComponent("Patient A").path
        let slide = SlideSource(name: "Patient A", folder: folder, scope: .wholeTree)
        let inventory = try SlideDiscovery.inventory(of: slide)
        let collector = SlideCollector(slide: slide, inventory: inventory, parameters: AnalysisParameters(), encoder: svgThumbnailEncoder)
        var analyzer = ScriptedAnalyzer()
        for (i, image) in inventory.images.enumerated() {
            collector.record(i, Result { try analyzer.analyze(imageAt: URL(fileURLWithPath: folder + "/" + image.path), slideScale: nil) })
        }
        let result = collector.finish(model: BatchFixture.model, slideScale: nil)
        let review = result.reviewCells
        let expected = result.cells.filter { $0.isCounted && ($0.cellClass == .blast || $0.blastProbability >= 0.25 || $0.confidence < 0.5) }
        #expect(review.count == expected.count && !review.isEmpty)
        #expect(zip(review, review.dropFirst()).allSatisfy { $0.blastProbability >= $1.blastProbability })
        #expect(review.allSatisfy { result.selection.thumbnails[$0.id] != nil })
        let html = ReportHTMLWriter().html(for: result)
        #expect(html.contains("Review gallery: blast-flagged and low-confidence cells <span class=\"count\">\(review.count)</span>"))
        // Every kept thumbnail is a review cell or a sample cell.
        let samples = CellClass.allCases.flatMap { result.sampleCells(of: $0) }
        #expect(result.selection.thumbnails.count == review.count + samples.count)
    }

    @Test func namesArePrintedEscaped() throws {
        let dir = try TemporaryDirectory("report")
        defer { dir.remove() }
        try ScriptedImage.write(["blast 0.9"], to: dir.url.appendingPathComponent("<script>&'\"/a.jpg"))
        let options = BatchOptions(inputs: [dir.url.appendingPathComponent("<script>&'\"").path], layout: .slideFolders,
                                   outputFolder: dir.url.appendingPathComponent("out").path, jobs: 1, model: BatchFixture.model)
        _ = try BatchRunner(options: options, progress: ProgressReporter(mode: .quiet), makeAnalyzer: { ScriptedAnalyzer() }).run()
        let html = try String(contentsOf: dir.url.appendingPathComponent("out/<script>&'\"/report.html"), encoding: .utf8)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;&amp;&#39;&quot;"))
        #expect(html.contains("no picture"))
    }
}
