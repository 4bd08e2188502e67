import Foundation
import Testing
import SmearTestSupport
@testable import SmearSlides

@Suite struct ResumeTests {
    @Test func resumeSkipsCompleteSlidesAndRedoesInterruptedOnes() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        let reference = fixture.dir.url.appendingPathComponent("reference")
        try fixture.run(output: reference)
        let expected = try BatchFixture.files(in: reference)

        // Simulate a kill while Patient B was being rewritten: no manifest, a half file,
        // a temporary file and a stale lock of a dead process.
        try fixture.run()
        let slideB = fixture.output.appendingPathComponent("Patient B")
        try FileManager.default.removeItem(at: slideB.appendingPathComponent("manifest.json"))
        try Data("{\"trunc".utf8).write(to: slideB.appendingPathComponent("summary.json"))
        try Data("partial".utf8).write(to: slideB.appendingPathComponent(".cells.csv.tmp-1-2"))
        try FileManager.default.removeItem(at: fixture.output.appendingPathComponent("slides.csv"))
        try Data("2147483000\n\(ProcessInfo.processInfo.hostName)\n".utf8).write(to: fixture.output.appendingPathComponent(".smearscan.lock"))

        let calls = CallCounter()
        let lines = LineLog()
        let outcome = try fixture.run(resume: true, calls: calls, lines: lines)
        #expect(outcome.slidesResumed == 2)
        #expect(outcome.slidesAnalyzed == 1)
        #expect(outcome.imagesFailed == 1)
        #expect(Set(calls.all.map { URL(fileURLWithPath: $0).lastPathComponent }) == ["a.jpg", "broken.jpg", "z.jpg"])
        #expect(lines.lines.map { $0.contains("\"status\":\"unchanged\"") } == [true, false, true])
        #expect(try BatchFixture.files(in: fixture.output) == expected)
    }

    @Test func changedInputsParametersOrModelRedoTheSlide() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try fixture.run()
        let image = fixture.input.appendingPathComponent("Patient B/z.jpg")
        try ScriptedImage.write(["neutrophil 0.9 blast=0.3", "erythroblast 0.9", "blast 0.9"], to: image)
        let calls = CallCounter()
        try fixture.run(resume: true, calls: calls)
        #expect(calls.all.count == 3)
        let summary = try String(contentsOf: fixture.output.appendingPathComponent("Patient B/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"cells_total\": 7"))

        // A touched file (same bytes, new time) counts as changed.
        let later = Date().addingTimeInterval(60)
        try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: fixture.input.appendingPathComponent("Patient A/Lymphocyte/cell 1.jpg").path)
        let again = CallCounter()
        try fixture.run(resume: true, calls: again)
        #expect(again.all.count == 24)

        // Without --resume everything is redone.
        let all = CallCounter()
        try fixture.run(calls: all)
        #expect(all.all.count == 27)
    }

    @Test func aMissingOrResizedOutputRedoesTheSlide() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try fixture.run()
        try Data("x".utf8).write(to: fixture.output.appendingPathComponent("Patient A/report.html"))
        let calls = CallCounter()
        try fixture.run(resume: true, calls: calls)
        #expect(calls.all.count == 24)
    }
}
