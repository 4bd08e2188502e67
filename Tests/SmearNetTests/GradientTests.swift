import Foundation
import Testing
@testable import SmearNet
import SmearKernels

/// Backward passes against central finite differences of `L = Σ r·forward(x)`.
@Suite struct GradientTests {
    /// Max |analytic − numeric| relative to the largest numeric derivative.
    static let tolerance = 1e-2

    /// Checks a layer's input and parameter gradients at up to `samples` coordinates each.
    static func check(
        _ layer: Layer, inputs: [[Float]], batch: Int, training: Bool = true, samples: Int = 40, step: Float = 1e-3,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var random = RandomData(seed: 77)
        let context = ExecutionContext()
        context.training = training
        let outputCount = batch * layer.outputShape.count
        let r = random.floats(outputCount)
        var inputs = inputs
        func loss(_ inputs: [[Float]]) -> Double {
            let y = layer.run(inputs, batch: batch, training: training)
            return zip(y, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        // Analytic gradients.
        for p in layer.parameters { p.zeroGradient() }
        let output = layer.run(inputs, batch: batch, training: training)
        var inputGradients = inputs.map { [Float](repeating: 0, count: $0.count) }
        withPointers(inputs) { x in
            withMutablePointers(&inputGradients) { dx in
                layer.backward(x, output: output, outputGradient: r, inputGradients: dx, batch: batch, context: context)
            }
        }
        var analytic: [Double] = [], numeric: [Double] = []
        for (index, input) in inputs.enumerated() {
            for i in sampleIndices(input.count, samples) {
                let original = input[i]
                inputs[index][i] = original + step
                let plus = loss(inputs)
                inputs[index][i] = original - step
                let minus = loss(inputs)
                inputs[index][i] = original
                numeric.append((plus - minus) / Double(2 * step))
                analytic.append(Double(inputGradients[index][i]))
            }
        }
        for parameter in layer.parameters where parameter.isTrainable {
            let gradient = Array(parameter.gradient)
            for i in sampleIndices(parameter.count, samples) {
                let original = parameter.value[i]
                parameter.value[i] = original + step
                let plus = loss(inputs)
                parameter.value[i] = original - step
                let minus = loss(inputs)
                parameter.value[i] = original
                numeric.append((plus - minus) / Double(2 * step))
                analytic.append(Double(gradient[i]))
            }
        }
        let scale = max(numeric.map(abs).max() ?? 0, 1e-3)
        let error = zip(analytic, numeric).map { abs($0 - $1) }.max()! / scale
        #expect(error <= tolerance, "\(layer.name): gradient error \(error)", sourceLocation: sourceLocation)
    }

    static func sampleIndices(_ count: Int, _ samples: Int) -> [Int] {
        count <= samples ? Array(0..<count) : (0..<samples).map { $0 * count / samples + ($0 * 7919) % max(count / samples, 1) }
    }

    static func withPointers<R>(_ arrays: [[Float]], _ body: ([UnsafePointer<Float>]) -> R) -> R {
        let copies = arrays.map { array -> UnsafeMutablePointer<Float> in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(array.count, 1))
            p.initialize(from: array, count: array.count)
            return p
        }
        defer { copies.forEach { $0.deallocate() } }
        return body(copies.map { UnsafePointer($0) })
    }

    static func withMutablePointers<R>(_ arrays: inout [[Float]], _ body: ([UnsafeMutablePointer<Float>?]) -> R) -> R {
        let copies = arrays.map { array -> UnsafeMutablePointer<Float> in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(array.count, 1))
            p.initialize(from: array, count: array.count)
            return p
        }
        defer { copies.forEach { $0.deallocate() } }
        let result = body(copies)
        for i in arrays.indices { arrays[i] = Array(UnsafeBufferPointer(start: copies[i], count: arrays[i].count)) }
        return result
    }

    /// Random values kept away from the kinks of ReLU/ReLU6 so differences stay smooth.
    static func smoothInputs(_ count: Int, seed: UInt64, in range: ClosedRange<Float> = -1...1) -> [Float] {
        var random = RandomData(seed: seed)
        return random.floats(count, in: range).map { v in
            var v = v
            for kink: Float in [0, 6] where abs(v - kink) < 0.05 { v = kink + (v < kink ? -0.05 : 0.05) }
            return v
        }
    }

