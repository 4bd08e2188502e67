import ArgumentParser
import Dispatch
import Foundation
import SmearKernels
import SmearNet

extension TimingClock: ExpressibleByArgument {}

/// `smearscan benchmark core`: per-layer and whole-model speed of the classifier against
/// OpenBLAS's own sgemm speed measured in the same run.
///
/// Each round times the sgemm ceiling, the layers and the whole model back to back, and
/// ratios are taken within a round, so load from other processes on a shared machine
/// affects both sides alike; the median ratio over rounds is reported, with the best
/// absolute figures. FLOPs count a multiply-add as two.
struct BenchmarkCoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract: "Time the classifier per layer and whole, against OpenBLAS's sgemm ceiling."
    )

    @Option(help: "Model or architecture (architectures get seeded random weights).", completion: .file(extensions: ["json"]))
    var model = "Models/architectures/smearnet-s.json"

    @Option(help: "Crops per forward pass.")
    var batch = 32

    @Option(help: "Threads inside each pass (SmearNet's own split; OpenBLAS stays single-threaded).")
    var threads = 1

    @Option(help: "Concurrent single-threaded classifiers, each with its own batches.")
    var workers = 1

    @Option(help: "Measurement rounds.")
    var rounds = 5

    @Option(help: "Side of the square sgemm product used as the ceiling.")
    var gemmSize = 1024

    @Flag(help: "Also time training steps (forward in training mode + backward), per layer.")
    var training = false

    @Option(help: "Write the crops, probabilities and model used into this folder (for Benchmarks/onnx_compare.py).")
    var saveOutputs: String?

    @Option(help: """
        wall; threadCPU: this thread's CPU time (1 thread, 1 worker); processCPU: the process's CPU time divided by the \
        workers (1 thread each, all busy throughout). CPU clocks leave out the time other processes held the cores.
        """)
    var clock: TimingClock = .wall

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard clock != .threadCPU || (threads == 1 && workers == 1) else {
            throw ValidationError("--clock threadCPU measures one thread: use it with --threads 1 --workers 1")
        }
        guard clock != .processCPU || threads == 1 else {
            // Threads inside a pass idle during its serial parts, which CPU time would hide.
            throw ValidationError("--clock processCPU assumes every thread busy throughout: use it with --workers, not --threads")
        }
        guard batch > 0, threads > 0, workers > 0, rounds > 0, gemmSize >= 64 else {
            throw ValidationError("--batch, --threads, --workers and --rounds must be positive, --gemm-size at least 64")
        }
        guard threads == 1 || workers == 1 else {
            throw ValidationError("use one of --threads (one pass split across threads) or --workers (concurrent passes), never both")
        }
    }

    func run() throws {
        let model = try LoadedModel(path: self.model, seed: 1).modelOrRandom()
        let crops = Self.randomCrops(count: batch, bytesPerCrop: model.description.input.shape.count)
        let profiled = try Network(model: model, preparedForInference: true)
        profiled.threads = threads
        let layers = profiled.layerSummaries
        let flops = Double(profiled.flopsPerCrop)
        let classifiers = try (0..<workers).map { _ in try Classifier(model: model, maximumBatch: batch, threads: threads) }
        let trainer = training ? try Network(model: model) : nil
        trainer?.threads = threads

        // Process CPU time counts every busy thread: divide by their number for wall-time figures.
        let clock = ScaledClock(clock: self.clock, threads: self.clock == .processCPU ? max(threads, workers) : 1)
        var ceilings: [Double] = [], throughputs: [Double] = [], layerTimes: [[Double]] = [], trainingRates: [Double] = []
        for _ in 0..<rounds {
            ceilings.append(Self.sgemmGflops(size: gemmSize, threads: max(threads, workers), clock: clock))
            throughputs.append(Self.throughput(classifiers: classifiers, crops: crops, batch: batch, clock: clock))
            layerTimes.append(crops.withUnsafeBufferPointer { profiled.profileLayers(rgbBytes: $0, batch: batch, repeats: 3, clock: clock.clock).map { $0 / clock.threads } })
            if let trainer { trainingRates.append(Self.trainingThroughput(trainer, crops: crops, batch: batch, clock: clock)) }
        }
        let ceiling = ceilings.max()!, cropsPerSecond = throughputs.max()!
        let modelRatio = Self.median(zip(throughputs, ceilings).map { $0 * flops / 1e9 / $1 })
        let rows = layers.indices.map { index in
            let seconds = layerTimes.map { $0[index] }.min()!
            let gflops = Double(layers[index].flops * batch) / seconds / 1e9
            let ratio = Self.median(zip(layerTimes, ceilings).map { Double(layers[index].flops * batch) / $0[index] / 1e9 / $1 })
            return (layer: layers[index], seconds: seconds, gflops: gflops, ratio: ratio)
        }
        var trainingLayers: (forward: [Double], backward: [Double])?
        if let trainer {
            let labels = (0..<batch).map { $0 % trainer.classCount }
            trainingLayers = crops.withUnsafeBufferPointer {
                trainer.profileTrainingStep(rgbBytes: $0, labels: labels, repeats: 3, clock: clock.clock)
            }
            trainingLayers = trainingLayers.map { ($0.forward.map { $0 / clock.threads }, $0.backward.map { $0 / clock.threads }) }
        }
        if let saveOutputs { try save(model: model, crops: crops, to: URL(fileURLWithPath: saveOutputs)) }

        if json {
            var object: [String: Any] = [
                "model": model.description.name, "sha256": model.sha256, "batch": batch, "threads": threads, "workers": workers, "openblasKernels": BLASThreads.kernelName, "kernelTileClasses": RowInvariantGEMM.tile.positionClasses,
                "clock": self.clock.rawValue,
                "sgemmGflops": ceiling, "sgemmSize": gemmSize, "cropsPerSecond": cropsPerSecond,
                "modelGflops": cropsPerSecond * flops / 1e9, "modelRatio": modelRatio, "flopsPerCrop": flops,
                "layers": rows.map { row in
                    ["name": row.layer.name, "kind": row.layer.kind, "flops": row.layer.flops,
                     "millisecondsPerBatch": row.seconds * 1e3, "gflops": row.gflops, "ratio": row.ratio] as [String: Any]
                },
            ]
            if let best = trainingRates.max() { object["trainingImagesPerSecond"] = best }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let pad = { (text: String, width: Int) in text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        let nameWidth = max(5, layers.map(\.name.count).max() ?? 0)
        print("model \(model.description.name) (\(String(format: "%.1f", flops / 1e6)) MFLOPs/crop), batch \(batch), threads \(threads), workers \(workers), clock \(self.clock.rawValue)")
        print(String(format: "OpenBLAS sgemm %d×%d×%d, %d thread(s): %.1f GFLOP/s best of %d rounds (ceiling)",
                     gemmSize, gemmSize, gemmSize, max(threads, workers), ceiling, rounds))
        print("OpenBLAS kernels: \(BLASThreads.kernelName); \(RowInvariantGEMM.tile)")
        print("")
        print(pad("layer", nameWidth) + "  " + pad("kind", 30) + "ms/batch   GFLOP/s  of sgemm")
        for row in rows {
            let ratio = row.layer.flops > 0 ? String(format: "%7.0f%%", 100 * row.ratio) : "       -"
            print(pad(row.layer.name, nameWidth) + "  " + pad(row.layer.kind, 30) + String(format: "%8.3f  %8.1f  ", row.seconds * 1e3, row.gflops) + ratio)
        }
        print(pad("sum", nameWidth + 32) + String(format: "%8.3f", rows.reduce(0) { $0 + $1.seconds } * 1e3))
        print("")
        print(String(format: "whole model: %.0f crops/s, %.1f GFLOP/s, %.0f%% of sgemm (median of rounds)",
                     cropsPerSecond, cropsPerSecond * flops / 1e9, 100 * modelRatio))
        if let best = trainingRates.max(), let trainingLayers {
            print(String(format: "training step (forward in training mode + backward), batch %d: %.0f images/s", batch, best))
            print(pad("layer", nameWidth) + "  forward ms  backward ms")
            for (layer, (f, b)) in zip(trainer?.layerSummaries ?? [], zip(trainingLayers.forward, trainingLayers.backward)) {
                print(pad(layer.name, nameWidth) + String(format: "  %10.3f  %11.3f", f * 1e3, b * 1e3))
            }
            print(String(format: "total: %.1f ms forward, %.1f ms backward per batch",
                         trainingLayers.forward.reduce(0, +) * 1e3, trainingLayers.backward.reduce(0, +) * 1e3))
        }
        let shared = clock.threads > 1 ? " divided by the \(Int(clock.threads)) busy threads" : ""
        print("Machine note: 2 cores, shared with other work while measured" + (self.clock == .wall ? "." : "; times are CPU time\(shared)."))
    }

    /// Writes `crops.u8` (batch × H × W × 3 bytes), `probabilities.f32` (batch × classes,
    /// little-endian Float32) and the model's files, for comparison with another runtime.
    private func save(model: Model, crops: [UInt8], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let saved = try model.write(to: folder.appendingPathComponent("model"))
        let classifier = try Classifier(model: saved, maximumBatch: batch)
        let probabilities = crops.withUnsafeBufferPointer { classifier.classify(rgbCrops: $0, count: batch) }
        try Data(crops).write(to: folder.appendingPathComponent("crops.u8"), options: .atomic)
        try probabilities.withUnsafeBytes { Data($0) }.write(to: folder.appendingPathComponent("probabilities.f32"), options: .atomic)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func randomCrops(count: Int, bytesPerCrop: Int) -> [UInt8] {
        var state: UInt64 = 0x1234_5678
        return (0..<(count * bytesPerCrop)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// GFLOP/s of one square single-precision product with `threads` OpenBLAS threads
    /// (best of three), after which OpenBLAS returns to one thread.
    static func sgemmGflops(size n: Int, threads: Int, clock: ScaledClock) -> Double {
        BLASThreads.set(threads)
        defer { BLASThreads.set(1) }
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = 0.0
        for _ in 0..<3 {
            let seconds = clock.seconds {
                c.withUnsafeMutableBufferPointer { c in
                    GEMM.multiply(m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, c: c.baseAddress!, ldc: n)
                }
            }
            best = max(best, 2 * Double(n) * Double(n) * Double(n) / seconds / 1e9)
        }
        return best
    }

    /// Crops per second of all classifiers running concurrently for about half a second.
    static func throughput(classifiers: [Classifier], crops: [UInt8], batch: Int, clock: ScaledClock) -> Double {
        let passes = max(2, 600 / batch)
        let shared = UncheckedBox(classifiers)
        let work = { (worker: Int) in
            let classifier = shared.value[worker]
            var output = [Float](repeating: 0, count: batch * classifier.classes.count)
            crops.withUnsafeBufferPointer { bytes in
                output.withUnsafeMutableBufferPointer { out in
                    for _ in 0..<passes { classifier.classify(rgbCrops: bytes, count: batch, into: out) }
                }
            }
        }
        let elapsed = clock.seconds {
            if classifiers.count == 1 {
                work(0)  // on this thread, so a thread-CPU clock sees it
            } else {
                let shared = UncheckedBox(work)
                DispatchQueue.concurrentPerform(iterations: classifiers.count) { shared.value($0) }
            }
        }
        return Double(passes * batch * classifiers.count) / elapsed
    }

    /// Training images per second: forward in training mode plus backward of the loss.
    static func trainingThroughput(_ network: Network, crops: [UInt8], batch: Int, clock: ScaledClock) -> Double {
        let labels = (0..<batch).map { $0 % network.classCount }, steps = 2
        let elapsed = clock.seconds {
            for _ in 0..<steps {
                network.zeroGradients()
                crops.withUnsafeBufferPointer { _ = network.forward(rgbBytes: $0, batch: batch, training: true) }
                network.backward(labels: labels)
            }
        }
        return Double(steps * batch) / elapsed
    }
}

/// A timing clock whose CPU seconds are shared out over the threads kept busy.
struct ScaledClock {
    let clock: TimingClock
    let threads: Double

    init(clock: TimingClock, threads: Int) {
        self.clock = clock
        self.threads = Double(threads)
    }

    func seconds(_ body: () -> Void) -> Double { clock.seconds(body) / threads }
}

/// Hands the classifiers to `concurrentPerform` workers; each worker uses only its own.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
