import Foundation
import SmearCells
import SmearNet

/// Trains a network on cached cell crops: balanced sampling, augmentation, cross-entropy,
/// gradient clipping, an optimiser on a warm-up + cosine schedule, validation and a
/// checkpoint after every epoch.
///
/// Deterministic for a given seed, whatever `threads` is: the sampler and the augmentation
/// draw from generators seeded by (seed, epoch, position), the network's threads split
/// independent work without changing any sum's order, and the optimiser runs on one thread.
/// So a run resumed from a checkpoint ends with the same bits as one never interrupted.
public final class Trainer {
    /// The network being trained.
    public let network: Network
    public let configuration: TrainingConfiguration
    public let classes: ModelClasses
    private let training: CellImageCache
    private let labels: [Int]
    private let validation: CellImageCache?
    private let validationCrops: [UInt8]
    private let datasets: [CellDataset]
    private let progress: TrainingProgress
    private let batch: TrainingBatch
    private let sampler: ClassBalancedSampler
    private let classWeights: [Float]?

    /// Prepares a run. Every training cell's class must be one of the network's classes.
    public init(network: Network, training: CellImageCache, validation: CellImageCache?, datasets: [CellDataset],
                configuration: TrainingConfiguration, progress: TrainingProgress) throws {
        self.network = network
        self.configuration = configuration
        self.training = training
        self.validation = validation
        self.datasets = datasets
        self.progress = progress
        let description = network.description
        guard description.input.width == description.input.height else {
            throw TrainingError("\(description.name): square inputs only (got \(description.input.width)×\(description.input.height))")
        }
        classes = try ModelClasses(names: description.classes, source: description.name)
        var labels: [Int] = []
        for cell in training.cells {
            guard let index = classes.index(of: cell.cellClass) else {
                throw TrainingError("\(cell.path): class \(cell.cellClass.rawValue) is not among the model's classes")
            }
            labels.append(index)
        }
        guard labels.count >= configuration.batchSize else {
            throw TrainingError("\(labels.count) training images, fewer than one batch of \(configuration.batchSize)")
        }
        self.labels = labels
        network.threads = configuration.threads
        let size = description.input.width
        batch = TrainingBatch(cache: training, augmenter: Augmenter(settings: configuration.augmentation, outputSize: size),
                              seed: configuration.seed, threads: configuration.threads)
        sampler = ClassBalancedSampler(labels: labels, classCount: classes.names.count, power: configuration.balancePower)
        if configuration.lossWeightPower > 0 {
            let counts = (0..<classes.names.count).map { c in labels.filter { $0 == c }.count }
            classWeights = ClassBalancedSampler.lossWeights(classCounts: counts, power: configuration.lossWeightPower)
        } else {
            classWeights = nil
        }
        validationCrops = validation.map { TrainingBatch.centreCrops($0, size: size, threads: configuration.threads) } ?? []
    }

    /// Optimiser steps per epoch (the last partial batch is dropped).
    public var stepsPerEpoch: Int { sampler.epochSize / configuration.batchSize }

    /// The learning-rate schedule of the whole run.
    public var schedule: LearningRateSchedule {
        LearningRateSchedule(baseRate: configuration.learningRate,
                             warmupSteps: Int((configuration.warmupEpochs * Double(stepsPerEpoch)).rounded()),
                             totalSteps: configuration.epochs * stepsPerEpoch, floorFraction: configuration.floorFraction)
    }

    /// Trains from `state` (a fresh run when `nil`) to `configuration.epochs`, calling
    /// `afterEpoch` with the new state after each epoch (to checkpoint it).
    public func train(from state: TrainingState?, optimizerState: OptimizerState?,
                      afterEpoch: (TrainingState, any Optimizer) throws -> Void) throws -> TrainingState {
        var optimizer = try configuration.makeOptimizer()
        if let optimizerState { try optimizer.restore(optimizerState) }
        var state = state ?? TrainingState(completedEpochs: 0, globalStep: 0, configuration: configuration, history: [], elapsedSeconds: 0)
        let schedule = schedule, steps = stepsPerEpoch, size = configuration.batchSize
        let trainable = network.trainableParameters
        let runStart = Date()
        var imagesThisRun = 0
        let remainingImages = Double((configuration.epochs - state.completedEpochs) * steps * size)
        for epoch in state.completedEpochs..<configuration.epochs {
            let epochStart = Date()
            let order = sampler.epoch(epoch, seed: configuration.seed)
            var lossSum = 0.0, correct = 0, seen = 0
            for step in 0..<steps {
                let samples = order[(step * size)..<((step + 1) * size)]
                let bytes = batch.bytes(samples: samples, epoch: epoch, firstPosition: step * size)
                let stepLabels = samples.map { labels[$0] }
                network.zeroGradients()
                let logits = bytes.withUnsafeBufferPointer { network.forward(rgbBytes: $0, batch: size, training: true) }
                correct += Self.correctCount(logits, labels: stepLabels, classes: classes.names.count)
                let loss = network.backward(labels: stepLabels, classWeights: classWeights,
                                            labelSmoothing: Float(configuration.labelSmoothing))
                guard loss.isFinite else {
                    throw TrainingError("loss became \(loss) at epoch \(epoch + 1), step \(step + 1): lower --lr")
                }
                lossSum += Double(loss)
                seen += size
                let rate = schedule.rate(at: state.globalStep)
                Self.step(&optimizer, parameters: trainable, learningRate: Float(rate), clipNorm: configuration.clipNorm)
                state.globalStep += 1
                imagesThisRun += size

                let elapsed = Date().timeIntervalSince(runStart)
                let speed = Double(imagesThisRun) / max(elapsed, 1e-9)
                progress.update(epoch: epoch + 1, epochs: configuration.epochs, step: step + 1, steps: steps,
                                loss: lossSum / Double(step + 1), accuracy: Double(correct) / Double(seen),
                                imagesPerSecond: speed, etaSeconds: (remainingImages - Double(imagesThisRun)) / speed,
                                now: elapsed, force: step + 1 == steps)
            }
            let seconds = Date().timeIntervalSince(epochStart)
            let report = validate()
            let record = EpochRecord(epoch: epoch + 1, steps: steps, loss: lossSum / Double(steps),
                                     accuracy: Double(correct) / Double(seen), learningRate: schedule.rate(at: state.globalStep - 1),
                                     seconds: seconds, imagesPerSecond: Double(seen) / seconds,
                                     validation: report.map(ValidationSummary.init))
            state.history.append(record)
            state.completedEpochs = epoch + 1
            state.elapsedSeconds += Date().timeIntervalSince(epochStart)
            progress.line(Self.describe(record))
            try afterEpoch(state, optimizer)
        }
        return state
    }