    @Test(arguments: [
        (7, 5, 3, 4, 3, 1, 1, 1), (8, 8, 4, 6, 3, 2, 1, 2), (7, 7, 6, 6, 3, 2, 1, 6), (6, 5, 5, 5, 5, 1, 2, 5),
        (5, 6, 4, 8, 1, 1, 0, 1), (9, 7, 3, 4, 1, 2, 0, 1), (6, 6, 2, 3, 2, 2, 0, 1),
        (7, 6, 3, 5, 3, 1, 0, 1), (6, 7, 2, 4, 5, 1, 1, 1), (8, 5, 3, 3, 5, 1, 2, 1), (5, 5, 2, 2, 2, 1, 1, 1),
        (9, 8, 3, 4, 4, 4, 0, 1),
        // More output pixels than one backward product takes: several chunks per lane.
        (48, 48, 2, 3, 3, 1, 1, 1), (46, 46, 4, 4, 3, 1, 1, 4),
    ])
    func convolution(h: Int, w: Int, cin: Int, cout: Int, kernel: Int, stride: Int, padding: Int, groups: Int) {
        var random = RandomData(seed: UInt64(h * 100 + cin * 10 + kernel))
        let g = ConvGeometry(inputHeight: h, inputWidth: w, inputChannels: cin, outputChannels: cout,
                             kernel: kernel, stride: stride, padding: padding, groups: groups)
        let conv = Conv2D(name: "conv\(h)x\(w)g\(groups)", geometry: g, bias: true)
        conv.weight.load(random.floats(conv.weight.count))
        conv.bias!.load(random.floats(cout))
        // Nine images: four gradient lanes of two or three images each.
        Self.check(conv, inputs: [random.floats(9 * g.inputCount)], batch: 9, samples: h * w > 1000 ? 8 : 40)
    }

    @Test func batchNormTraining() {
        let shape = FeatureShape(height: 3, width: 4, channels: 5)
        let norm = BatchNorm(name: "bn", shape: shape, epsilon: 1e-5, momentum: 0.1)
        var random = RandomData(seed: 5)
        norm.weight.load(random.floats(5, in: 0.5...1.5))
        norm.bias.load(random.floats(5))
        Self.check(norm, inputs: [random.floats(4 * shape.count, in: -2...2)], batch: 4, step: 1e-2)
    }

    @Test func batchNormInferenceMode() {
        let shape = FeatureShape(height: 2, width: 3, channels: 4)
        let norm = BatchNorm(name: "bn-eval", shape: shape, epsilon: 1e-5, momentum: 0.1)
        var random = RandomData(seed: 6)
        norm.runningMean.load(random.floats(4))
        norm.runningVariance.load(random.floats(4, in: 0.5...2))
        Self.check(norm, inputs: [random.floats(3 * shape.count)], batch: 3, training: false)
    }

    @Test(arguments: [Activation.relu, .relu6, .silu])
    func activation(_ kind: Activation) {
        let shape = FeatureShape(height: 3, width: 3, channels: 4)
        let layer = ActivationLayer(name: kind.rawValue, activation: kind, shape: shape)
        Self.check(layer, inputs: [Self.smoothInputs(2 * shape.count, seed: 8, in: -7...7)], batch: 2)
    }

    @Test(arguments: [true, false])
    func pooling(isMax: Bool) {
        let g = ConvGeometry(inputHeight: 7, inputWidth: 6, inputChannels: 3, outputChannels: 3, kernel: 3, stride: 2, padding: 1)
        Self.check(Pool2D(name: isMax ? "max" : "avg", isMax: isMax, geometry: g),
                   inputs: [Self.smoothInputs(2 * g.inputCount, seed: 9)], batch: 2)
    }

    @Test func globalAveragePoolLinearAddConcatSoftmax() {
        var random = RandomData(seed: 10)
        let shape = FeatureShape(height: 3, width: 4, channels: 5)
        Self.check(GlobalAvgPool(name: "gap", inputShape: shape), inputs: [random.floats(2 * shape.count)], batch: 2)
        let fc = Linear(name: "fc", inputCount: shape.count, outputCount: 7, bias: true)
        fc.weight.load(random.floats(fc.weight.count))
        fc.bias!.load(random.floats(7))
        Self.check(fc, inputs: [random.floats(3 * shape.count)], batch: 3)
        Self.check(Add(name: "add", shape: shape), inputs: [random.floats(2 * shape.count), random.floats(2 * shape.count)], batch: 2)
        let other = FeatureShape(height: 3, width: 4, channels: 2)
        Self.check(Concat(name: "cat", inputShapes: [shape, other]),
                   inputs: [random.floats(2 * shape.count), random.floats(2 * other.count)], batch: 2)
        let classes = FeatureShape(height: 1, width: 1, channels: 6)
        Self.check(Softmax(name: "softmax", shape: classes), inputs: [random.floats(4 * 6, in: -3...3)], batch: 4)
    }

