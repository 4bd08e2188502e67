import Foundation
import SmearCells
import SmearNet
import SmearPipeline
import SmearTestSupport
import Testing
@testable import SmearTraining

/// Guards the shipped model against regressions: a fixed sample of its own held-out cells,
/// classified through the pipeline, must stay well above chance.
@Suite("Shipped model", .enabled(if: SharedData.isAvailable))
struct ShippedModelTests {
    static let models = SharedData.repositoryRoot.appendingPathComponent("Models")

    /// The shipped model, deepapl, and the held-out cells of its split.
    static func heldOut() throws -> (Model, CellDataset, [LabelledCell]) {
        let model = try Model.load(from: models.appendingPathComponent("smearnet-s.json"))
        let map = try LabelMap.load(path: models.appendingPathComponent("label-map.json").path)
        let split = try TrainingSplit.read(from: models.appendingPathComponent("smearnet-s.split.json"))
        let deepapl = try CellDataset.scan(root: SharedData.url("deepapl").path, labelMap: map)
        return (model, deepapl, split.partition(deepapl).validation)
    }

    @Test("Held-out sample through the pipeline: accuracy and blast AUC stay near the model card's figures")
    func heldOutSample() throws {
        let (model, deepapl, heldOut) = try Self.heldOut()
        #expect(heldOut.count == 1986)
        // Every 10th held-out cell: about 200 cells from all 16 held-out slides.
        let sample = stride(from: 0, to: heldOut.count, by: 10).map { heldOut[$0] }
        let report = try Evaluator(model: model, configuration: PipelineConfiguration(micronsPerPixel: 0.1), threads: 2)
            .evaluate(sample, datasets: [deepapl], blastThreshold: 0.5, notice: "", softwareVersion: "")
        #expect(report.cellsEvaluated >= 190)
        #expect(report.metrics.accuracy > 0.7)
        #expect(try #require(report.blastVsRest.auc) > 0.93)
    }

    @Test("Held-out sample: slide-bootstrap intervals over the 16 slides, and a paired comparison of 1 and 8 views")
    func intervalsAndComparison() throws {
        let (model, deepapl, heldOut) = try Self.heldOut()
        let sample = stride(from: 0, to: heldOut.count, by: 20).map { heldOut[$0] }
        let one = Evaluator(model: model, configuration: PipelineConfiguration(micronsPerPixel: 0.1, views: 1), threads: 2)
        let eight = Evaluator(model: model, configuration: PipelineConfiguration(micronsPerPixel: 0.1, views: 8), threads: 2)
        let scoredOne = try one.score(sample), scoredEight = try eight.score(sample)
        let report = one.report(scoredOne, datasets: [deepapl], blastThreshold: 0.5, bootstrapResamples: 200, notice: "", softwareVersion: "")
        let intervals = try #require(report.intervals)
        #expect(intervals.units == 16 && intervals.imagesWithoutSlide == 0)
        #expect(intervals.accuracy.low <= report.metrics.accuracy && report.metrics.accuracy <= intervals.accuracy.high)
        #expect(intervals.slideBlastMAE != nil)
        let comparison = ModelComparison(baseline: one.modelSummary, baselinePredictions: scoredOne.predictions,
                                         candidate: eight.modelSummary, candidatePredictions: scoredEight.predictions,
                                         signed: EvaluationReport.signedDifferentials([deepapl]), resamples: 200)
        // The same pipeline finds the same cells; only the classifier's views differ.
        #expect(comparison.cellsCompared == scoredOne.predictions.count && comparison.units == 16)
        for figure in comparison.figures {
            let interval = try #require(figure.differenceInterval, "\(figure.name)")
            #expect(interval.low <= interval.high)
        }
    }

    @Test("The shipped label map sits beside the model and the split names 16 held-out slides of both diagnoses")
    func shippedFiles() throws {
        let split = try TrainingSplit.read(from: Self.models.appendingPathComponent("smearnet-s.split.json"))
        let slides = try #require(split.parts.first { $0.dataset == "deepapl" }).heldOutSlides
        #expect(slides.count == 16)
        #expect(Set(slides.map(\.diagnosis)) == ["AML", "APL"])
        let map = try ProjectFiles.labelMap(explicit: nil, besideModel: Self.models.appendingPathComponent("smearnet-s.json"), folders: [])
        #expect(map.resolve(label: "Promonocyte") == .cell(.blast))
    }
}
