import Foundation
import SmearCells
import SmearNet
import SmearPipeline

/// Measures a model on labelled single-cell images through `CellPipeline`, the path
/// `smearscan analyze` takes (reduced-scale decode, locator, crop, classifier), so a model
/// is judged on exactly what the pipeline feeds it.
///
/// Each labelled image is one cell, roughly centred (CellaVision exports): the located cell
/// nearest the image centre is scored against the label. Images that fail to decode and
/// images where the locator finds no cell are reported, not scored.
public struct Evaluator {
    public var model: Model
    public var configuration: PipelineConfiguration
    /// Parallel pipelines (results do not depend on it).
    public var threads: Int

    public init(model: Model, configuration: PipelineConfiguration, threads: Int) {
        self.model = model
        self.configuration = configuration
        self.threads = threads
    }

    /// The outcome of one labelled image.
    enum Outcome: Sendable {
        case scored([Float])
        case failed(String)
        case notLocated
    }

    /// The cells a model scored, and the images it could not score.
    public struct ScoredCells: Sendable {
        public var predictions: [CellPrediction]
        public var failed: [EvaluationReport.Skipped]
        public var notLocated: [EvaluationReport.Skipped]
    }

    /// Classifies `cells` (from `datasets`) and computes every figure.
    public func evaluate(_ cells: [LabelledCell], datasets: [CellDataset], blastThreshold: Double, bootstrapResamples: Int = 0, notice: String,
                         softwareVersion: String, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> EvaluationReport {
        report(try score(cells, progress: progress), datasets: datasets, blastThreshold: blastThreshold,
               bootstrapResamples: bootstrapResamples, notice: notice, softwareVersion: softwareVersion)
    }

    /// Runs each labelled image through the pipeline and keeps the cell nearest its centre.
    public func score(_ cells: [LabelledCell], progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ScoredCells {
        let workers = max(1, threads)
        let pipelines = WorkerLocal(try (0..<workers).map { _ in try CellPipeline(model: model, configuration: configuration) })
        let scales = configuration.micronsPerPixel == nil ? Self.slideScales(of: cells, pipelines: pipelines, threads: workers) : [:]
        let outcomes = ParallelMap.map(count: cells.count, threads: workers, progress: progress) { i, worker -> Outcome in
            do {
                let analysis = try pipelines.values[worker].analyze(imageAt: URL(fileURLWithPath: cells[i].path),
                                                                    slideScale: scales[Self.slideKey(cells[i])])
                guard let central = analysis.indexOfCellNearestCentre() else { return .notLocated }
                return .scored(analysis.cells[central].probabilities.values)
            } catch {
                return .failed("\(error)")
            }
        }
        var scored = ScoredCells(predictions: [], failed: [], notLocated: [])
        for (cell, outcome) in zip(cells, outcomes) {
            switch outcome {
            case .scored(let probabilities): scored.predictions.append(CellPrediction(cell: cell, probabilities: probabilities))
            case .failed(let reason): scored.failed.append(.init(path: cell.path, reason: reason, truth: cell.cellClass.rawValue))
            case .notLocated: scored.notLocated.append(.init(path: cell.path, reason: "no leukocyte located", truth: cell.cellClass.rawValue))
            }
        }
        return scored
    }

    /// Every figure of `scored`, with this evaluator's model and crop path named.
    public func report(_ scored: ScoredCells, datasets: [CellDataset], blastThreshold: Double, bootstrapResamples: Int = 0,
                       notice: String, softwareVersion: String) -> EvaluationReport {
        EvaluationReport(predictions: scored.predictions, datasets: datasets, model: modelSummary,
                         cropPath: "CellPipeline (reduced-scale decode, locator, crop; cell nearest the image centre; "
                             + (configuration.views == 1 ? "the crop alone)" : "\(configuration.views) flipped and turned views averaged)"),
                         failedImages: scored.failed, notLocated: scored.notLocated, blastThreshold: blastThreshold,
                         bootstrapResamples: bootstrapResamples, notice: notice, softwareVersion: softwareVersion)
    }

    /// The model as reports name it.
    public var modelSummary: EvaluationReport.ModelSummary {
        .init(name: model.description.name, path: model.descriptionFile, sha256: model.sha256)
    }

    /// Each slide's scale measured over a sample of its images, as `analyze` does when no
    /// scale is given (a class-folder dataset counts as one slide: one scanner).
    static func slideScales(of cells: [LabelledCell], pipelines: WorkerLocal<CellPipeline>, threads: Int) -> [String: SlideScale] {
        let bySlide = Dictionary(grouping: cells.indices, by: { slideKey(cells[$0]) })
        let sample = bySlide.keys.sorted().flatMap { key in
            SlideScale.sampleIndices(imageCount: bySlide[key]!.count).map { (key, bySlide[key]![$0]) }
        }
        let measured = ParallelMap.map(count: sample.count, threads: threads) { i, worker in
            try? pipelines.values[worker].measureScale(imageAt: URL(fileURLWithPath: cells[sample[i].1].path))
        }
        return Dictionary(grouping: zip(sample, measured), by: { $0.0.0 })
            .mapValues { SlideScale(samples: $0.compactMap(\.1)) }
    }

    static func slideKey(_ cell: LabelledCell) -> String { cell.dataset + "/" + (cell.slide ?? "") }

}
