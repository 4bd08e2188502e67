import Foundation
import Testing
import SmearNet
import SmearTestSupport

/// `smearscan analyze` against its limits: two runs on one output folder, an output folder
/// that cannot be written, and peak resident memory over the whole shared data set, the
/// overview scans and a synthetic 10,000 x 10,000 image. The memory checks are slow and run
/// with `SMEARSCAN_SLOW_TESTS=1`; `SMEARSCAN_ANALYZE_EXECUTABLE` picks a (release) build.
@Suite(.serialized) struct AnalyzeLimitsTests {
    static let slides = ["Patient_05", "Patient_11", "Patient_37", "Patient_49"].map { SharedData.url("deepapl/\($0)").path }
    static var executable: URL {
        ProcessInfo.processInfo.environment["SMEARSCAN_ANALYZE_EXECUTABLE"].map { URL(fileURLWithPath: $0) } ?? AnalyzeCLI.executable
    }
    static let slow = ProcessInfo.processInfo.environment["SMEARSCAN_SLOW_TESTS"] == "1"

    @Test func aSecondRunOnTheSameOutputFolderIsRefusedWhileTheFirstFinishes() throws {
        let dir = try TemporaryDirectory("analyze-limits")
        defer { dir.remove() }
        let model = try AnalyzeTestModel.write(to: dir.url)
        let out = dir.file("out"), first = dir.file("first"), second = dir.file("second")
        for folder in [first, second] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let arguments = ["analyze", "--slide"] + Self.slides + ["--out", out.path, "--model", model, "--jobs", "1", "--quiet"]
        let running = try AnalyzeCLI.start(arguments, scratch: first, executable: Self.executable)
        let lock = out.appendingPathComponent(".smearscan.lock")
        let deadline = Date().addingTimeInterval(60)
        while running.isRunning && !FileManager.default.fileExists(atPath: lock.path) && Date() < deadline { usleep(1_000) }
        try #require(running.isRunning, "the first run ended before a second could start")
        let refused = try AnalyzeCLI.run(arguments, scratch: second, executable: Self.executable)
        running.waitUntilExit()
        #expect(refused.status == 75, "stderr: \(refused.stderr)")
        #expect(refused.stderr.contains("is in use by process \(running.processIdentifier)"), "stderr: \(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        // The first run was not disturbed: every slide complete, no temporary or lock file left.
        #expect(running.terminationStatus == 2, "one truncated image in Patient_37")
        let files = try AnalyzeCLI.files(in: out)
        for slide in Self.slides.map({ URL(fileURLWithPath: $0).lastPathComponent }) {
            for name in ["summary.json", "cells.csv", "report.html", "manifest.json"] {
                #expect(files["\(slide)/\(name)"] != nil, "\(slide)/\(name) missing")
            }
        }
        #expect(files.keys.allSatisfy { !$0.contains(".tmp") && !$0.hasSuffix(".smearscan.lock") }, "\(files.keys.sorted())")
    }

    @Test(arguments: ["/proc/smearscan-unwritable/out", "regular-file/out"])
    func anUnwritableOutputFolderIsAClearError(output: String) throws {
        // Tests run as root in CI, where permission bits do not stop writes: /proc and a path
        // through a regular file cannot be written by anyone.
        let dir = try TemporaryDirectory("analyze-limits")
        defer { dir.remove() }
        let model = try AnalyzeTestModel.write(to: dir.url)
        try Data("not a folder".utf8).write(to: dir.file("regular-file"))
        let out = output.hasPrefix("/") ? output : dir.file(output).path
        let run = try AnalyzeCLI.run(["analyze", "--slide", Self.slides[0], "--out", out, "--model", model, "--quiet"],
                                     scratch: dir.url, executable: Self.executable)
        #expect(run.status == 73, "stderr: \(run.stderr)")
        #expect(run.stderr.hasPrefix("smearscan analyze: error: "), "stderr: \(run.stderr)")
        #expect(run.stderr.contains(out), "the error names the folder: \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "stderr: \(run.stderr)")
    }

