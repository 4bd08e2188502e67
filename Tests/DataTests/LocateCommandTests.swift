import Foundation
import Testing
import SmearTestSupport

/// `smearscan locate --json` end to end: one JSON object per image, with the image's size
/// (cell coordinates are in its frame) and the research-use notice.
@Suite struct LocateCommandTests {
    let sample = SharedData.repositoryRoot.appendingPathComponent("SampleImages/pbc-donor/basophil_BA_102750.jpg").path

    @Test func jsonGivesTheImageSizeAndCellsInsideIt() throws {
        let scratch = try TemporaryDirectory("locate")
        defer { scratch.remove() }
        let out = try AnalyzeCLI.run(["locate", "--json", "--scale", "0.1", sample], scratch: scratch.url)
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let record = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
        #expect(record["image"] as? String == sample)
        #expect(record["notice"] as? String == "For research use only. Not for use in diagnostic procedures.")
        #expect(record["width"] as? Int == 360 && record["height"] as? Int == 363)
        let result = try #require(record["result"] as? [String: Any])
        let cells = try #require(result["cells"] as? [[String: Any]])
        #expect(!cells.isEmpty)
        for cell in cells {
            let x = try #require(cell["centerX"] as? Double), y = try #require(cell["centerY"] as? Double)
            #expect(x >= 0 && x < 360 && y >= 0 && y < 363)
        }
    }
}
