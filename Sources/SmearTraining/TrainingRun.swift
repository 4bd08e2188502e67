import Foundation
import SmearNet

/// A whole `smearscan train` run: datasets through the label map, the patient split,
/// the crop cache, the network (new from an architecture, or fine-tuned from a model),
/// training with a checkpoint per epoch, and the exported model with its split and
/// validation report.
///
/// Output folder:
/// - `<name>.json` + `<name>.safetensors`: the trained model;
/// - `split.json`: which slides/images were held out;
/// - `training.json`: settings, per-epoch history and timings;
/// - `validation.json`, `validation.txt`: the final model on the held-out cells;
/// - `checkpoint/`: the latest epoch (model, optimiser, state) for `--resume`.
public struct TrainingRun {
    /// Where the network comes from.
    public enum Start: Sendable {
        /// A new network from an architecture description (weights drawn from the seed).
        case architecture(URL)
        /// Fine-tuning a trained model.
        case model(URL)
    }

    public var datasets: [String]
    public var output: URL
    public var start: Start
    public var configuration: TrainingConfiguration
    public var labelMap: LabelMap
    public var heldOutSlides: Int
    public var heldOutFraction: Double
    public var sourceMicronsPerPixel: Double
    public var resume: Bool
    /// The exported model's name (default: the architecture's).
    public var name: String?
    /// The exact command line, recorded with the model.
    public var commandLine: String

    public init(datasets: [String], output: URL, start: Start, configuration: TrainingConfiguration, labelMap: LabelMap,
                heldOutSlides: Int, heldOutFraction: Double, sourceMicronsPerPixel: Double, resume: Bool,
                name: String?, commandLine: String) {
        self.datasets = datasets
        self.output = output
        self.start = start
        self.configuration = configuration
        self.labelMap = labelMap
        self.heldOutSlides = heldOutSlides
        self.heldOutFraction = heldOutFraction
        self.sourceMicronsPerPixel = sourceMicronsPerPixel
        self.resume = resume
        self.name = name
        self.commandLine = commandLine
    }

    /// Runs it; progress and log lines go to `progress`.
    @discardableResult
    public func run(progress: TrainingProgress) throws -> (model: Model, report: EvaluationReport?, state: TrainingState) {
        let clock = Date()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let checkpointFolder = output.appendingPathComponent("checkpoint")
        let splitURL = output.appendingPathComponent("split.json")
        var configuration = configuration
        var resumed: (model: Model, optimizer: OptimizerState, state: TrainingState)? = nil
        if resume && Checkpoint.exists(at: checkpointFolder) {
            let loaded = try Checkpoint.load(from: checkpointFolder)
            // The run continues as it began; only the epoch count may grow.
            let epochs = configuration.epochs
            configuration = loaded.state.configuration
            configuration.epochs = max(epochs, loaded.state.completedEpochs)
            resumed = loaded
            progress.line("resuming after epoch \(loaded.state.completedEpochs) of \(configuration.epochs) from \(checkpointFolder.path)")
        }
        // The network first, so a bad architecture or model fails before any scanning.
        let network: Network
        if let resumed {
            network = try Network(model: resumed.model)
        } else {
            switch start {
            case .architecture(let url):
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw TrainingError("\(url.path): cannot be read")
                }
                let description: ModelDescription
                do { description = try JSONDecoder().decode(ModelDescription.self, from: data) } catch {
                    throw TrainingError("\(url.path): not a model description (\(error))")
                }
                network = try Network(description: description, seed: configuration.seed)
            case .model(let url):
                network = try Network(model: try Model.load(from: url))
            }
        }

        let scanned = try datasets.map { try CellDataset.scan(root: $0, labelMap: labelMap) }
        for dataset in scanned { dataset.summaryLines.forEach(progress.line) }
        let split: TrainingSplit
        if resumed != nil {
            split = try TrainingSplit.read(from: splitURL)
        } else {
            split = TrainingSplit.make(datasets: scanned, heldOutSlides: heldOutSlides, imageFraction: heldOutFraction,
                                       seed: configuration.seed)
            try split.write(to: splitURL)
        }
        for part in split.parts {
            progress.line("split \(part.dataset): \(part.trainingCount) training, \(part.validationCount) held out"
                          + (part.heldOutSlides.isEmpty ? "" : " (\(part.heldOutSlides.count) slides: "
                             + part.heldOutSlides.map { "\($0.slide) \($0.diagnosis)" }.joined(separator: ", ") + ")"))
        }

