import ArgumentParser
import Foundation
import SmearTraining

/// `smearscan train`: trains (or fine-tunes) the cell classifier on labelled cell folders.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train or fine-tune the cell classifier on labelled cell images.",
        discussion: """
        Each DATASET is a folder with one subfolder per class, or a CellaVision-style slide \
        layout (<slide>/<label>/*.jpg, optional slides.csv with patient and diagnosis). Folder \
        names go through the label map (Models/label-map.json by default). Slide datasets are \
        split by patient (--holdout-slides), class folders by image (--holdout-fraction); the \
        split is written to DIR/split.json. A checkpoint is written after every epoch; \
        --resume continues from it. Results are the same for a given seed whatever --threads is.
        """
    )

    @Argument(help: "Dataset folders (class folders or slide layout).")
    var datasets: [String]

    @Option(help: "Output folder for the model, split, history and checkpoints.")
    var out: String

    @Option(help: "Architecture description to train from scratch (default: Models/architectures/<default>).")
    var arch: String?

    @Option(name: .customLong("from"), help: "A trained model (.json) to fine-tune instead of starting from scratch.")
    var fromModel: String?

    @Option(help: "Epochs.") var epochs = 12
    @Option(help: "Crops per optimiser step.") var batch = 64
    @Option(help: "Peak learning rate.") var lr = 2e-3
    @Option(help: "Optimiser: adamw or sgd.") var optimizer = "adamw"
    @Option(help: "Weight decay (AdamW decoupled, SGD L2).") var weightDecay = 0.02
    @Option(help: "Class rebalancing of the sampler: 0 natural frequencies … 1 equal per class.") var balance = 0.3
    @Option(help: "Label smoothing.") var labelSmoothing = 0.05
    @Option(help: "Seed of weights, split, sampling and augmentation.") var seed: UInt64 = 1
    @Option(help: "Worker threads (results do not depend on it).") var threads = 2
    @Option(help: "Slides held out per slide-layout dataset (by patient, stratified by diagnosis).") var holdoutSlides = 16
    @Option(help: "Fraction of each class-folder dataset held out (by image).") var holdoutFraction = 0.15
    @Option(help: "Micrometres per pixel of the dataset images (CellaVision: 0.1).") var sourceScale = 0.1
    @Option(help: "Label map (default: Models/label-map.json).") var labelMap: String?
    @Option(help: "Name of the exported model (default: the architecture's).") var name: String?
    @Flag(help: "Train without augmentation.") var noAugmentation = false
    @Flag(help: "Continue from DIR/checkpoint.") var resume = false

    mutating func validate() throws {
        if arch != nil && fromModel != nil { throw ValidationError("use --arch or --from, not both") }
        if epochs < 1 || batch < 1 || threads < 1 { throw ValidationError("--epochs, --batch and --threads must be at least 1") }
        if !(lr > 0) { throw ValidationError("--lr must be positive") }
        if !(0..<1).contains(holdoutFraction) { throw ValidationError("--holdout-fraction must be in [0, 1)") }
        if !(sourceScale > 0) { throw ValidationError("--source-scale must be positive") }
    }

    func run() throws {
        let start: TrainingRun.Start
        if let fromModel {
            start = .model(URL(fileURLWithPath: fromModel))
        } else if let arch {
            start = .architecture(URL(fileURLWithPath: arch))
        } else if let shipped = ShippedModel.folders.map({ $0.appendingPathComponent("architectures/\(Self.defaultArchitecture).json") })
                    .first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            start = .architecture(shipped)
        } else {
            throw ValidationError("no default architecture found (Models/architectures/\(Self.defaultArchitecture).json); pass --arch")
        }
        let configuration = TrainingConfiguration(
            epochs: epochs, batchSize: batch, learningRate: lr, optimizer: optimizer, weightDecay: weightDecay,
            labelSmoothing: labelSmoothing, balancePower: balance, seed: seed, threads: threads,
            augmentation: noAugmentation ? .none : .standard)
        let modelURL: URL? = fromModel.map { URL(fileURLWithPath: $0) }
        let map: LabelMap
        do { map = try ProjectFiles.labelMap(explicit: labelMap, besideModel: modelURL, folders: ShippedModel.folders) } catch {
            throw CommandFailure("\(error)")
        }
        let run = TrainingRun(datasets: datasets, output: URL(fileURLWithPath: out), start: start, configuration: configuration,
                              labelMap: map, heldOutSlides: holdoutSlides, heldOutFraction: holdoutFraction,
                              sourceMicronsPerPixel: sourceScale, resume: resume, name: name,
                              commandLine: (["smearscan"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        do { try run.run(progress: TrainingProgress()) } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// The architecture trained when neither --arch nor --from is given.
    static let defaultArchitecture = "smearnet-s"
}

/// A failure reported as one `error:` line on standard error, exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
