import Foundation
import Testing
import SmearTestSupport
@testable import SmearSlides

@Suite struct OutputLockTests {
    @Test func aLiveLockIsRefusedWithAClearError() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: fixture.output, withIntermediateDirectories: true)
        let held = try OutputLock(folder: fixture.output.path)
        defer { held.release() }
        do {
            try fixture.run()
            Issue.record("a second run was let in")
        } catch {
            #expect(error.kind == .outputLocked)
            #expect(error.message.contains("is in use by process \(getpid())"))
            #expect(AnalyzeExitCode(error) == .outputLocked)
        }
        #expect(try BatchFixture.files(in: fixture.output).keys.sorted() == [".smearscan.lock"])
    }

    @Test func aStaleLockOfADeadProcessIsTakenOver() throws {
        let dir = try TemporaryDirectory("lock")
        defer { dir.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let lockPath = dir.file(OutputLock.fileName).path
        try Data("\(process.processIdentifier)\n\(ProcessInfo.processInfo.hostName)\n".utf8).write(to: URL(fileURLWithPath: lockPath))
        let lock = try OutputLock(folder: dir.url.path)
        #expect(try String(contentsOfFile: lockPath, encoding: .utf8).hasPrefix("\(getpid())\n"))
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: lockPath))
    }

    @Test func anEmptyLockIsRefusedWhileFreshAndTakenOverWhenOld() throws {
        let dir = try TemporaryDirectory("lock")
        defer { dir.remove() }
        let lockURL = dir.file(OutputLock.fileName)
        try Data().write(to: lockURL)
        #expect(throws: AnalyzeError.self) { try OutputLock(folder: dir.url.path) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: lockURL.path)
        let lock = try OutputLock(folder: dir.url.path)
        lock.release()
    }

    @Test func aLockFromAnotherHostIsRefused() throws {
        let dir = try TemporaryDirectory("lock")
        defer { dir.remove() }
        try Data("1\nsome-other-host\n".utf8).write(to: dir.file(OutputLock.fileName))
        #expect(throws: AnalyzeError.self) { try OutputLock(folder: dir.url.path) }
    }
}
