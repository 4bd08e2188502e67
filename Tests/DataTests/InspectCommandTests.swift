import Foundation
import Testing
import SmearTestSupport

/// `smearscan inspect` end to end: per-file lines, one-line errors naming the file, exit 1
/// when any file failed, and a JSON document that parses.
@Suite struct InspectCommandTests {
    let sample = SharedData.repositoryRoot.appendingPathComponent("SampleImages/pbc-donor/basophil_BA_102750.jpg").path
    let truncated = SharedData.url("deepapl/Patient_37/Blast, no lineage spec/BL_6611696.jpg").path

    @Test func goodFilesExitZero() throws {
        let scratch = try TemporaryDirectory("inspect")
        defer { scratch.remove() }
        let out = try AnalyzeCLI.run(["inspect", sample], scratch: scratch.url)
        #expect(out.status == 0)
        #expect(out.stdout.contains("JPEG 360x363"))
        #expect(out.stderr.isEmpty)
    }

    @Test func badFilesAreNamedOnOneLineAndTheRestGoesOn() throws {
        let scratch = try TemporaryDirectory("inspect")
        defer { scratch.remove() }
        let out = try AnalyzeCLI.run(["inspect", "/nonexistent.png", truncated, sample], scratch: scratch.url)
        #expect(out.status == 1)
        let errors = out.stderr.split(separator: "\n")
        #expect(errors.count == 2)
        #expect(errors.first?.contains("/nonexistent.png") == true)
        #expect(errors.last?.contains("BL_6611696.jpg: Premature end of JPEG file") == true)
        #expect(out.stdout.contains("basophil_BA_102750.jpg: JPEG 360x363"))
    }

    @Test func jsonListsEveryFileWithItsErrorKind() throws {
        let scratch = try TemporaryDirectory("inspect")
        defer { scratch.remove() }
        let out = try AnalyzeCLI.run(["inspect", "--json", sample, truncated], scratch: scratch.url)
        #expect(out.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(json["notice"] as? String == "For research use only. Not for use in diagnostic procedures.")
        let images = try #require(json["images"] as? [[String: Any]])
        #expect(images.count == 2)
        let info = try #require(images[0]["info"] as? [String: Any])
        #expect(info["width"] as? Int == 360 && info["height"] as? Int == 363)
        let error = try #require(images[1]["error"] as? [String: Any])
        #expect(error["kind"] as? String == "truncated")
    }
}
