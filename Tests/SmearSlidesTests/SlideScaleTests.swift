import Foundation
import SmearPipeline
import SmearSlides
import SmearTestSupport
import Testing

/// The per-slide scale: sampling, pooling by image size, and its use in a batch.
@Suite struct SlideScaleTests {
    @Test func sampleSpreadsOverTheSlide() {
        #expect(SlideScale.sampleIndices(imageCount: 0) == [])
        #expect(SlideScale.sampleIndices(imageCount: 5) == [0, 1, 2, 3, 4])
        let indices = SlideScale.sampleIndices(imageCount: 100)
        #expect(indices.count == SlideScale.sampleSize)
        #expect(indices.first == 0 && indices.last! >= 90 && indices.last! < 100)
        #expect(zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func medianPerImageSizeWithEnoughMeasurements() {
        let samples = [0.1, 0.09, nil, 0.12].map { ScaleSample(width: 360, height: 363, micronsPerPixel: $0) }
            + [0.9, 1.0].map { ScaleSample(width: 2900, height: 2960, micronsPerPixel: $0) }
        let scale = SlideScale(samples: samples)
        #expect(scale.groups == [.init(width: 360, height: 363, micronsPerPixel: 0.1, sampled: 4, measured: 3, redCells: 0)])
        #expect(scale.micronsPerPixel(width: 360, height: 363) == 0.1)
        #expect(scale.micronsPerPixel(width: 2900, height: 2960) == nil, "two measurements are too few")
        let even = SlideScale(samples: [0.12, 0.09, 0.11, 0.1].map { ScaleSample(width: 8, height: 8, micronsPerPixel: $0) })
        #expect(abs(even.micronsPerPixel(width: 8, height: 8)! - 0.105) < 1e-12)
    }

    /// With enough lone red cells the slide scale is their pooled median diameter (7.5 µm),
    /// platelets and debris (under half the median) left out; images' own estimates are ignored.
    @Test func pooledRedCellsWinOverPerImageEstimates() {
        let samples = (0..<6).map { i in
            ScaleSample(width: 360, height: 363, micronsPerPixel: 0.05,
                        redCellDiameters: [70, 75, 80, 20].map { $0 + Double(i) })
        }
        let scale = SlideScale(samples: samples)
        // Diameters 70…85 (18 cells); the six 20–25 px specks are dropped; median 77.5 px.
        #expect(scale.groups.count == 1)
        #expect(scale.groups[0].redCells == 18)
        #expect(abs(scale.micronsPerPixel(width: 360, height: 363)! - 7.5 / 77.5) < 1e-12)
    }

    /// Without `--scale`, every image is analysed at its slide's median scale, and the
    /// summary says where the scale came from.
    @Test func batchMeasuresEachSlideOnce() throws {
        let dir = try TemporaryDirectory("slide-scale")
        defer { dir.remove() }
        let input = dir.url.appendingPathComponent("input")
        for (i, scale) in ["scale 0.1", "scale 0.12", "", "scale 0.09", ""].enumerated() {
            try ScriptedImage.write([scale, "needs-slide-scale 0.1", "lymphocyte 0.9"],
                                    to: input.appendingPathComponent("Slide/cell \(i).jpg"))
        }
        for given in [nil, 0.2] {
            var parameters = AnalysisParameters()
            parameters.scaleMicronsPerPixel = given
            let output = dir.url.appendingPathComponent(given == nil ? "estimated" : "given")
            let options = BatchOptions(inputs: [input.path], outputFolder: output.path, jobs: 2,
                                       parameters: parameters, model: BatchFixture.model)
            let outcome = try BatchRunner(options: options, progress: ProgressReporter(mode: .quiet),
                                          makeAnalyzer: { ScriptedAnalyzer() }).run()
            let summary = try JSONSerialization.jsonObject(
                with: Data(contentsOf: output.appendingPathComponent("Slide/summary.json"))) as! [String: Any]
            let scale = summary["scale"] as! [String: Any]
            // No lone red cells here: the images' own estimates decide, which the flags say.
            let flag = (summary["flags"] as! [String: [String: Any]])["scale_uncertain"]
            #expect(flag?["state"] as? String == (given == nil ? "raised" : "clear"))
            if given == nil {
                #expect(outcome.imagesFailed == 0)
                #expect(scale["source"] as? String == "estimated")
                let groups = scale["per_image_size"] as! [[String: Any]]
                #expect(groups.count == 1)
                #expect(groups.first?["um_per_px"] as? Double == 0.1)
                #expect(groups.first?["images_sampled"] as? Int == 5)
                #expect(groups.first?["images_measured"] as? Int == 3)
                let report = try String(contentsOf: output.appendingPathComponent("Slide/report.html"), encoding: .utf8)
                #expect(report.contains("Scale measured on this slide: 0.1 µm/pixel for 360×363 images (from 3 images’ red cells)"))
            } else {
                #expect(outcome.imagesFailed == 5, "a given scale is used as is: no slide scale")
                #expect(scale["source"] as? String == "given")
                #expect(scale["um_per_px"] as? Double == 0.2)
                let report = try String(contentsOf: output.appendingPathComponent("Slide/report.html"), encoding: .utf8)
                #expect(report.contains("Scale 0.2 µm/pixel (given)"))
            }
        }
    }
}
