import ArgumentParser
import Foundation
import SmearImaging
import SmearNet
import SmearPipeline
import SmearSlides

/// `smearscan analyze INPUT... --out DIR`: per-slide summaries, flags and review reports.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse slide folders: count and classify white cells, flag blasts, write per-slide reports.",
        discussion: """
            Each INPUT is a folder whose subfolders are slides (images lying directly in it form \
            one more slide, named after it); with --slide each INPUT is one slide. Every PNG or \
            JPEG anywhere below a slide folder belongs to it (recognised by content); hidden \
            files and other files are skipped. Input folders are never written to.

            For each slide, DIR/<slide>/ receives summary.json, cells.csv, report.html and \
            manifest.json (written last: it marks the slide complete). DIR/slides.csv lists \
            every slide of the batch. Every file is written to a temporary name and renamed. \
            With --resume, slides whose outputs are complete and whose inputs (names, sizes, \
            modification times), model and parameters are unchanged are kept; the rest are \
            redone. One run at a time per output folder (DIR/.smearscan.lock).

            Progress goes to standard error (a bar on a terminal, one line per slide \
            otherwise); --jsonl writes one JSON object per finished slide to standard output.

            \(AnalyzeExitCode.helpText)

            \(ResearchUseNotice.text)
            """
    )

    @Argument(help: "Batch folders (subfolders are slides), or slide folders with --slide.", completion: .directory)
    var inputs: [String]

    @Option(name: .customLong("out"), help: "Output folder (created if missing).", completion: .directory)
    var outputFolder: String

    @Option(help: "Model: <name>.json with <name>.safetensors beside it (default: the shipped model in Models/).",
            completion: .file(extensions: ["json"]))
    var model: String?

    @Option(help: "Images analysed in parallel (default: the number of cores, or 1 with --classifier-threads).")
    var jobs: Int?

    @Option(name: [.customLong("classifier-threads"), .customLong("blas-threads")],
            help: "Threads inside each classification, for single-image latency; needs one job (never both). Same results. (--blas-threads: its former name.)")
    var classifierThreads: Int = 1

    @Flag(help: "Treat each INPUT as one slide.")
    var slide = false

    @Option(help: ArgumentHelp("Analyse only shard K of N (K/N): the slides a fixed hash of their names assigns to it. Run K = 1…N on N machines, each with its own --out.", valueName: "K/N"))
    var shard: String?

    @Flag(help: "Keep slides whose outputs are complete and whose inputs, model and parameters are unchanged.")
    var resume = false

    @Flag(help: "No progress or warnings on standard error (errors still).")
    var quiet = false

    @Flag(help: "Write one JSON object per finished slide to standard output.")
    var jsonl = false

    @Option(help: "Image scale in µm per pixel (default: measured from the red cells of a sample of each slide's images; CellaVision exports are 0.1).")
    var scale: Double?

    @Option(help: "Refuse images larger than this many megapixels (checked before decoding; keeps memory bounded).")
    var maxMegapixels: Double = AnalysisParameters().maxMegapixels

    @Flag(help: "Count only the whole cell nearest each image's centre: for single-cell exports (CellaVision), where each counted cell has its own image and neighbours at the edges would be counted twice. Others stay listed in cells.csv.")
    var oneCellPerImage = false

    @Option(help: "Flipped and turned views of each cell averaged by the classifier, 1–8 (4 by default; 1 is about 2× faster end to end and a little less accurate, 8 about 1.7× slower).")
    var views: Int = AnalysisParameters().views

    @OptionGroup(title: "Thresholds (written into each summary's parameters)")
    var thresholds: ThresholdOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if classifierThreads < 1 { throw ValidationError("--classifier-threads must be at least 1") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/4 (got \(shard))") }
        if classifierThreads > 1, let jobs, jobs > 1 {
            throw ValidationError("--classifier-threads \(classifierThreads) needs --jobs 1: threads inside a classification and parallel images never run together")
        }
        if let scale, !(scale > 0 && scale.isFinite) { throw ValidationError("--scale must be a positive number of µm per pixel") }
        guard maxMegapixels > 0 && maxMegapixels.isFinite else { throw ValidationError("--max-megapixels must be positive") }
        guard (1...DihedralViews.count).contains(views) else { throw ValidationError("--views must be 1 to \(DihedralViews.count)") }
        try thresholds.validate()
    }

    func run() throws {
        // Under a file-size limit (ulimit -f) a write must fail with EFBIG and be reported,
        // not kill the process with SIGXFSZ halfway through a slide.
        signal(SIGXFSZ, SIG_IGN)
        let mode = ProgressReporter.automaticMode(quiet: quiet)
        let progress = ProgressReporter(mode: mode)
        do {
            let loaded = try loadModel()
            var parameters = thresholds.parameters
            parameters.scaleMicronsPerPixel = scale
            parameters.maxMegapixels = maxMegapixels
            parameters.views = views
            parameters.oneCellPerImage = oneCellPerImage
            let configuration = PipelineConfiguration(micronsPerPixel: scale, thumbnailSize: Self.thumbnailSize,
                                                      maxMegapixels: maxMegapixels, classifierThreads: classifierThreads, views: views)
            // Checks the model's classes once, before any thread starts.
            do { _ = try CellPipeline(model: loaded, configuration: configuration) } catch {
                throw AnalyzeError(.unusableModel, "model \(loaded.descriptionFile) cannot be used: \(error)")
            }
            let options = BatchOptions(
                inputs: inputs, layout: slide ? .slideFolders : .batchRoots, outputFolder: outputFolder,
                jobs: jobs ?? (classifierThreads > 1 ? 1 : ProcessInfo.processInfo.activeProcessorCount),
                resume: resume, parameters: parameters,
                model: ModelIdentity(name: loaded.description.name, sha256: loaded.sha256),
                thumbnailEncoder: Self.encodeThumbnail, shard: shard.flatMap(Shard.init))
            let writeLine: @Sendable (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
            let gate = LargeImageGate()
            let makeAnalyzer: @Sendable () throws -> any ImageAnalyzer = {
                try CellPipeline(model: loaded, configuration: configuration, largeImageGate: gate)
            }
            let runner = BatchRunner(options: options, progress: progress, jsonLines: jsonl ? writeLine : nil,
                                     makeAnalyzer: makeAnalyzer)
            let outcome = try runner.run()
            progress.note("\(outcome.slidesAnalyzed) slide(s) analysed, \(outcome.slidesResumed) kept, "
                + "\(outcome.imagesFailed) image(s) failed. Reports: \(outputFolder)/<slide>/report.html; batch table: \(outputFolder)/\(BatchRunner.slidesFile). "
                + ResearchUseNotice.text)
            if outcome.exitCode != .success { throw ExitCode(outcome.exitCode.rawValue) }
        } catch let error as AnalyzeError {
            FileHandle.standardError.write(Data("smearscan analyze: error: \(error.message)\n".utf8))
            throw ExitCode(AnalyzeExitCode(error).rawValue)
        }
    }

    /// Report thumbnails as JPEG (a tenth of PNG's size for stained cells).
    @Sendable static func encodeThumbnail(_ image: RGBImage) throws -> EncodedImage {
        EncodedImage(bytes: try JPEGEncoder.encode(image, quality: 85), mimeType: "image/jpeg")
    }

    /// Thumbnail side in the report, pixels.
    static let thumbnailSize = 96

    /// The model named by --model, or the shipped one.
    private func loadModel() throws(AnalyzeError) -> Model {
        guard let path = model ?? ShippedModel.path() else {
            throw AnalyzeError(.unusableModel, "no model given and no shipped model found (looked in \(ShippedModel.folders.map(\.path).joined(separator: ", "))); pass --model PATH")
        }
        do { return try Model.load(from: URL(fileURLWithPath: path)) } catch {
            throw AnalyzeError(.unusableModel, "cannot load model: \(error)")
        }
    }
}

