import Dispatch
import Foundation
import SmearPipeline
import Synchronization

/// What a batch run is asked to do.
public struct BatchOptions: Sendable {
    public var inputs: [String]
    public var layout: SlideDiscovery.Layout
    public var outputFolder: String
    /// Worker threads (images analysed in parallel).
    public var jobs: Int
    /// Skip slides whose outputs are complete and whose inputs are unchanged.
    public var resume: Bool
    public var parameters: AnalysisParameters
    public var model: ModelIdentity
    /// Encodes report thumbnails; nil gives reports without pictures.
    public var thumbnailEncoder: ThumbnailEncoder?
    /// Only the slides of this shard, or nil for all.
    public var shard: Shard?

    public init(inputs: [String], layout: SlideDiscovery.Layout = .batchRoots, outputFolder: String,
                jobs: Int, resume: Bool = false, parameters: AnalysisParameters = AnalysisParameters(),
                model: ModelIdentity, thumbnailEncoder: ThumbnailEncoder? = nil, shard: Shard? = nil) {
        self.inputs = inputs
        self.layout = layout
        self.outputFolder = outputFolder
        self.jobs = jobs
        self.resume = resume
        self.parameters = parameters
        self.model = model
        self.thumbnailEncoder = thumbnailEncoder
        self.shard = shard
    }
}

/// How a batch ended.
public struct BatchOutcome: Sendable {
    /// Every slide's overview, in processing order.
    public var slides: [SlideOverview] = []
    public var slidesAnalyzed = 0
    public var slidesResumed = 0
    public var imagesFailed = 0
    public var cellsLocated = 0

    /// 0, or 2 when some images failed.
    public var exitCode: AnalyzeExitCode { imagesFailed > 0 ? .someImagesFailed : .success }
}

/// Runs `analyze` over a batch: discovers slides, analyses their images on worker threads,
/// writes each slide's outputs and the batch's `slides.csv`.
///
/// Slides are done one after another, the images of a slide in parallel; results are put
/// back in image order before anything is written, so outputs do not depend on `jobs`.
/// A failed image is listed and the batch goes on; an output that cannot be written stops
/// the batch (slides finished before stay complete, with their manifests).
public struct BatchRunner: Sendable {
    public static let slidesFile = "slides.csv"

    public let options: BatchOptions
    public let progress: ProgressReporter
    /// Receives one JSON line per finished slide (`--jsonl`), or nil.
    public let jsonLines: (@Sendable (String) -> Void)?
    /// Makes one analyzer per worker thread.
    public let makeAnalyzer: @Sendable () throws -> any ImageAnalyzer

    public init(options: BatchOptions, progress: ProgressReporter, jsonLines: (@Sendable (String) -> Void)? = nil,
                makeAnalyzer: @escaping @Sendable () throws -> any ImageAnalyzer) {
        self.options = options
        self.progress = progress
        self.jsonLines = jsonLines
        self.makeAnalyzer = makeAnalyzer
    }