    /// Peak resident memory of one `analyze` run, in MB, with two jobs and the shipped
    /// SmearNet-S (or, before one ships, a random-weight one: same activations and weights).
    private func peak(_ inputs: [String], slideFolders: Bool = false, extra: [String] = [],
                      in dir: TemporaryDirectory, name: String) throws -> PeakMemory.Result {
        let shipped = SharedData.repositoryRoot.appendingPathComponent("Models/smearnet-s.json")
        var model = shipped
        if !FileManager.default.fileExists(atPath: Model.files(for: shipped).weights.path) {
            model = dir.file("smearnet-s-random.json")
            if !FileManager.default.fileExists(atPath: model.path) {
                let architecture = try Data(contentsOf: SharedData.repositoryRoot.appendingPathComponent("Models/architectures/smearnet-s.json"))
                let description = try JSONDecoder().decode(ModelDescription.self, from: architecture)
                try Network(description: description, seed: 7).exportModel().write(to: model)
            }
        }
        return try PeakMemory.run(Self.executable, ["analyze"] + (slideFolders ? ["--slide"] : []) + inputs
                                  + ["--out", dir.file(name).path, "--model", model.path, "--jobs", "2", "--quiet"] + extra,
                                  log: dir.file("\(name).log"))
    }

    /// The bound stated for real data: every image of ../shared/data (82 AML/APL slides,
    /// 2,000 PBC cells, 364 BCCD fields, the overview scans) with two jobs.
    static let boundMB = 300.0

    @Test(.enabled(if: slow)) func peakMemoryStaysUnderTheBoundWhateverTheNumberOfSlides() throws {
        let dir = try TemporaryDirectory("analyze-memory")
        defer { dir.remove() }
        let deepapl = try FileManager.default.contentsOfDirectory(atPath: SharedData.url("deepapl").path)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".csv") }.sorted()
            .map { SharedData.url("deepapl/\($0)").path }
        let one = try peak(Array(deepapl.prefix(1)), slideFolders: true, in: dir, name: "one")
        let twenty = try peak(Array(deepapl.prefix(20)), slideFolders: true, in: dir, name: "twenty")
        let all = try peak(["deepapl", "pbc", "bccd/BCCD", "overviews"].map { SharedData.url($0).path }, in: dir, name: "all")
        let overviews = try peak([SharedData.url("overviews").path], slideFolders: true, in: dir, name: "overviews")
        print("analyze peak memory: 1 slide \(one.megabytes) MB, 20 slides \(twenty.megabytes) MB, "
              + "all shared data \(all.megabytes) MB, overview scans \(overviews.megabytes) MB")
        for result in [one, twenty, all, overviews] {
            #expect(result.status == 0 || result.status == 2)  // 2: the five truncated deepapl cells
            #expect(result.megabytes <= Self.boundMB, "peak \(result.megabytes) MB")
        }
        // Independent of the number of slides: slides are analysed one after another and
        // nothing of a finished slide stays in memory.
        #expect(twenty.megabytes <= one.megabytes + 40, "1 slide \(one.megabytes) MB, 20 slides \(twenty.megabytes) MB")
    }

    @Test(.enabled(if: slow)) func aTenThousandSquareImageIsRefusedByTheLimitOrProcessedOneAtATime() throws {
        // 100 MP: above analyze's default --max-megapixels (64), refused from its header with
        // the image listed as failed; allowed by --max-megapixels 120, decoded at full size (the
        // scale cannot be estimated from a flat image at half size) alone through the
        // large-image gate: 300 MB of pixels plus the locator's buffers.
        let dir = try TemporaryDirectory("analyze-memory")
        defer { dir.remove() }
        let slide = dir.file("synthetic")
        try FileManager.default.createDirectory(at: slide, withIntermediateDirectories: true)
        try Data(MinimalJPEG.baseline(width: 10_000, height: 10_000)).write(to: slide.appendingPathComponent("grey-10000.jpg"))
        let refused = try peak([slide.path], slideFolders: true, in: dir, name: "refused")
        let log = (try? String(contentsOf: dir.file("refused.log"), encoding: .utf8)) ?? ""
        #expect(refused.status == 2, "the image failed: \(log)")
        let summary = try String(contentsOf: dir.file("refused/synthetic/summary.json"), encoding: .utf8)
        #expect(summary.contains("10000x10000 (100.0 MP), above the 64.0 MP limit"), "\(summary)")
        #expect(refused.megabytes <= Self.boundMB, "peak \(refused.megabytes) MB")
        let allowed = try peak([slide.path], slideFolders: true, extra: ["--max-megapixels", "120"], in: dir, name: "allowed")
        print("analyze peak memory: 10000x10000 image refused \(refused.megabytes) MB, processed \(allowed.megabytes) MB")
        #expect(allowed.status == 0, "\((try? String(contentsOf: dir.file("allowed.log"), encoding: .utf8)) ?? "")")
        #expect(allowed.megabytes <= 600, "peak \(allowed.megabytes) MB")
    }
}