/// The thresholds of the slide flags, as options.
struct ThresholdOptions: ParsableArguments {
    private static let defaults = AnalysisParameters()

    @Option(help: "WHO AML blast threshold, percent of leukocytes.")
    var whoBlastPercent: Double = defaults.whoBlastPercent
    @Option(help: "ICC blast threshold, percent of leukocytes.")
    var iccBlastPercent: Double = defaults.iccBlastPercent
    @Option(help: "Flag promyelocytes at or above this percent of leukocytes (possible APL).")
    var promyelocytePercent: Double = defaults.promyelocytePercent
    @Option(help: "Flag slides with fewer counted leukocytes than this.")
    var minLeukocytes: Int = defaults.minimumLeukocytes
    @Option(help: "A cell whose top class probability is below this is low-confidence.")
    var lowConfidence: Double = defaults.lowConfidence
    @Option(help: "Flag slides where at least this percent of counted cells are low-confidence.")
    var lowConfidencePercent: Double = defaults.lowConfidencePercent
    @Option(help: "An image is blurred when its focus measure (variance of the Laplacian of the nucleus map, (OD/µm²)²) is below this; 0 disables.")
    var blurThreshold: Double = defaults.blurFocusThreshold
    @Option(help: "Flag slides where at least this percent of images are blurred.")
    var blurredPercent: Double = defaults.blurredPercent
    @Option(help: "Cells with at least this blast probability go to the review gallery.")
    var reviewBlastProbability: Double = defaults.reviewBlastProbability
    @Option(help: "Cells per class in the report's sample of other cells.")
    var samplePerClass: Int = defaults.samplePerClass

    func validate() throws {
        for (name, value) in [("--who-blast-percent", whoBlastPercent), ("--icc-blast-percent", iccBlastPercent),
                              ("--promyelocyte-percent", promyelocytePercent), ("--low-confidence-percent", lowConfidencePercent),
                              ("--blurred-percent", blurredPercent)] where !(0...100).contains(value) {
            throw ValidationError("\(name) must be a percentage between 0 and 100")
        }
        for (name, value) in [("--low-confidence", lowConfidence), ("--review-blast-probability", reviewBlastProbability)]
        where !(0...1).contains(value) {
            throw ValidationError("\(name) must be a probability between 0 and 1")
        }
        guard minLeukocytes >= 1 else { throw ValidationError("--min-leukocytes must be at least 1") }
        guard samplePerClass >= 0 else { throw ValidationError("--sample-per-class must not be negative") }
        guard blurThreshold >= 0 && blurThreshold.isFinite else { throw ValidationError("--blur-threshold must not be negative") }
    }

    var parameters: AnalysisParameters {
        var p = AnalysisParameters()
        p.whoBlastPercent = whoBlastPercent
        p.iccBlastPercent = iccBlastPercent
        p.promyelocytePercent = promyelocytePercent
        p.minimumLeukocytes = minLeukocytes
        p.lowConfidence = lowConfidence
        p.lowConfidencePercent = lowConfidencePercent
        p.blurFocusThreshold = blurThreshold
        p.blurredPercent = blurredPercent
        p.reviewBlastProbability = reviewBlastProbability
        p.samplePerClass = samplePerClass
        return p
    }
}
