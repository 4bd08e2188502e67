import ArgumentParser
import Foundation
import SmearNet
import SmearPipeline
import SmearSlides
import SmearTraining

/// `smearscan evaluate`: measures a model on labelled cells through the analysis pipeline.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on labelled cell images, through the same locate/crop path as analyze.",
        discussion: """
        Each DATASET is a folder with one subfolder per class or a slide layout \
        (<slide>/<label>/*.jpg with optional slides.csv); labels go through the label map. \
        Each image is analysed like `smearscan analyze` does and the located cell nearest its \
        centre is scored. Prints accuracy, macro-F1, per-class precision/recall/F1, the \
        confusion matrix, blast-vs-rest sensitivity/specificity and ROC AUC, expected \
        calibration error and, for slides, true vs predicted blast percentage per slide, \
        then 95% intervals of the headline figures from a bootstrap over slides (cells of one \
        patient are not independent, so slides are resampled, not cells). \
        With --split, only the held-out cells of a training split are evaluated. With \
        --compare, a second model is scored on the same cells and the differences are given \
        with paired intervals (the same slides drawn for both models).
        """
    )

    @Argument(help: "Dataset folders (class folders or slide layout).")
    var datasets: [String]

    @Option(help: "Model: <name>.json with <name>.safetensors beside it (default: the shipped model in Models/).")
    var model: String?

    @Option(help: "A second model to compare on the same cells: its figures and paired intervals of the differences.")
    var compare: String?

    @Option(help: "Also write the full report as JSON to this file.")
    var json: String?

    @Option(help: "A training split (split.json): evaluate only its held-out slides and images.")
    var split: String?

    @Option(help: "Image scale in µm per pixel (default: measured per slide from its red cells, as analyze does; CellaVision exports are 0.1).")
    var scale: Double?

    @Option(help: "Blast-vs-rest operating threshold on P(blast).")
    var blastThreshold = 0.5

    @Option(help: "Flipped and turned views of each cell averaged by the classifier, 1–8 (as analyze; 4 by default).")
    var views = AnalysisParameters().views

    @Option(help: "Resamples of the slide bootstrap behind the 95% intervals (0: no intervals).")
    var bootstrap = 1000

    @Option(help: "Images analysed in parallel (results do not depend on it).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Label map (default: label-map.json beside the model, else Models/label-map.json).")
    var labelMap: String?

    @Flag(help: "Print nothing but errors (use with --json).")
    var quiet = false

    mutating func validate() throws {
        if let scale, !(scale > 0 && scale.isFinite) { throw ValidationError("--scale must be a positive number of µm per pixel") }
        if !(0...1).contains(blastThreshold) { throw ValidationError("--blast-threshold must be in [0, 1]") }
        if bootstrap < 0 { throw ValidationError("--bootstrap must be 0 or more") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if !(1...DihedralViews.count).contains(views) { throw ValidationError("--views must be 1 to \(DihedralViews.count)") }
    }

    func run() throws {
        guard let path = model ?? ShippedModel.path() else {
            throw CommandFailure("no model given and no shipped model found; pass --model PATH")
        }
        do {
            let loaded = try Model.load(from: URL(fileURLWithPath: path))
            // Loaded before any scoring, so an unusable second model fails at once.
            let compared = try compare.map { try Model.load(from: URL(fileURLWithPath: $0)) }
            let map = try ProjectFiles.labelMap(explicit: labelMap, besideModel: URL(fileURLWithPath: path), folders: ShippedModel.folders)
            let scanned = try datasets.map { try CellDataset.scan(root: $0, labelMap: map) }
            var cells = scanned.flatMap(\.cells)
            if let split {
                let recorded = try TrainingSplit.read(from: URL(fileURLWithPath: split))
                cells = scanned.flatMap { recorded.partition($0).validation }
                if cells.isEmpty { throw CommandFailure("\(split): no held-out cells of these datasets") }
            }
            if !quiet {
                for dataset in scanned { dataset.summaryLines.forEach { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }
            }
            let configuration = PipelineConfiguration(micronsPerPixel: scale, views: views)
            let evaluator = Evaluator(model: loaded, configuration: configuration, threads: threads)
            let scored = try evaluator.score(cells)
            var report = evaluator.report(scored, datasets: scanned, blastThreshold: blastThreshold, bootstrapResamples: bootstrap,
                                          notice: ResearchUseNotice.text, softwareVersion: SoftwareVersion.current)
            if let compared {
                let other = Evaluator(model: compared, configuration: configuration, threads: threads)
                report.comparison = ModelComparison(
                    baseline: evaluator.modelSummary, baselinePredictions: scored.predictions,
                    candidate: other.modelSummary, candidatePredictions: try other.score(cells).predictions,
                    signed: EvaluationReport.signedDifferentials(scanned), resamples: bootstrap)
            }
            if let json {
                try report.jsonData().write(to: URL(fileURLWithPath: json), options: .atomic)
            }
            if !quiet {
                print(report.tableLines().joined(separator: "\n"))
                print(ResearchUseNotice.text)
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
