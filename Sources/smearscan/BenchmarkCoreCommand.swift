import ArgumentParser
import Dispatch
import Foundation
import SmearKernels
import SmearNet

/// `smearscan benchmark core`: per-layer and whole-model speed of the classifier against
/// OpenBLAS's own sgemm speed measured in the same run.
///
/// Every figure is the best of several rounds, which filters out other processes on a
/// shared machine. FLOPs count a multiply-add as two.
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

    @Option(help: "Rounds per measurement; the fastest is reported.")
    var rounds = 5

    @Option(help: "Side of the square sgemm product used as the ceiling.")
    var gemmSize = 1024

    @Flag(help: "Also time training steps (forward in training mode + backward).")
    var training = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard batch > 0, threads > 0, workers > 0, rounds > 0, gemmSize >= 64 else {
            throw ValidationError("--batch, --threads, --workers and --rounds must be positive, --gemm-size at least 64")
        }
        guard threads == 1 || workers == 1 else {
            throw ValidationError("use --threads (one pass split across threads) or --workers (concurrent passes), not both")
        }
    }

    func run() throws {
        let loaded = try LoadedModel(path: model, seed: 1)
        let model = try loaded.modelOrRandom()
        let parallelism = max(threads, workers)
        let ceiling = Self.sgemmCeiling(size: gemmSize, threads: parallelism, rounds: rounds)
        BLASThreads.set(1)

        let crops = Self.randomCrops(count: batch, bytesPerCrop: model.description.input.shape.count)
        let profiled = try Network(model: model, preparedForInference: true)
        profiled.threads = threads
        let layers = profiled.layerSummaries
        let perLayer = crops.withUnsafeBufferPointer { bytes in
            (0..<rounds).map { _ in profiled.profileLayers(rgbBytes: bytes, batch: batch, repeats: 3) }
                .reduce([Double](repeating: .infinity, count: layers.count)) { zip($0, $1).map { min($0, $1) } }
        }

        let classifiers = try (0..<workers).map { _ in try Classifier(model: model, maximumBatch: batch, threads: threads) }
        let cropsPerSecond = Self.throughput(classifiers: classifiers, crops: crops, batch: batch, rounds: rounds)
        let flops = Double(profiled.flopsPerCrop)
        let modelGflops = cropsPerSecond * flops / 1e9

        var trainingImagesPerSecond: Double?
        if training {
            trainingImagesPerSecond = try Self.trainingThroughput(model: model, crops: crops, batch: batch, threads: threads, rounds: rounds)
        }

        let rows = zip(layers, perLayer).map { layer, seconds in
            (layer: layer, seconds: seconds, gflops: Double(layer.flops * batch) / seconds / 1e9)
        }
        if json {
            let object: [String: Any] = [
                "model": model.description.name, "sha256": model.sha256, "batch": batch, "threads": threads, "workers": workers,
                "sgemmGflops": ceiling, "sgemmSize": gemmSize, "cropsPerSecond": cropsPerSecond, "modelGflops": modelGflops,
                "modelRatio": modelGflops / ceiling, "flopsPerCrop": flops,
                "trainingImagesPerSecond": trainingImagesPerSecond as Any,
                "layers": rows.map { row in
                    ["name": row.layer.name, "kind": row.layer.kind, "flops": row.layer.flops,
                     "millisecondsPerBatch": row.seconds * 1e3, "gflops": row.gflops, "ratio": row.gflops / ceiling] as [String: Any]
                },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("model \(model.description.name) (\(String(format: "%.1f", flops / 1e6)) MFLOPs/crop), batch \(batch), threads \(threads), workers \(workers)")
        print(String(format: "OpenBLAS sgemm %d×%d×%d with %d thread(s): %.1f GFLOP/s (ceiling)", gemmSize, gemmSize, gemmSize, parallelism, ceiling))
        print("")
        let nameWidth = max(5, layers.map(\.name.count).max() ?? 0)
        print("layer".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  kind                          ms/batch   GFLOP/s  of sgemm")
        for row in rows {
            let ratio = row.layer.flops > 0 ? String(format: "%7.0f%%", 100 * row.gflops / ceiling) : "       -"
            print(row.layer.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                  + row.layer.kind.padding(toLength: 29, withPad: " ", startingAt: 0)
                  + String(format: "%8.3f  %8.1f  ", row.seconds * 1e3, row.gflops) + ratio)
        }
        let layerTotal = perLayer.reduce(0, +)
        print(String(format: "%@  %@%8.3f", "sum".padding(toLength: nameWidth, withPad: " ", startingAt: 0),
                     "".padding(toLength: 29, withPad: " ", startingAt: 0), layerTotal * 1e3))
        print("")
        print(String(format: "whole model: %.0f crops/s, %.1f GFLOP/s = %.0f%% of sgemm", cropsPerSecond, modelGflops, 100 * modelGflops / ceiling))
        if let trainingImagesPerSecond {
            print(String(format: "training (forward + backward, batch %d): %.0f images/s", batch, trainingImagesPerSecond))
            let network = try Network(model: model)
            network.threads = threads
            let labels = (0..<batch).map { $0 % network.classCount }
            let (forward, backward) = crops.withUnsafeBufferPointer { network.profileTrainingStep(rgbBytes: $0, labels: labels, repeats: 3) }
            print("training step per layer (ms per batch, forward / backward):")
            for (layer, (f, b)) in zip(network.layerSummaries, zip(forward, backward)) {
                print(layer.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + String(format: "  %8.3f  %8.3f", f * 1e3, b * 1e3))
            }
            print(String(format: "total: %.1f ms forward, %.1f ms backward", forward.reduce(0, +) * 1e3, backward.reduce(0, +) * 1e3))
        }
        print("Machine note: 2 cores shared with other work; figures are the best of \(rounds) rounds.")
    }

    static func randomCrops(count: Int, bytesPerCrop: Int) -> [UInt8] {
        var state: UInt64 = 0x1234_5678
        return (0..<(count * bytesPerCrop)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// Best GFLOP/s of a square single-precision product with `threads` OpenBLAS threads.
    static func sgemmCeiling(size n: Int, threads: Int, rounds: Int) -> Double {
        BLASThreads.set(threads)
        defer { BLASThreads.set(1) }
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = 0.0
        for _ in 0..<(rounds + 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            c.withUnsafeMutableBufferPointer { c in
                GEMM.multiply(m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, c: c.baseAddress!, ldc: n)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            best = max(best, 2 * Double(n) * Double(n) * Double(n) / seconds / 1e9)
        }
        return best
    }

    /// Crops per second of all classifiers running concurrently (best round).
    static func throughput(classifiers: [Classifier], crops: [UInt8], batch: Int, rounds: Int) -> Double {
        let passes = max(2, Int(0.3 * 2000 / Double(batch)))
        let outputs = UncheckedBox(classifiers.map { [Float](repeating: 0, count: batch * $0.classes.count) })
        let shared = UncheckedBox(classifiers)
        var best = 0.0
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            DispatchQueue.concurrentPerform(iterations: classifiers.count) { worker in
                var output = outputs.value[worker]
                crops.withUnsafeBufferPointer { bytes in
                    output.withUnsafeMutableBufferPointer { out in
                        for _ in 0..<passes { shared.value[worker].classify(rgbCrops: bytes, count: batch, into: out) }
                    }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            best = max(best, Double(passes * batch * classifiers.count) / seconds)
        }
        return best
    }

    /// Training images per second: forward in training mode plus backward of the loss.
    static func trainingThroughput(model: Model, crops: [UInt8], batch: Int, threads: Int, rounds: Int) throws -> Double {
        let network = try Network(model: model)
        network.threads = threads
        let labels = (0..<batch).map { $0 % network.classCount }
        var best = 0.0
        for _ in 0..<rounds {
            let steps = 3
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<steps {
                network.zeroGradients()
                crops.withUnsafeBufferPointer { _ = network.forward(rgbBytes: $0, batch: batch, training: true) }
                network.backward(labels: labels)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            best = max(best, Double(steps * batch) / seconds)
        }
        return best
    }
}

/// Hands values to `concurrentPerform` workers; each worker touches only its own element.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
