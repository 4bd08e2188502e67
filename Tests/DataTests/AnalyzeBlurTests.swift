import Foundation
import Testing
import SmearImaging
import SmearPipeline
import SmearSlides
import SmearTestSupport

/// The default blur threshold against real sharp images and the same images blurred.
@Suite struct AnalyzeBlurTests {
    /// Every 97th deepapl image in byte-wise path order: 100 images over many slides.
    static func sample(count: Int) throws -> [String] {
        let root = SharedData.url("deepapl")
        let all = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".jpg") }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return stride(from: 96, to: all.count, by: 97).prefix(count).map { root.appendingPathComponent(all[$0]).path }
    }

    @Test func sharpImagesPassAndBlurredOnesAreCaught() throws {
        let dir = try TemporaryDirectory("blur")
        defer { dir.remove() }
        let threshold = AnalysisParameters().blurFocusThreshold
        let pipeline = try CellPipeline(model: AnalyzeTestModel.make())
        var sharpBelow = 0, blurredBelow = 0, total = 0
        for (i, path) in try Self.sample(count: 40).enumerated() {
            guard let image = try? ImageDecoder.decode(path: path) else { continue }
            // Shrinking by 8 and growing back blurs over about 0.8 µm at 0.1 µm/px.
            let blurred = image.resized(width: image.width / 8, height: image.height / 8)
                .resized(width: image.width, height: image.height)
            let sharpURL = dir.file("\(i)-sharp.png"), blurredURL = dir.file("\(i)-blurred.png")
            try PNGEncoder.write(image, to: sharpURL.path)
            try PNGEncoder.write(blurred, to: blurredURL.path)
            total += 1
            if try pipeline.analyze(imageAt: sharpURL).focus! < threshold { sharpBelow += 1 }
            if try pipeline.analyze(imageAt: blurredURL).focus! < threshold { blurredBelow += 1 }
        }
        #expect(total >= 35)
        #expect(sharpBelow <= total / 20, "\(sharpBelow) of \(total) sharp images called blurred")
        #expect(blurredBelow >= total * 7 / 10, "only \(blurredBelow) of \(total) blurred images caught")
    }
}
