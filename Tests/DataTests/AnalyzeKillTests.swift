import Foundation
import Testing
import SmearTestSupport

/// Crash safety: `smearscan analyze` killed with SIGKILL at random moments, then rerun with
/// `--resume`, ends with outputs byte-identical to an uninterrupted run and nothing
/// temporary left behind. Slow; runs with `SMEARSCAN_SLOW_TESTS=1`. `SMEARSCAN_KILLS`
/// sets the number of kills (default 24) and `SMEARSCAN_ANALYZE_EXECUTABLE` a (release)
/// `smearscan` to test instead of the debug build.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SMEARSCAN_SLOW_TESTS"] == "1"))
struct AnalyzeKillTests {
    static let slides = ["Patient_79_10025562151", "Patient_00", "Patient_37", "Patient_49", "Patient_75"]
        .map { SharedData.url("deepapl/\($0)").path }

    @Test func resumeAfterRandomKillsGivesTheUninterruptedOutputs() throws {
        let dir = try TemporaryDirectory("analyze-kill")
        defer { dir.remove() }
        let model = try AnalyzeTestModel.write(to: dir.url)
        let environment = ProcessInfo.processInfo.environment
        let wantedKills = environment["SMEARSCAN_KILLS"].flatMap(Int.init) ?? 24
        let executable = environment["SMEARSCAN_ANALYZE_EXECUTABLE"].map { URL(fileURLWithPath: $0) } ?? AnalyzeCLI.executable
        func arguments(_ out: URL, resume: Bool) -> [String] {
            ["analyze", "--slide"] + Self.slides + ["--out", out.path, "--model", model, "--jobs", "2", "--quiet"]
                + (resume ? ["--resume"] : [])
        }

        let reference = dir.file("reference")
        let started = Date()
        let first = try AnalyzeCLI.run(arguments(reference, resume: false), scratch: dir.url, executable: executable)
        let duration = Date().timeIntervalSince(started)
        #expect(first.status == 2, "one truncated image: \(first.stderr)")
        let expected = try AnalyzeCLI.files(in: reference)
        #expect(expected.count == 1 + 4 * Self.slides.count)

        var generator = SeededGenerator(seed: 20261123)
        var kills = 0, cycles = 0
        while kills < wantedKills && cycles < 4 * wantedKills {
            cycles += 1
            let out = dir.file("run\(cycles)")
            // Kill runs at random moments until one gets through, then compare.
            while true {
                let process = try AnalyzeCLI.start(arguments(out, resume: true), scratch: dir.url, executable: executable)
                let delay = Double.random(in: 0...(duration * 0.9), using: &generator)
                let deadline = Date().addingTimeInterval(delay)
                while process.isRunning && Date() < deadline { usleep(2_000) }
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    if process.terminationReason == .uncaughtSignal { kills += 1; continue }
                }
                process.waitUntilExit()
                #expect(process.terminationStatus == 2)
                break
            }
            let got = try AnalyzeCLI.files(in: out)
            let missingOrExtra = Set(got.keys).symmetricDifference(expected.keys).sorted()
            let differing = expected.keys.filter { got[$0] != nil && got[$0] != expected[$0] }.sorted()
            #expect(got == expected, "cycle \(cycles), \(kills) kills: missing or extra \(missingOrExtra), differing \(differing)")
            if got != expected { break }
        }
        #expect(kills >= wantedKills, "only \(kills) kills landed while analyze was running")
    }
}
