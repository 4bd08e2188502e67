import Foundation
import Testing
import SmearCells
import SmearTestSupport
@testable import SmearSlides

@Suite struct BatchRunnerTests {
    @Test func writesEveryOutputPerSlideAndTheBatchTable() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        let lines = LineLog()
        let outcome = try fixture.run(lines: lines)
        #expect(outcome.slidesAnalyzed == 3)
        #expect(outcome.imagesFailed == 1)
        #expect(outcome.exitCode == .someImagesFailed)
        let files = try BatchFixture.files(in: fixture.output)
        for slide in ["Patient A", "Patient B", "Patient C (empty)"] {
            for name in ["summary.json", "cells.csv", "report.html", "manifest.json"] {
                #expect(files["\(slide)/\(name)"] != nil, "missing \(slide)/\(name)")
            }
        }
        #expect(files.keys.filter { $0.contains(".tmp-") || $0.hasSuffix(".lock") }.isEmpty)
        let table = String(decoding: files["slides.csv"]!, as: UTF8.self)
        #expect(table.hasPrefix("slide,images,images_failed,leukocytes_counted,blast_percent,blast_ci95_low,blast_ci95_high,flags,notice\r\n"))
        #expect(table.contains("\r\nPatient B,3,1,4,25.00,4.56,69.94,"))
        #expect(lines.lines.count == 3)
        #expect(lines.lines[1].contains("\"slide\":\"Patient B\"") && lines.lines[1].contains("\"status\":\"analyzed\""))
        // Every output carries the research-use notice: each table row and each JSON line.
        #expect(table.split(separator: "\r\n").dropFirst().allSatisfy { $0.hasSuffix("," + ResearchUseNotice.text) })
        #expect(lines.lines.allSatisfy { $0.contains("\"notice\":\"For research use only. Not for use in diagnostic procedures.\"") })
    }

    /// With one cell per image, only each image's whole cell nearest its centre counts; the
    /// others stay listed in cells.csv as not counted. (Scripted cell n's box is at (10n, 5n):
    /// the last whole cell of an image is nearest the centre.)
    @Test func oneCellPerImageCountsTheCentreCellOnly() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try fixture.run(oneCellPerImage: true)
        let slide = fixture.output.appendingPathComponent("Patient B")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: slide.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect(summary["cells_total"] as? Int == 6)
        #expect(summary["cells_at_border"] as? Int == 1)
        #expect(summary["cells_beside_centre_cell"] as? Int == 3)
        #expect(summary["cells_counted"] as? Int == 2)
        #expect(summary["leukocytes_counted"] as? Int == 1)
        let counts = summary["counts"] as! [String: Int]
        #expect(counts["neutrophil"] == 1 && counts["erythroblast"] == 1 && counts["blast"] == 0 && counts["promyelocyte"] == 0)
        #expect((summary["parameters"] as! [String: Any])["one_cell_per_image"] as? Bool == true)
        let rows = try String(contentsOf: slide.appendingPathComponent("cells.csv"), encoding: .utf8)
            .split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let counted = rows.map { "\($0[0]):\($0[5]):\($0[$0.count - 2])" }
        #expect(counted == ["Signed slides/a.jpg:blast:false", "Signed slides/a.jpg:promyelocyte:false",
                            "Signed slides/a.jpg:neutrophil:true", "Signed slides/a.jpg:lymphocyte:false",
                            "z.jpg:neutrophil:false", "z.jpg:erythroblast:true"])
        let report = try String(contentsOf: slide.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("1 cut by the border, 3 beside their image's centre cell"))
    }

    @Test func summaryFollowsTheCountingRules() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try fixture.run()
        let data = try Data(contentsOf: fixture.output.appendingPathComponent("Patient B/summary.json"))
        let summary = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(summary["slide"] as? String == "Patient B")
        #expect(summary["images"] as? Int == 3)
        #expect(summary["images_analyzed"] as? Int == 2)
        let failed = summary["images_failed"] as! [[String: String]]
        #expect(failed == [["path": "Signed slides/broken.jpg", "reason": "Premature end of JPEG file"]])
        #expect(summary["cells_total"] as? Int == 6)
        #expect(summary["cells_at_border"] as? Int == 1)
        #expect(summary["leukocytes_counted"] as? Int == 4)
        #expect((summary["counts"] as! [String: Int])["erythroblast"] == 1)
        #expect((summary["counts"] as! [String: Int])["lymphocyte"] == 0)
        #expect(summary["blast_percent"] as? Double == 25)
        #expect(summary["blast_percent_ci95"] as? [Double] == [4.558726, 69.935816])
        #expect(summary["nrbc_per_100_wbc"] as? Double == 25)
        #expect(summary["low_confidence_cells"] as? Int == 1)
        #expect(summary["notice"] as? String == ResearchUseNotice.text)
        #expect(summary["software_version"] as? String == SoftwareVersion.current)
        #expect((summary["model"] as! [String: String])["sha256"] == BatchFixture.model.sha256)
        #expect((summary["parameters"] as! [String: Any])["who_blast_percent"] as? Int == 20)
        let flags = summary["flags"] as! [String: [String: Any]]
        #expect(Set(flags.keys) == ["blasts_present", "blasts_who_threshold", "blasts_icc_threshold", "promyelocytes_high",
                                    "few_leukocytes", "many_low_confidence_cells", "many_blurred_images", "scale_uncertain"])
        #expect(flags["promyelocytes_high"]?["state"] as? String == "raised")
        #expect(flags["blasts_who_threshold"]?["state"] as? String == "indeterminate")
        // Keys come out sorted, the notice included.
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.range(of: "\"blast_percent\"")!.lowerBound < text.range(of: "\"cells_at_border\"")!.lowerBound)
    }

    @Test func outputsAreByteIdenticalForOneAndTwoJobs() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try fixture.run(jobs: 1, output: fixture.dir.url.appendingPathComponent("one"))
        try fixture.run(jobs: 2, output: fixture.dir.url.appendingPathComponent("two"))
        try fixture.run(jobs: 5, output: fixture.dir.url.appendingPathComponent("five"))
        let one = try BatchFixture.files(in: fixture.dir.url.appendingPathComponent("one"))
        let two = try BatchFixture.files(in: fixture.dir.url.appendingPathComponent("two"))
        let five = try BatchFixture.files(in: fixture.dir.url.appendingPathComponent("five"))
        #expect(one.count == 13)
        #expect(one == two)
        #expect(one == five)
        let cells = String(decoding: one["Patient A/cells.csv"]!, as: UTF8.self)
        #expect(cells.split(separator: "\r\n").count == 1 + (0..<24).reduce(0) { $0 + $1 % 5 })
    }

    @Test func emptySlideGetsAnHonestSummary() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try fixture.run()
        let data = try Data(contentsOf: fixture.output.appendingPathComponent("Patient C (empty)/summary.json"))
        let summary = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(summary["images"] as? Int == 0)
        #expect(summary["leukocytes_counted"] as? Int == 0)
        #expect(summary["blast_percent"] is NSNull)
        #expect(summary["blast_percent_ci95"] as? [Int] == [0, 100])
        #expect((summary["files_skipped"] as! [String: Int])["non_image"] == 1)
        let flags = summary["flags"] as! [String: [String: Any]]
        #expect(flags["few_leukocytes"]?["state"] as? String == "raised")
        #expect(flags["blasts_who_threshold"]?["state"] as? String == "indeterminate")
    }

    @Test func unwritableOutputFolderIsAClearErrorAndWritesNothing() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        let blocker = fixture.dir.url.appendingPathComponent("blocker")
        try Data("a file".utf8).write(to: blocker)
        do {
            try fixture.run(output: blocker.appendingPathComponent("out"))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .output)
            #expect(error.message.hasPrefix("cannot create output folder \(blocker.path)/out"))
            #expect(AnalyzeExitCode(error) == .cannotWriteOutput)
        }
        #expect(try BatchFixture.files(in: fixture.input).count == 28)
    }

    @Test func aSlideThatCannotBeWrittenStopsTheBatchAndKeepsEarlierSlides() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: fixture.output, withIntermediateDirectories: true)
        try Data("in the way".utf8).write(to: fixture.output.appendingPathComponent("Patient B"))
        do {
            try fixture.run()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .output)
            #expect(error.message.contains("Patient B"))
        }
        let files = try BatchFixture.files(in: fixture.output)
        #expect(Set(files.keys) == ["Patient A/summary.json", "Patient A/cells.csv", "Patient A/report.html",
                                    "Patient A/manifest.json", "Patient B"])
    }

    @Test func theOutputFolderCannotBeAnInput() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        let before = try BatchFixture.files(in: fixture.input)
        #expect(throws: AnalyzeError(.usage, "the output folder \(fixture.input.path) is the input folder \(fixture.input.path); inputs are never written to, choose another --out")) {
            try fixture.run(output: fixture.input)
        }
        #expect(try BatchFixture.files(in: fixture.input) == before)
    }

    @Test func inputFoldersAreNeverWritten() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        let before = try BatchFixture.files(in: fixture.input)
        try fixture.run(output: fixture.input.appendingPathComponent("results"))
        let after = try BatchFixture.files(in: fixture.input).filter { !$0.key.hasPrefix("results/") }
        #expect(before == after)
        // The output folder inside the batch root was not taken for a slide.
        #expect(!FileManager.default.fileExists(atPath: fixture.input.appendingPathComponent("results/results").path))
    }
}
