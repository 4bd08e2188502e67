import Testing
@testable import SmearNet
import SmearKernels

/// Whole random-weight networks: batch size and thread count never change a bit.
@Suite(.serialized) struct DeterminismTests {
    static func crops(_ count: Int, _ description: ModelDescription, seed: UInt64 = 3) -> [UInt8] {
        var random = RandomData(seed: seed)
        return random.bytes(count * description.input.shape.count)
    }

    @Test(arguments: [false, true])
    func batchOfNEqualsNBatchesOfOne(prepared: Bool) throws {
        let description = TestModels.everyLayer()
        let model = try TestModels.randomNetwork(description).exportModel()
        let classifier = try Classifier(model: model, maximumBatch: 16)
        let network = try Network(model: model, preparedForInference: prepared)
        let n = 11, bytes = Self.crops(n, description), per = description.input.shape.count
        let batched = bytes.withUnsafeBufferPointer { Array(network.probabilities(rgbBytes: $0, batch: n)) }
        var single: [Float] = []
        for i in 0..<n {
            single += bytes.withUnsafeBufferPointer {
                Array(network.probabilities(rgbBytes: UnsafeBufferPointer(rebasing: $0[(i * per)..<((i + 1) * per)]), batch: 1))
            }
        }
        #expect(batched == single)
        if prepared {
            #expect(bytes.withUnsafeBufferPointer { classifier.classify(rgbCrops: $0, count: n) } == batched)
        }
    }

    @Test func oneAndTwoThreadsAgree() throws {
        // Several row blocks per image, so a single crop is split between threads too.
        var description = TestModels.everyLayer(height: 64, width: 64)
        description.layers[0].outChannels = 32
        description.layers[3].outChannels = 32
        description.layers[6].outChannels = 32
        description.layers[6].groups = 32
        description.layers[10].outChannels = 96
        let model = try TestModels.randomNetwork(description).exportModel()
        let one = try Classifier(model: model), two = try Classifier(model: model, threads: 2)
        let bytes = Self.crops(9, description)
        let single = bytes.withUnsafeBufferPointer { one.classify(rgbCrops: $0, count: 9) }
        #expect(single == bytes.withUnsafeBufferPointer { two.classify(rgbCrops: $0, count: 9) })
        // A single crop split across threads by row blocks.
        let first = Array(bytes.prefix(description.input.shape.count))
        #expect(one.classify([first]) == two.classify([first]))
        #expect(BLASThreads.current == 1, "SmearNet keeps OpenBLAS single-threaded")
    }