    /// One optimiser step over every trainable parameter, after clipping the global norm.
    static func step(_ optimizer: inout any Optimizer, parameters: [Parameter], learningRate: Float, clipNorm: Double) {
        if clipNorm > 0 {
            var sum = 0.0
            for p in parameters { p.withValueAndGradient { _, g in sum += GradientClipping.sumOfSquares(UnsafeBufferPointer(g)) } }
            let factor = GradientClipping.factor(norm: sum.squareRoot(), maxNorm: clipNorm)
            if factor != 1 {
                for p in parameters { p.withValueAndGradient { _, g in for i in g.indices { g[i] *= factor } } }
            }
        }
        optimizer.beginStep()
        for (slot, p) in parameters.enumerated() {
            p.withValueAndGradient { values, gradients in
                optimizer.update(slot: slot, values: values, gradients: UnsafeBufferPointer(gradients),
                                 learningRate: learningRate, decay: p.decays)
            }
        }
    }

    static func correctCount(_ logits: UnsafeBufferPointer<Float>, labels: [Int], classes: Int) -> Int {
        var correct = 0
        for (i, label) in labels.enumerated() {
            var best = 0
            for k in 1..<classes where logits[i * classes + k] > logits[i * classes + best] { best = k }
            if best == label { correct += 1 }
        }
        return correct
    }

    /// The network's predictions on the validation centre crops (inference mode), or `nil`
    /// without a validation set.
    public func validationPredictions() -> [CellPrediction]? {
        guard let validation, !validation.cells.isEmpty else { return nil }
        let size = network.description.input.width, cropBytes = size * size * 3, classCount = classes.names.count
        var predictions: [CellPrediction] = []
        predictions.reserveCapacity(validation.cells.count)
        let chunk = 128
        validationCrops.withUnsafeBufferPointer { crops in
            var start = 0
            while start < validation.cells.count {
                let n = min(chunk, validation.cells.count - start)
                let input = UnsafeBufferPointer(rebasing: crops[(start * cropBytes)..<((start + n) * cropBytes)])
                let probabilities = network.probabilities(rgbBytes: input, batch: n)
                for i in 0..<n {
                    let row = UnsafeBufferPointer(rebasing: probabilities[(i * classCount)..<((i + 1) * classCount)])
                    predictions.append(CellPrediction(cell: validation.cells[start + i], probabilities: classes.inCellClassOrder(row)))
                }
                start += n
            }
        }
        return predictions
    }

    /// Validation figures of the network as it is now.
    public func validate() -> EvaluationReport? {
        guard let predictions = validationPredictions() else { return nil }
        let failed = validation?.failures.map { EvaluationReport.Skipped(path: $0.cell.path, reason: $0.reason, truth: $0.cell.cellClass.rawValue) } ?? []
        return EvaluationReport(predictions: predictions, datasets: datasets,
                                model: .init(name: network.description.name, path: "(in training)", sha256: ""),
                                cropPath: "centre crop of the cached image", failedImages: failed,
                                notice: "", softwareVersion: "")
    }

    /// One line per epoch for the log.
    static func describe(_ r: EpochRecord) -> String {
        var text = String(format: "epoch %d: loss %.4f  acc %.3f  lr %.2e  %.0f img/s  %@",
                          r.epoch, r.loss, r.accuracy, r.learningRate, r.imagesPerSecond, TrainingProgress.duration(r.seconds))
        if let v = r.validation {
            text += String(format: " | validation: acc %.3f  macro-F1 %.3f (≥20: %.3f)  blast sens %.3f spec %.3f AUC %@  ECE %.3f  slide blast MAE %@",
                           v.accuracy, v.macroF1, v.macroF1MinSupport, v.blastSensitivity, v.blastSpecificity,
                           v.blastAUC.map { String(format: "%.4f", $0) } ?? "n/a", v.expectedCalibrationError,
                           v.slideBlastMAE.map { String(format: "%.2f pp", $0) } ?? "n/a")
        }
        return text
    }
}
