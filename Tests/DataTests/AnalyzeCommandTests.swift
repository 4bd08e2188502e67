import Foundation
import Testing
import SmearTestSupport

/// `smearscan analyze` end to end on real slides with a tiny random-weight model.
@Suite(.serialized) struct AnalyzeCommandTests {
    static let slides = ["Patient_37", "Patient_05", "Patient_11"].map { SharedData.url("deepapl/\($0)").path }

    /// One job, two jobs and one job with two classifier threads give the same bytes.
    @Test func outputsAreByteIdenticalForOneAndTwoJobsAndFailedImagesAreListed() throws {
        let dir = try TemporaryDirectory("analyze-cli")
        defer { dir.remove() }
        let model = try AnalyzeTestModel.write(to: dir.url)
        var results: [[String: Data]] = []
        for (k, threading) in [["--jobs", "1"], ["--jobs", "2"], ["--classifier-threads", "2"]].enumerated() {
            let out = dir.file("out\(k)")
            let run = try AnalyzeCLI.run(["analyze", "--slide"] + Self.slides + ["--out", out.path, "--model", model,
                                          "--jsonl"] + threading, scratch: dir.url)
            #expect(run.status == 2, "exit status 2: one truncated image in Patient_37; stderr: \(run.stderr)")
            #expect(run.stdout.split(separator: "\n").count == 3)
            #expect(run.stderr.contains("Patient_37/Blast, no lineage spec/BL_6611696.jpg"))
            results.append(try AnalyzeCLI.files(in: out).filter { $0.key.hasSuffix("summary.json") || $0.key.hasSuffix("cells.csv") })
        }
        #expect(results[0].count == 6)
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
        let summary = try JSONSerialization.jsonObject(with: results[0]["Patient_37/summary.json"]!) as! [String: Any]
        let failed = summary["images_failed"] as! [[String: String]]
        #expect(failed.contains { $0["path"] == "Blast, no lineage spec/BL_6611696.jpg" })
        #expect((summary["model"] as! [String: String])["name"] == "analyze-test-tiny")
    }

    @Test func usageAndModelErrorsExitWith64() throws {
        let dir = try TemporaryDirectory("analyze-cli")
        defer { dir.remove() }
        let missing = try AnalyzeCLI.run(["analyze", dir.file("nope").path, "--out", dir.file("o").path, "--model", "x.json"], scratch: dir.url)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("cannot load model"))
        let model = try AnalyzeTestModel.write(to: dir.url)
        let noInput = try AnalyzeCLI.run(["analyze", dir.file("nope").path, "--out", dir.file("o").path, "--model", model], scratch: dir.url)
        #expect(noInput.status == 64)
        #expect(noInput.stderr.contains("input \(dir.file("nope").path) cannot be read"))
        let badJobs = try AnalyzeCLI.run(["analyze", Self.slides[0], "--out", dir.file("o").path, "--jobs", "0"], scratch: dir.url)
        #expect(badJobs.status == 64)
        let both = try AnalyzeCLI.run(["analyze", Self.slides[0], "--out", dir.file("o").path, "--jobs", "2", "--classifier-threads", "2"],
                                      scratch: dir.url)
        #expect(both.status == 64)
        #expect(both.stderr.contains("needs --jobs 1"))
        let badShard = try AnalyzeCLI.run(["analyze", Self.slides[0], "--out", dir.file("o").path, "--shard", "3/2"], scratch: dir.url)
        #expect(badShard.status == 64)
        let badViews = try AnalyzeCLI.run(["analyze", Self.slides[0], "--out", dir.file("o").path, "--views", "9"], scratch: dir.url)
        #expect(badViews.status == 64)
        #expect(badViews.stderr.contains("--views must be 1 to 8"))
        #expect(badShard.stderr.contains("--shard must be K/N"))
        let noModel = try AnalyzeCLI.run(["analyze", Self.slides[0], "--out", dir.file("o").path], scratch: dir.url,
                                         environment: ["SMEARSCAN_MODELS": dir.file("empty").path])
        if !FileManager.default.fileExists(atPath: SharedData.repositoryRoot.appendingPathComponent("Models").path) {
            #expect(noModel.status == 64)
        }
    }

    @Test func aLockedOutputFolderExitsWith75() throws {
        let dir = try TemporaryDirectory("analyze-cli")
        defer { dir.remove() }
        let model = try AnalyzeTestModel.write(to: dir.url)
        let out = dir.file("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("\(getpid())\n\(ProcessInfo.processInfo.hostName)\n".utf8).write(to: out.appendingPathComponent(".smearscan.lock"))
        let run = try AnalyzeCLI.run(["analyze", "--slide", Self.slides[1], "--out", out.path, "--model", model], scratch: dir.url)
        #expect(run.status == 75)
        #expect(run.stderr.contains("is in use by process \(getpid())"))
    }

    @Test func aFileSizeLimitIsAClearErrorAndKeepsEarlierSlides() throws {
        let dir = try TemporaryDirectory("analyze-cli")
        defer { dir.remove() }
        let model = try AnalyzeTestModel.write(to: dir.url)
        let out = dir.file("out")
        // 64 KiB: the first slide's small files fit, a report with embedded thumbnails does not.
        let script = "ulimit -f 128; exec \"$0\" \"$@\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, AnalyzeCLI.executable.path, "analyze", "--slide"] + Self.slides
            + ["--out", out.path, "--model", model, "--quiet"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 73, "stderr: \(stderr)")
        #expect(stderr.contains("File too large"))
        let files = try AnalyzeCLI.files(in: out)
        #expect(files.keys.allSatisfy { !$0.contains(".tmp-") })
        // Whatever slide has a manifest is complete.
        for key in files.keys where key.hasSuffix("/manifest.json") {
            let slide = String(key.dropLast("/manifest.json".count))
            #expect(files["\(slide)/summary.json"] != nil && files["\(slide)/cells.csv"] != nil && files["\(slide)/report.html"] != nil)
        }
    }
}
