import Foundation
import SmearCells
import SmearImaging
import SmearNet
import SmearTestSupport
import Testing
@testable import SmearTraining

/// Small networks and synthetic cells, so training runs in a second.
enum TinyTraining {
    static let classes: [CellClass] = [.blast, .lymphocyte, .neutrophil]

    static func description(inputSize: Int = 16, micronsPerPixel: Double = 0.4) -> ModelDescription {
        ModelDescription(
            name: "tiny", version: "0.0.1", description: "test network",
            input: InputSpec(width: inputSize, height: inputSize, micrometresPerPixel: micronsPerPixel,
                             mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]),
            classes: classes.map(\.rawValue),
            layers: [
                LayerSpec(name: "conv", type: .conv2d, outChannels: 6, kernel: 3, stride: 2, padding: 1, bias: false),
                LayerSpec(name: "bn", type: .batchnorm),
                LayerSpec(name: "relu", type: .relu),
                LayerSpec(name: "gap", type: .globalavgpool),
                LayerSpec(name: "fc", type: .linear, outFeatures: classes.count),
            ])
    }

    /// Class `c` is a disc of a class colour on a light background, with noise.
    static func cache(count: Int, seed: UInt64, size: Int = 20) -> CellImageCache {
        var g = SeededGenerator(seed: seed)
        let colours: [(Int, Int, Int)] = [(200, 50, 60), (60, 150, 60), (60, 60, 200)]
        var images: [RGBImage] = [], cells: [LabelledCell] = []
        for i in 0..<count {
            let c = i % classes.count
            let radius = Double.random(in: 4...7, using: &g)
            var image = RGBImage(width: size, height: size, fill: RGB(230, 210, 215))
            for y in 0..<size {
                for x in 0..<size {
                    let d = hypot(Double(x) + 0.5 - Double(size) / 2, Double(y) + 0.5 - Double(size) / 2)
                    let noise = Int.random(in: -12...12, using: &g)
                    if d < radius {
                        let (r, gg, b) = colours[c]
                        image[x, y] = RGB(UInt8(clamping: r + noise), UInt8(clamping: gg + noise), UInt8(clamping: b + noise))
                    }
                }
            }
            images.append(image)
            cells.append(LabelledCell(path: "/synthetic/\(i).png", cellClass: classes[c], label: classes[c].rawValue,
                                      dataset: "synthetic", slide: "S\(i % 2)"))
        }
        return CellImageCache(images: images, cells: cells, failures: [])
    }

    static func configuration(epochs: Int, threads: Int) -> TrainingConfiguration {
        TrainingConfiguration(epochs: epochs, batchSize: 8, learningRate: 1e-2, warmupEpochs: 0.5, clipNorm: 5,
                              labelSmoothing: 0, balancePower: 0.5, seed: 11, threads: threads)
    }

    static func parameters(_ network: Network) -> [[Float]] {
        network.parameters.map { p in p.withValueAndGradient { v, _ in Array(v) } }
    }

    static func quiet() -> TrainingProgress { TrainingProgress(isTerminal: false, plainInterval: .infinity) { _ in } }
}

@Suite("Trainer")
struct TrainerTests {
    @Test("Loss decreases and the network learns synthetic classes")
    func learns() throws {
        let network = try Network(description: TinyTraining.description(), seed: 3)
        let trainer = try Trainer(network: network, training: TinyTraining.cache(count: 48, seed: 1),
                                  validation: TinyTraining.cache(count: 24, seed: 2), datasets: [],
                                  configuration: TinyTraining.configuration(epochs: 6, threads: 2), progress: TinyTraining.quiet())
        let state = try trainer.train(from: nil, optimizerState: nil) { _, _ in }
        #expect(state.history.count == 6 && state.globalStep == 36)
        #expect(state.history.last!.loss < state.history.first!.loss * 0.8)
        #expect(try #require(state.history.last?.validation?.accuracy) > 0.8)
    }

    @Test("Same seed, same weights, whatever the thread count")
    func deterministic() throws {
        var results: [[[Float]]] = []
        for threads in [1, 2, 2] {
            let network = try Network(description: TinyTraining.description(), seed: 3)
            let trainer = try Trainer(network: network, training: TinyTraining.cache(count: 32, seed: 1), validation: nil,
                                      datasets: [], configuration: TinyTraining.configuration(epochs: 2, threads: threads),
                                      progress: TinyTraining.quiet())
            _ = try trainer.train(from: nil, optimizerState: nil) { _, _ in }
            results.append(TinyTraining.parameters(network))
        }
        #expect(results[0] == results[1] && results[1] == results[2])
    }

    @Test("Resuming from a checkpoint ends with the same bits as an uninterrupted run")
    func resume() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let data = TinyTraining.cache(count: 32, seed: 1)
        let full = try Network(description: TinyTraining.description(), seed: 3)
        _ = try Trainer(network: full, training: data, validation: nil, datasets: [],
                        configuration: TinyTraining.configuration(epochs: 3, threads: 2), progress: TinyTraining.quiet())
            .train(from: nil, optimizerState: nil) { _, _ in }

        // Killed after epoch 1 (the checkpoint is all that survives), then continued in a new network.
        struct Killed: Error {}
        let folder = dir.file("checkpoint")
        let first = try Network(description: TinyTraining.description(), seed: 3)
        #expect(throws: Killed.self) {
            _ = try Trainer(network: first, training: data, validation: nil, datasets: [],
                            configuration: TinyTraining.configuration(epochs: 3, threads: 2), progress: TinyTraining.quiet())
                .train(from: nil, optimizerState: nil) { state, optimizer in
                    try Checkpoint.save(network: first, optimizer: optimizer, state: state, to: folder)
                    throw Killed()
                }
        }
        let saved = try Checkpoint.load(from: folder)
        #expect(saved.state.completedEpochs == 1)
        let resumed = try Network(model: saved.model)
        let state = try Trainer(network: resumed, training: data, validation: nil, datasets: [],
                                configuration: TinyTraining.configuration(epochs: 3, threads: 1), progress: TinyTraining.quiet())
            .train(from: saved.state, optimizerState: saved.optimizer) { _, _ in }
        #expect(state.completedEpochs == 3)
        #expect(TinyTraining.parameters(resumed) == TinyTraining.parameters(full))
    }

    @Test("A checkpoint interrupted between its two renames is still found")
    func checkpointFallback() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let network = try Network(description: TinyTraining.description(), seed: 3)
        let folder = dir.file("checkpoint")
        let state = TrainingState(completedEpochs: 2, globalStep: 7, configuration: TinyTraining.configuration(epochs: 3, threads: 1),
                                  history: [], elapsedSeconds: 1)
        try Checkpoint.save(network: network, optimizer: AdamW(), state: state, to: folder)
        try FileManager.default.moveItem(at: folder, to: folder.appendingPathExtension("previous"))
        #expect(Checkpoint.exists(at: folder))
        #expect(try Checkpoint.load(from: folder).state == state)
    }

    @Test("A class the model lacks is a clear error")
    func missingClass() throws {
        var data = TinyTraining.cache(count: 16, seed: 1)
        data.cells[0].cellClass = .basophil
        let network = try Network(description: TinyTraining.description(), seed: 3)
        #expect(throws: TrainingError("/synthetic/0.png: class basophil is not among the model's classes")) {
            _ = try Trainer(network: network, training: data, validation: nil, datasets: [],
                            configuration: TinyTraining.configuration(epochs: 1, threads: 1), progress: TinyTraining.quiet())
        }
    }
}
