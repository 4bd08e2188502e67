import Foundation
import SmearNet
import SmearPipeline
import SmearTestSupport
import Testing
@testable import SmearTraining

/// The CI smoke training: a few dozen real PBC cells, a tiny network, a few steps.
@Suite("Training run and evaluation on real cells (smoke)", .enabled(if: SharedData.isAvailable))
struct TrainingRunTests {
    /// `perClass` PBC images of three classes, linked into a fresh class-folder dataset.
    static func miniDataset(in dir: TemporaryDirectory, perClass: Int = 10) throws -> URL {
        let root = dir.file("pbc-mini")
        for cls in ["basophil", "eosinophil", "lymphocyte"] {
            let source = SharedData.url("pbc/\(cls)")
            let target = root.appendingPathComponent(cls)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let names = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().prefix(perClass)
            for name in names {
                try FileManager.default.createSymbolicLink(at: target.appendingPathComponent(name),
                                                           withDestinationURL: source.appendingPathComponent(name))
            }
        }
        return root
    }

    static func architecture(in dir: TemporaryDirectory) throws -> URL {
        var description = TinyTraining.description(inputSize: 16, micronsPerPixel: 1.6)
        description.classes = ["basophil", "eosinophil", "lymphocyte"]
        let url = dir.file("tiny-arch.json")
        try JSONEncoder().encode(description).write(to: url)
        return url
    }

    static func run(_ dataset: URL, arch: URL, out: URL, epochs: Int, threads: Int, resume: Bool = false,
                    fineTune model: URL? = nil) throws -> TrainingState {
        let map = try LabelMap.load(path: SharedData.repositoryRoot.appendingPathComponent("Models/label-map.json").path)
        let configuration = TrainingConfiguration(epochs: epochs, batchSize: 8, learningRate: 5e-3, labelSmoothing: 0,
                                                  balancePower: 0.5, seed: 5, threads: threads)
        return try TrainingRun(datasets: [dataset.path], output: out, start: model.map { .model($0) } ?? .architecture(arch),
                               configuration: configuration,
                               labelMap: map, heldOutSlides: 0, heldOutFraction: 0.2, sourceMicronsPerPixel: 0.1,
                               resume: resume, name: "mini", commandLine: "test")
            .run(progress: TinyTraining.quiet()).state
    }

    @Test("Train a few epochs: outputs written, loss falls, resume continues, same seed gives the same model at 1 or 2 threads")
    func smokeTraining() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let dataset = try Self.miniDataset(in: dir)
        let arch = try Self.architecture(in: dir)
        let out = dir.file("run")
        let state = try Self.run(dataset, arch: arch, out: out, epochs: 4, threads: 2)
        #expect(state.history.count == 4)
        #expect(state.history.last!.loss < state.history.first!.loss)
        for file in ["mini.json", "mini.safetensors", "split.json", "training.json", "validation.json", "validation.txt",
                     "checkpoint/state.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        let split = try TrainingSplit.read(from: out.appendingPathComponent("split.json"))
        #expect(split.parts.first?.validationCount == 6 && split.parts.first?.trainingCount == 24)

        let afterFour = try Model.load(from: out.appendingPathComponent("checkpoint/model"))

        // Resume with more epochs continues from the checkpoint.
        let resumed = try Self.run(dataset, arch: arch, out: out, epochs: 5, threads: 2, resume: true)
        #expect(resumed.completedEpochs == 5 && resumed.history.count == 5)
        #expect(Array(resumed.history.prefix(4).map(\.loss)) == state.history.map(\.loss))

        // The same seed with one thread gives the same model bits.
        let again = dir.file("again")
        _ = try Self.run(dataset, arch: arch, out: again, epochs: 4, threads: 1)
        #expect(try Model.load(from: again.appendingPathComponent("checkpoint/model")).tensors == afterFour.tensors)

        // Fine-tuning starts from the trained weights, not from new ones.
        let tuned = try Self.run(dataset, arch: arch, out: dir.file("tuned"), epochs: 1, threads: 2,
                                 fineTune: out.appendingPathComponent("mini.json"))
        #expect(tuned.history.count == 1 && tuned.history[0].loss < state.history[0].loss)
    }

    @Test("Evaluate a trained model through the pipeline: every image accounted for")
    func smokeEvaluation() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let dataset = try Self.miniDataset(in: dir, perClass: 6)
        let out = dir.file("run")
        _ = try Self.run(dataset, arch: try Self.architecture(in: dir), out: out, epochs: 2, threads: 2)
        let model = try Model.load(from: out.appendingPathComponent("mini"))
        let map = try LabelMap.load(path: SharedData.repositoryRoot.appendingPathComponent("Models/label-map.json").path)
        let scanned = try CellDataset.scan(root: dataset.path, labelMap: map)
        let report = try Evaluator(model: model, configuration: PipelineConfiguration(micronsPerPixel: 0.1), threads: 2)
            .evaluate(scanned.cells, datasets: [scanned], blastThreshold: 0.5, notice: "n", softwareVersion: "v")
        #expect(report.images == 18)
        #expect(report.cellsEvaluated + report.notLocated.count + report.failedImages.count == 18)
        #expect(report.metrics.total == report.cellsEvaluated)
        #expect(report.model.sha256 == model.sha256)
        let sameWithOneThread = try Evaluator(model: model, configuration: PipelineConfiguration(micronsPerPixel: 0.1), threads: 1)
            .evaluate(scanned.cells, datasets: [scanned], blastThreshold: 0.5, notice: "n", softwareVersion: "v")
        #expect(sameWithOneThread == report)
    }
}