    static let lossCases: [(classWeights: [Float]?, smoothing: Float)] = [
        (nil, 0), ([1, 1, 1, 1, 1], 0.1), ([0.5, 2, 1, 3, 0.25], 0.2),
    ]

    @Test(arguments: 0..<3)
    func softmaxCrossEntropy(lossCase: Int) {
        let (classWeights, smoothing) = Self.lossCases[lossCase]
        var random = RandomData(seed: 11)
        var logits = random.floats(4 * 5, in: -3...3)
        let labels = [0, 3, 4, 1]
        var gradient = [Float](repeating: 0, count: 20)
        func loss(_ logits: [Float]) -> Float {
            var scratch = [Float](repeating: 0, count: 20)
            return logits.withUnsafeBufferPointer { z in
                SoftmaxCrossEntropy.lossAndGradient(logits: z, labels: labels, classes: 5, classWeights: classWeights,
                                                    labelSmoothing: smoothing, gradient: &scratch)
            }
        }
        let value = logits.withUnsafeBufferPointer { z in
            SoftmaxCrossEntropy.lossAndGradient(logits: z, labels: labels, classes: 5, classWeights: classWeights,
                                                labelSmoothing: smoothing, gradient: &gradient)
        }
        #expect(value > 0)
        for i in 0..<20 {
            let original = logits[i]
            logits[i] = original + 1e-2
            let plus = loss(logits)
            logits[i] = original - 1e-2
            let minus = loss(logits)
            logits[i] = original
            #expect(abs((plus - minus) / 2e-2 - gradient[i]) < 1e-3, "logit \(i)")
        }
    }

    /// The whole network in training mode (batch-statistics BN, residual add, concat,
    /// depthwise and grouped convolutions) against differences of the cross-entropy loss.
    @Test func wholeNetwork() throws {
        let network = try TestModels.randomNetwork()
        let n = 4, inputCount = network.description.input.shape.count
        let input = Self.smoothInputs(n * inputCount, seed: 12)
        let labels = [0, 2, 4, 1], weights: [Float] = [1, 2, 0.5, 1, 1.5]
        /// The loss recomputed in Double from the logits, so differences are not lost to rounding.
        func loss() -> Double {
            let logits = input.withUnsafeBufferPointer { network.forward(normalized: $0, batch: n, training: true) }
            var total = 0.0, weightSum = 0.0
            for (image, label) in labels.enumerated() {
                let z = (0..<5).map { Double(logits[image * 5 + $0]) }
                let logSum = log(z.map { exp($0) }.reduce(0, +))
                let target = (0..<5).map { $0 == label ? 0.9 + 0.02 : 0.02 }
                total += Double(weights[label]) * zip(z, target).reduce(0.0) { $0 - $1.1 * ($1.0 - logSum) }
                weightSum += Double(weights[label])
            }
            return total / weightSum
        }
        network.zeroGradients()
        input.withUnsafeBufferPointer { _ = network.forward(normalized: $0, batch: n, training: true) }
        let value = network.backward(labels: labels, classWeights: weights, labelSmoothing: 0.1)
        #expect(abs(Double(value) - loss()) < 1e-5)
        var worst = 0.0
        for parameter in network.parameters where parameter.isTrainable {
            let analytic = Array(parameter.gradient)
            var errors: [Double] = [], scale = 1e-3
            for i in Self.sampleIndices(parameter.count, 6) {
                let original = parameter.value[i]
                parameter.value[i] = original + 1e-3
                let plus = loss()
                parameter.value[i] = original - 1e-3
                let minus = loss()
                parameter.value[i] = original
                let numeric = (plus - minus) / 2e-3
                errors.append(abs(numeric - Double(analytic[i])))
                scale = max(scale, abs(numeric))
            }
            let error = errors.max()! / max(scale, 1e-2)
            worst = max(worst, error)
            #expect(error <= 3e-2, "\(parameter.name): \(error)")
        }
        #expect(worst > 0)
    }
}