    /// Runs the batch.
    public func run() throws(AnalyzeError) -> BatchOutcome {
        let output = options.outputFolder
        do { try POSIXFile.makeDirectories(output) } catch {
            throw AnalyzeError(.output, "cannot create output folder \(output): \(error.reason)")
        }
        let excluded: Set<FileIdentity> = FileIdentity(path: output).map { [$0] } ?? []
        if let input = options.inputs.first(where: { FileIdentity(path: $0).map(excluded.contains) == true }) {
            throw AnalyzeError(.usage, "the output folder \(output) is the input folder \(input); inputs are never written to, choose another --out")
        }
        let lock = try OutputLock(folder: output)
        defer { lock.release() }
        do { try OutputFile.removeLeftovers(in: output) } catch {
            throw AnalyzeError(.output, error.description)
        }
        var slides = try SlideDiscovery.slides(in: options.inputs, layout: options.layout, excluding: excluded)
        if let shard = options.shard {
            let all = slides.count
            slides = slides.filter { shard.contains(slide: $0.name) }
            progress.note("shard \(shard): \(slides.count) of \(all) slides")
        }
        if let clash = slides.first(where: { $0.name == Self.slidesFile }) {
            throw AnalyzeError(.usage, "slide folder \(clash.folder) is named like the batch table \(Self.slidesFile)")
        }
        progress.batchStarted(slides: slides.count)
        if slides.isEmpty { progress.warning("no slides found in \(options.inputs.joined(separator: ", "))") }

        var outcome = BatchOutcome()
        var workers: AnalysisWorkers?
        defer { workers?.shutdown(); progress.batchFinished() }
        let report = ReportHTMLWriter()
        for slide in slides {
            let folder = SlideDiscovery.join(output, slide.name)
            let inventory: SlideInventory
            do { inventory = try SlideDiscovery.inventory(of: slide, excluding: excluded) } catch {
                inventory = SlideInventory(unusable: [ImageFailure(path: ".", reason: error.description)])
            }
            let key = ResumeManifest.Key(slide: slide.name, inventory: inventory, model: options.model,
                                         parameters: options.parameters)
            if options.resume, let manifest = ResumeManifest.load(from: folder), manifest.key == key,
               manifest.outputsIntact(in: folder) {
                outcome.slidesResumed += 1
                outcome.imagesFailed += manifest.overview.imagesFailed
                outcome.slides.append(manifest.overview)
                progress.slideFinished(manifest.overview, resumed: true)
                jsonLines?(manifest.overview.json(status: "unchanged", outputFolder: folder).serialized(pretty: false))
                continue
            }
            if workers == nil && !inventory.images.isEmpty {
                do {
                    workers = try AnalysisWorkers(count: options.jobs, capacity: 4 * options.jobs, makeAnalyzer: makeAnalyzer)
                } catch let error as AnalyzeError {
                    throw error
                } catch {
                    throw AnalyzeError(.unusableModel, "cannot start the analysis: \(error)")
                }
            }
            let result = analyze(slide, inventory: inventory, workers: workers)
            for failure in result.failures { progress.warning("\(slide.name)/\(failure.path): \(failure.reason)") }
            let manifest: ResumeManifest
            do { manifest = try SlideOutputs.write(result, key: key, to: folder, report: report) } catch {
                throw AnalyzeError(.output, "cannot write the results of slide \(slide.name): \(error)")
            }
            outcome.slidesAnalyzed += 1
            outcome.imagesFailed += result.failures.count
            outcome.cellsLocated += result.counts.cellsLocated
            outcome.slides.append(manifest.overview)
            progress.slideFinished(manifest.overview, resumed: false)
            jsonLines?(manifest.overview.json(status: "analyzed", outputFolder: folder).serialized(pretty: false))
        }
        do { try OutputFile.write(SlidesCSVWriter.csv(for: outcome.slides), to: SlideDiscovery.join(output, Self.slidesFile)) } catch {
            throw AnalyzeError(.output, "cannot write the batch table: \(error)")
        }
        return outcome
    }

    /// Analyses every image of a slide on the workers and assembles the result.
    ///
    /// Without a given scale, a sample of the slide's images is measured first and their
    /// median scale used for every image of the same size (`SlideScale`).
    private func analyze(_ slide: SlideSource, inventory: SlideInventory, workers: AnalysisWorkers?) -> SlideResult {
        let collector = SlideCollector(slide: slide, inventory: inventory, parameters: options.parameters,
                                       encoder: options.thumbnailEncoder)
        progress.slideStarted(slide.name, images: inventory.images.count)
        guard let workers else { return collector.finish(model: options.model, slideScale: nil) }
        let paths = inventory.images.map { SlideDiscovery.join(slide.folder, $0.path) }
        let slideScale = options.parameters.scaleMicronsPerPixel == nil ? measureScale(of: paths, on: workers) : nil
        let group = DispatchGroup()
        let progress = self.progress
        // A few consecutive images per job, their cells classified together (a single-cell
        // export has one or two cells an image), but never so few jobs that a worker idles.
        let perJob = max(1, min(Self.imagesPerJob, paths.count / options.jobs))
        for first in stride(from: 0, to: paths.count, by: perJob) {
            let indices = first..<min(paths.count, first + perJob)
            group.enter()
            workers.submit { analyzer in
                let results = analyzer.analyze(imagesAt: indices.map { URL(fileURLWithPath: paths[$0]) }, slideScale: slideScale)
                for (index, result) in zip(indices, results) { progress.imageFinished(cells: collector.record(index, result)) }
                group.leave()
            }
        }
        group.wait()
        return collector.finish(model: options.model, slideScale: slideScale)
    }

    /// Images per job at most: four single-cell images (a cell or two each) with their views
    /// make passes of a few dozen crops, where the network runs near its batched speed.
    static let imagesPerJob = 4

    /// The slide's scale from its sample images, measured on the workers (an image that
    /// cannot be read is left out here and reported when it is analysed).
    private func measureScale(of paths: [String], on workers: AnalysisWorkers) -> SlideScale {
        let indices = SlideScale.sampleIndices(imageCount: paths.count)
        let samples = Mutex([ScaleSample?](repeating: nil, count: indices.count))
        let group = DispatchGroup()
        for (slot, index) in indices.enumerated() {
            group.enter()
            workers.submit { analyzer in
                let sample = try? analyzer.measureScale(imageAt: URL(fileURLWithPath: paths[index]))
                samples.withLock { $0[slot] = sample }
                group.leave()
            }
        }
        group.wait()
        return SlideScale(samples: samples.withLock { $0.compactMap { $0 } })
    }
}