        let input = network.description.input
        let geometry = CropGeometry(inputSize: input.width, inputMicronsPerPixel: input.micrometresPerPixel,
                                    sourceMicronsPerPixel: sourceMicronsPerPixel)
        let context = configuration.augmentation.sourceSize(forOutput: input.width)
        var trainingCells: [LabelledCell] = [], validationCells: [LabelledCell] = []
        for dataset in scanned {
            let (t, v) = split.partition(dataset)
            trainingCells += t
            validationCells += v
        }
        let decodeStart = Date()
        let trainingCache = CellImageCache.load(trainingCells, geometry: geometry, contextSize: context, threads: configuration.threads)
        let validationCache = CellImageCache.load(validationCells, geometry: geometry, contextSize: context, threads: configuration.threads)
        for failure in trainingCache.failures + validationCache.failures {
            progress.line("skipped (cannot decode): \(failure.reason)")
        }
        let unlocated = (trainingCache.unlocated + validationCache.unlocated).reduce(into: [String: Int]()) { $0[$1.cellClass.rawValue, default: 0] += 1 }
        if !unlocated.isEmpty {
            progress.line("no leukocyte located (image centre used): "
                          + unlocated.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        progress.line(String(format: "decoded %d training and %d held-out cells in %.1f s (%d×%d crops at %.2f µm/px)",
                             trainingCache.cells.count, validationCache.cells.count, Date().timeIntervalSince(decodeStart),
                             input.width, input.height, input.micrometresPerPixel))

        let trainer = try Trainer(network: network, training: trainingCache, validation: validationCache,
                                  datasets: scanned, configuration: configuration, progress: progress)
        let state = try trainer.train(from: resumed?.state, optimizerState: resumed?.optimizer) { state, optimizer in
            try Checkpoint.save(network: network, optimizer: optimizer, state: state, to: checkpointFolder)
        }

        // The final model, its description saying how it was made.
        var description = network.description
        description.name = name ?? description.name
        description.description = "SmearScan cell classifier (\(description.classes.count) classes, \(input.width)×\(input.height) px at "
            + "\(input.micrometresPerPixel) µm/px), trained by `\(commandLine)` on "
            + scanned.map(\.name).joined(separator: " + ") + " with seed \(configuration.seed); split in split.json."
        let model = try Model(description: description, tensors: network.exportModel().tensors)
            .write(to: output.appendingPathComponent(description.name))
        let report = trainer.validate().map { report -> EvaluationReport in
            var r = report
            r.model = .init(name: description.name, path: model.descriptionFile, sha256: model.sha256)
            return r
        }
        if let report {
            try report.jsonData().write(to: output.appendingPathComponent("validation.json"), options: .atomic)
            try Data((report.tableLines().joined(separator: "\n") + "\n").utf8)
                .write(to: output.appendingPathComponent("validation.txt"), options: .atomic)
        }
        let record = TrainingRecord(commandLine: commandLine, model: description.name, sha256: model.sha256,
                                    state: state, wallSeconds: Date().timeIntervalSince(clock),
                                    trainingCells: trainingCache.cells.count, validationCells: validationCache.cells.count,
                                    failedImages: (trainingCache.failures + validationCache.failures).map(\.cell.path))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(record).write(to: output.appendingPathComponent("training.json"), options: .atomic)
        progress.line("model written: \(model.descriptionFile) (sha256 \(model.sha256))")
        return (model, report, state)
    }
}

/// `training.json`: how a model was trained.
public struct TrainingRecord: Sendable, Codable, Equatable {
    public var commandLine: String
    public var model: String
    public var sha256: String
    public var state: TrainingState
    /// This invocation's wall time (a resumed run's earlier time is in `state.elapsedSeconds`).
    public var wallSeconds: Double
    public var trainingCells: Int
    public var validationCells: Int
    public var failedImages: [String]
}
