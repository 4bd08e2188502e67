import Foundation
import Testing
@testable import SmearImaging
import SmearTestSupport

/// Decoding the real data sets in `../shared/data`.
@Suite(.enabled(if: SharedData.isAvailable), .timeLimit(.minutes(5)))
struct SharedDataDecodingTests {
    /// The deepapl cells that are truncated in the source (found by decoding all 10 452 once).
    static let truncatedCells = [
        "Patient_24/Blast, no lineage spec/BL_7821735.jpg",
        "Patient_30/Smudge cells/SMU_8371935.jpg",
        "Patient_36/Blast, no lineage spec/BL_7744281.jpg",
        "Patient_37/Blast, no lineage spec/BL_6611696.jpg",
        "Patient_52/Lymphocyte/LY_8338724.jpg",
    ]

    static func jpegFiles(under relative: String) -> [String] {
        let root = SharedData.url(relative).path
        let walker = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let entry = walker?.nextObject() as? String {
            if entry.lowercased().hasSuffix(".jpg") { files.append(root + "/" + entry) }
        }
        return files.sorted()
    }

    @Test func allBCCDFieldsDecode() throws {
        let files = Self.jpegFiles(under: "bccd/BCCD/JPEGImages")
        #expect(files.count > 300)
        for path in files {
            let image = try ImageDecoder.decode(path: path)
            #expect(image.width == 640 && image.height == 480, "\(path)")
        }
    }

    @Test func deepaplSampleDecodes() throws {
        let files = Self.jpegFiles(under: "deepapl")
        #expect(files.count > 10_000)
        let truncated = Set(Self.truncatedCells.map { SharedData.url("deepapl/" + $0).path })
        for path in stride(from: 0, to: files.count, by: 25).map({ files[$0] }) where !truncated.contains(path) {
            let image = try ImageDecoder.decode(path: path)
            let info = try ImageDecoder.info(path: path)
            #expect(image.width == info.width && image.height == info.height && image.width >= 300, "\(path)")
        }
    }

    @Test(arguments: truncatedCells)
    func truncatedCellsFail(relative: String) throws {
        let path = SharedData.url("deepapl/" + relative).path
        let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(path: path) }
        #expect(error?.kind == .truncated)
        #expect(error?.description == "\(path): Premature end of JPEG file")
        // Their headers are intact, so `inspect` can still report the size.
        #expect(try ImageDecoder.info(path: path).width > 0)
    }

    @Test func overviewsDecodeAtHalfScale() throws {
        for path in Self.jpegFiles(under: "overviews") {
            let full = try ImageDecoder.info(path: path)
            let half = try ImageDecoder.decodeScaled(path: path, options: DecodeOptions(minimumWidth: (full.width + 1) / 2, minimumHeight: (full.height + 1) / 2))
            #expect(half.scale == ScaleFactor(1, 2))
            #expect(half.image.width == (full.width + 1) / 2 && half.image.height == (full.height + 1) / 2)
        }
    }
}
