import Foundation
import Testing
import SmearTestSupport
@testable import SmearSlides

@Suite struct OutputFileTests {
    @Test func replacesTheFileAndLeavesNoTemporaryFile() throws {
        let dir = try TemporaryDirectory("atomic")
        defer { dir.remove() }
        let path = dir.file("a b,ü.txt").path
        try OutputFile.write("first", to: path)
        try OutputFile.write("second", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["a b,ü.txt"])
    }

    @Test func aFailedWriteNamesTheFileAndKeepsTheOldContent() throws {
        let dir = try TemporaryDirectory("atomic")
        defer { dir.remove() }
        do {
            try OutputFile.write("x", to: dir.file("missing/file.txt").path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("missing/file.txt"))
            #expect(error.reason.contains("No such file or directory"))
        }
        // Renaming onto a folder fails after the data is written: the temporary file goes.
        try FileManager.default.createDirectory(at: dir.file("folder"), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: dir.file("folder/inside"))
        #expect(throws: FileSystemError.self) { try OutputFile.write("x", to: dir.file("folder").path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["folder"])
    }

    @Test func leftoversOfAKilledRunAreSwept() throws {
        let dir = try TemporaryDirectory("atomic")
        defer { dir.remove() }
        try Data().write(to: dir.file(".summary.json.tmp-12-34"))
        try Data().write(to: dir.file("summary.json"))
        try Data().write(to: dir.file(".keep.tmp-notours"))
        try OutputFile.removeLeftovers(in: dir.url.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) .sorted() == [".keep.tmp-notours", "summary.json"])
    }
}
