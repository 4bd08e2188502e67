import Foundation
import Testing
@testable import SmearImaging
import SmearTestSupport

@Suite struct AtomicFileTests {
    private func contents(_ url: URL) -> [UInt8]? { FileManager.default.contents(atPath: url.path).map { [UInt8]($0) } }

    @Test func createsAndReplacesWithoutLeftovers() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let target = folder.file("thumb.png")
        try AtomicFile.write([1, 2, 3], to: target.path)
        #expect(contents(target) == [1, 2, 3])
        try AtomicFile.write("replaced\n", to: target.path)
        #expect(contents(target) == Array("replaced\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["thumb.png"])
    }

    @Test func failureLeavesTheOldFileAlone() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let target = folder.file("report.txt")
        try AtomicFile.write("old", to: target.path)
        // A folder where the file should be cannot be replaced by rename.
        let blocked = folder.file("blocked")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("inner"), withIntermediateDirectories: true)
        let error = #expect(throws: ImageError.self) { try AtomicFile.write("new", to: blocked.path) }
        #expect(error?.kind == .writeFailed && error?.path == blocked.path)
        #expect(contents(target) == Array("old".utf8))
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder.url.path)) == ["report.txt", "blocked"])
        // A missing folder.
        let missing = #expect(throws: ImageError.self) { try AtomicFile.write("x", to: folder.file("no/such.txt").path) }
        #expect(missing?.kind == .writeFailed)
    }

    @Test func encodersWriteDecodableFiles() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let image = TestImages.pattern(width: 40, height: 30)
        try PNGEncoder.write(image, to: folder.file("a.png").path)
        try JPEGEncoder.write(image, to: folder.file("a.jpg").path, quality: 85)
        #expect(try ImageDecoder.decode(path: folder.file("a.png").path) == image)
        #expect(try ImageDecoder.info(path: folder.file("a.jpg").path).format == .jpeg)
    }
}
