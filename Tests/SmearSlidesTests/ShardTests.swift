import Foundation
import SmearSlides
import Testing

/// Spreading a batch over machines: shards parse, partition the slides, and together give
/// what one unsharded run gives.
@Suite struct ShardTests {
    @Test func parsesKOfN() {
        #expect(Shard("2/4") == Shard("2/4"))
        #expect(Shard("2/4")?.index == 1 && Shard("2/4")?.count == 4)
        #expect(Shard("1/1")?.description == "1/1")
        for bad in ["0/4", "5/4", "2", "2/0", "a/b", "2/4/1", "", "/", "-1/3"] { #expect(Shard(bad) == nil, "\(bad)") }
    }

    /// Every slide lands in exactly one shard, the same whatever other slides exist, and the
    /// shards are roughly even.
    @Test func shardsPartitionTheSlides() {
        let names = (0..<3000).map { "Patient_\($0)" } + ["Blast, slide é", "", "x y"]
        for n in [1, 2, 3, 7] {
            let shards = (1...n).map { Shard("\($0)/\(n)")! }
            var sizes = [Int](repeating: 0, count: n)
            for name in names {
                let owners = shards.indices.filter { shards[$0].contains(slide: name) }
                #expect(owners.count == 1, "\(name) in \(owners.count) of \(n) shards")
                owners.forEach { sizes[$0] += 1 }
            }
            #expect(sizes.allSatisfy { Double($0) > 0.85 * Double(names.count) / Double(n) }, "\(sizes)")
        }
        #expect(Shard("2/3")!.contains(slide: "Patient_10") == Shard("2/3")!.contains(slide: "Patient_10"))
    }

    /// Shards 1/2 and 2/2 write between them exactly the slide folders of an unsharded run,
    /// byte for byte.
    @Test func twoShardsTogetherEqualOneRun() throws {
        let fixture = try BatchFixture()
        defer { fixture.remove() }
        try fixture.run(output: fixture.dir.url.appendingPathComponent("all"))
        let all = try BatchFixture.files(in: fixture.dir.url.appendingPathComponent("all"))
        var combined: [String: Data] = [:]
        for k in 1...2 {
            var options = fixture.options(output: fixture.dir.url.appendingPathComponent("shard\(k)"))
            options.shard = Shard("\(k)/2")
            _ = try BatchRunner(options: options, progress: ProgressReporter(mode: .quiet),
                                makeAnalyzer: { ScriptedAnalyzer() }).run()
            let files = try BatchFixture.files(in: fixture.dir.url.appendingPathComponent("shard\(k)"))
            #expect(files.keys.contains { $0.hasSuffix("/summary.json") }, "shard \(k)/2 got no slide")
            for (path, data) in files where path != BatchRunner.slidesFile {
                #expect(combined[path] == nil, "\(path) written by two shards")
                combined[path] = data
            }
        }
        #expect(combined == all.filter { $0.key != BatchRunner.slidesFile })
    }
}