    /// Row blocks on OpenBLAS's small-matrix kernels (every layer but one), K blocks its
    /// drivers would split differently (K = 360, 432), a fused residual addition, a 1×1
    /// convolution, and a 4×4×128 layer too wide for the small-matrix kernels, whose images
    /// share products (16 rows each, more than OpenBLAS's Haswell/Zen tile of 12).
    static func smallMaps() -> ModelDescription {
        ModelDescription(
            name: "test-small-maps", version: "0.0.1", description: "Products shared across images, for tests.",
            input: InputSpec(width: 32, height: 32, micrometresPerPixel: 0.4, mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.22]),
            classes: TestModels.classes,
            layers: [
                LayerSpec(name: "stem", type: .conv2d, outChannels: 40, kernel: 3, stride: 2, padding: 1),
                LayerSpec(name: "stem_act", type: .relu),
                LayerSpec(name: "down1", type: .conv2d, outChannels: 48, kernel: 3, stride: 2, padding: 1),
                LayerSpec(name: "down1_act", type: .relu),
                LayerSpec(name: "down2", type: .conv2d, outChannels: 8, kernel: 3, stride: 2, padding: 1),
                LayerSpec(name: "down2_act", type: .relu),
                LayerSpec(name: "res", type: .conv2d, outChannels: 8, kernel: 3, padding: 1),
                LayerSpec(name: "add", type: .add, inputs: ["res", "down2_act"]),
                LayerSpec(name: "add_act", type: .relu),
                LayerSpec(name: "pw", type: .conv2d, outChannels: 128, kernel: 1),
                LayerSpec(name: "wide", type: .conv2d, outChannels: 128, kernel: 3, padding: 1),
                LayerSpec(name: "gap", type: .globalavgpool),
                LayerSpec(name: "fc", type: .linear, outFeatures: TestModels.classes.count),
            ])
    }

    /// A prepared network whose convolutions plan as for the SkylakeX/Cooperlake kernels
    /// (`usesSmallKernelPlan`: small-kernel row blocks, products shared across images by
    /// wide layers) or as for other kernels (256-row blocks, products shared by the smallest maps).
    static func prepared(_ model: Model, smallKernelPlan: Bool) throws -> Network {
        let network = try Network(model: model, preparedForInference: true)
        for conv in network.graph.nodes.compactMap({ $0.layer as? Conv2D }) { conv.usesSmallKernelPlan = smallKernelPlan }
        return network
    }

    /// Both layer plans, whatever this machine's kernels: a crop's bits depend neither on
    /// its batch (alone, in pairs, in 37) nor on the thread count.
    @Test(arguments: [true, false])
    func sharedProductsKeepBatchesAndThreadsBitExact(smallKernelPlan: Bool) throws {
        let description = Self.smallMaps()
        let model = try TestModels.randomNetwork(description).exportModel()
        let n = 37, bytes = Self.crops(n, description), per = description.input.shape.count
        let network = try Self.prepared(model, smallKernelPlan: smallKernelPlan)
        func run(_ chunk: Int, threads: Int = 1) -> [Float] {
            network.threads = threads
            defer { network.threads = 1 }
            var out: [Float] = []
            for first in stride(from: 0, to: n, by: chunk) {
                let count = min(chunk, n - first)
                out += bytes.withUnsafeBufferPointer {
                    Array(network.probabilities(rgbBytes: UnsafeBufferPointer(rebasing: $0[(first * per)..<((first + count) * per)]), batch: count))
                }
            }
            return out
        }
        let batched = run(n)
        #expect(run(1) == batched)
        #expect(run(2) == batched)
        #expect(run(n, threads: 2) == batched)
        #expect(run(1, threads: 2) == run(1))
        #expect(BLASThreads.current == 1, "SmearNet keeps OpenBLAS single-threaded")
        let sharing = network.graph.nodes.compactMap { $0.layer as? Conv2D }.filter(\.sharesProducts).map(\.name)
        #expect(sharing == (smallKernelPlan ? ["wide"] : ["pw", "wide"]))
        // The residual addition and its activation ran in the convolution's epilogue.
        #expect(!network.layerSummaries.contains { $0.name == "add" })
        #expect(network.layerSummaries.contains { $0.kind.hasSuffix("+add+relu") })
        // The classifier runs this machine's plan.
        if smallKernelPlan == Conv2D.smallKernelsPay {
            let classifier = try Classifier(model: model, maximumBatch: 64)
            #expect(bytes.withUnsafeBufferPointer { classifier.classify(rgbCrops: $0, count: n) } == batched)
        }
    }

    @Test func preparedAndUnpreparedAgree() throws {
        let description = TestModels.everyLayer()
        let model = try TestModels.randomNetwork(description).exportModel()
        let plain = try Network(model: model), prepared = try Network(model: model, preparedForInference: true)
        #expect(prepared.layerMultiplyAdds.count < plain.layerMultiplyAdds.count, "BN and activations should fold")
        let bytes = Self.crops(5, description)
        let a = bytes.withUnsafeBufferPointer { Array(plain.probabilities(rgbBytes: $0, batch: 5)) }
        let b = bytes.withUnsafeBufferPointer { Array(prepared.probabilities(rgbBytes: $0, batch: 5)) }
        #expect(Reference.relativeError(b, a.map(Double.init)) <= 1e-5)
        for row in 0..<5 { #expect(abs(b[(row * 5)..<(row * 5 + 5)].reduce(0, +) - 1) < 1e-5) }
    }
}

/// Training steps give the same loss and gradients whatever the thread count.
@Suite struct TrainingDeterminismTests {
    @Test func gradientsAreIdenticalForOneAndTwoThreads() throws {
        var description = TestModels.everyLayer(height: 40, width: 36)
        description.layers[3].outChannels = 8
        let bytes = DeterminismTests.crops(9, description, seed: 21)
        let labels = [0, 1, 2, 3, 4, 0, 1, 2, 3]
        var results: [[[Float]]] = []
        var losses: [Float] = []
        for threads in [1, 2] {
            let network = try TestModels.randomNetwork(description, seed: 4)
            network.threads = threads
            network.zeroGradients()
            bytes.withUnsafeBufferPointer { _ = network.forward(rgbBytes: $0, batch: 9, training: true) }
            losses.append(network.backward(labels: labels, classWeights: [1, 2, 1, 1, 0.5], labelSmoothing: 0.1))
            results.append(network.parameters.map { p in p.withValueAndGradient { Array($1) } })
        }
        #expect(losses[0] == losses[1])
        #expect(results[0] == results[1])
        #expect(results[0].contains { $0.contains { $0 != 0 } })
    }
}
