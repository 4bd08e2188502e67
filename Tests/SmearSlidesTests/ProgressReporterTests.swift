import Testing
@testable import SmearSlides

@Suite struct ProgressReporterTests {
    @Test func plainLinesNameEachSlideAndWarning() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        let log = LineLog()
        let runner = BatchRunner(options: fixture.options(), progress: ProgressReporter(mode: .lines, write: { log.add($0) }),
                                 makeAnalyzer: { ScriptedAnalyzer() })
        _ = try runner.run()
        let text = log.lines.joined()
        #expect(text.contains("warning: Patient B/Signed slides/broken.jpg: Premature end of JPEG file\n"))
        #expect(text.contains("[2/3] Patient B: 4 leukocytes, blasts 25.0% [4.6–69.9], 1 image(s) failed; flags: blasts_present=raised"))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func theBarShowsSlidesCellsRateAndETA() {
        let log = LineLog()
        let reporter = ProgressReporter(mode: .bar, write: { log.add($0) })
        reporter.batchStarted(slides: 4)
        reporter.slideStarted("S1", images: 2)
        reporter.imageFinished(cells: 5)
        let line = log.lines.last ?? ""
        #expect(line.hasPrefix("\r\u{1B}[2K"))
        #expect(line.contains("0/4 slides · 0 cells · ") && line.contains("cells/s · ETA ") && line.contains("S1"))
        reporter.warning("bad image")
        #expect(log.lines.contains { $0.contains("warning: bad image\n") })
        // Once finished, notes print without bringing the bar back.
        reporter.batchFinished()
        reporter.note("done")
        #expect(log.lines.suffix(2) == ["\r\u{1B}[2K", "done\n"])
    }

    @Test func quietSaysNothing() {
        let log = LineLog()
        let reporter = ProgressReporter(mode: .quiet, write: { log.add($0) })
        reporter.slideStarted("S1", images: 1)
        reporter.warning("x")
        #expect(log.lines.isEmpty)
    }

    @Test func durationsReadNaturally() {
        #expect(ProgressReporter.duration(5) == "5s")
        #expect(ProgressReporter.duration(125) == "2m05s")
        #expect(ProgressReporter.duration(3720) == "1h02m")
    }
}
