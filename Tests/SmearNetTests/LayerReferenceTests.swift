import Foundation
import Testing
@testable import SmearNet
import SmearKernels

/// Every layer against the Double references, over a grid of shapes.
@Suite struct LayerReferenceTests {
    static let tolerance = 1e-4

    struct ConvCase: CustomStringConvertible, Sendable {
        var h: Int, w: Int, cin: Int, cout: Int, kernel: Int, stride: Int, padding: Int, groups: Int, batch: Int
        var description: String {
            "\(h)x\(w)x\(cin)->\(cout) k\(kernel) s\(stride) p\(padding) g\(groups) n\(batch)"
        }
    }

    static let convCases: [ConvCase] = {
        var cases: [ConvCase] = []
        for (h, w) in [(7, 5), (9, 9)] {
            for kernel in [1, 3, 5] {
                for stride in [1, 2] {
                    for padding in [0, 1, 2] where padding < kernel {
                        for (cin, cout, groups) in [(3, 8, 1), (6, 6, 6), (4, 6, 2), (5, 5, 5)] {
                            for batch in [1, 7] {
                                cases.append(ConvCase(h: h, w: w, cin: cin, cout: cout, kernel: kernel, stride: stride,
                                                      padding: padding, groups: groups, batch: batch))
                            }
                        }
                    }
                }
            }
        }
        // Patch convolutions (kernel = stride, no padding), as SmearNet-FR's stem; 9 and 13 leave
        // a remainder the windows never reach.
        for (h, w) in [(8, 12), (9, 13)] {
            for batch in [1, 7] {
                cases.append(ConvCase(h: h, w: w, cin: 3, cout: 5, kernel: 4, stride: 4, padding: 0, groups: 1, batch: batch))
            }
        }
        return cases
    }()

    @Test(arguments: convCases)
    func convolution(_ c: ConvCase) {
        var random = RandomData(seed: c.description.utf8.reduce(UInt64(17)) { $0 &* 31 &+ UInt64($1) })
        let g = ConvGeometry(inputHeight: c.h, inputWidth: c.w, inputChannels: c.cin, outputChannels: c.cout,
                             kernel: c.kernel, stride: c.stride, padding: c.padding, groups: c.groups)
        for (hasBias, activation) in [(true, Activation.identity), (false, .identity), (true, .relu6), (true, .silu)] {
            let conv = Conv2D(name: "conv", geometry: g, bias: hasBias)
            conv.activation = activation
            let weight = random.floats(conv.weight.count)
            conv.weight.load(weight)
            let bias = hasBias ? random.floats(c.cout) : nil
            if let bias { conv.bias!.load(bias) }
            let x = random.floats(c.batch * g.inputCount)
            let got = conv.run([x], batch: c.batch)
            let expected = Reference.activation(Reference.conv(x, batch: c.batch, g, weight: weight, bias: bias), activation)
            let error = Reference.relativeError(got, expected)
            #expect(error <= Self.tolerance, "\(c) bias \(hasBias) \(activation): relative error \(error)")
        }
    }

    @Test(arguments: [(7, 5, 1, 2, 0, 1), (9, 9, 3, 2, 1, 7), (8, 6, 3, 1, 1, 7), (5, 7, 2, 2, 0, 1), (9, 9, 5, 2, 2, 7)])
    func pooling(h: Int, w: Int, kernel: Int, stride: Int, padding: Int, batch: Int) {
        var random = RandomData(seed: 7)
        let g = ConvGeometry(inputHeight: h, inputWidth: w, inputChannels: 5, outputChannels: 5,
                             kernel: kernel, stride: stride, padding: padding)
        let x = random.floats(batch * g.inputCount)
        for isMax in [true, false] {
            let got = Pool2D(name: "pool", isMax: isMax, geometry: g).run([x], batch: batch)
            let error = Reference.relativeError(got, Reference.pool(x, batch: batch, g, max: isMax))
            #expect(error <= Self.tolerance, "max \(isMax): \(error)")
        }
    }

    @Test(arguments: [1, 7])
    func globalAveragePool(batch: Int) {
        var random = RandomData(seed: 8)
        let shape = FeatureShape(height: 5, width: 7, channels: 9)
        let x = random.floats(batch * shape.count)
        let got = GlobalAvgPool(name: "gap", inputShape: shape).run([x], batch: batch)
        var expected = [Double](repeating: 0, count: batch * 9)
        for n in 0..<batch {
            for p in 0..<35 {
                for c in 0..<9 { expected[n * 9 + c] += Double(x[(n * 35 + p) * 9 + c]) / 35 }
            }
        }
        #expect(Reference.relativeError(got, expected) <= Self.tolerance)
    }

    @Test(arguments: [Activation.relu, .relu6, .silu, .identity])
    func activations(_ kind: Activation) {
        var random = RandomData(seed: 9)
        let shape = FeatureShape(height: 3, width: 5, channels: 7)
        let x = random.floats(7 * shape.count, in: -8...8)
        let got = ActivationLayer(name: "act", activation: kind, shape: shape).run([x], batch: 7)
        #expect(Reference.relativeError(got, Reference.activation(x.map(Double.init), kind)) <= Self.tolerance)
    }

    @Test(arguments: [1, 7])
    func linear(batch: Int) {
        var random = RandomData(seed: 10)
        let layer = Linear(name: "fc", inputCount: 45, outputCount: 13, bias: true)
        let w = random.floats(13 * 45), b = random.floats(13), x = random.floats(batch * 45)
        layer.weight.load(w)
        layer.bias!.load(b)
        var expected = [Double](repeating: 0, count: batch * 13)
        for n in 0..<batch {
            for o in 0..<13 {
                expected[n * 13 + o] = Double(b[o]) + (0..<45).reduce(0.0) { $0 + Double(w[o * 45 + $1]) * Double(x[n * 45 + $1]) }
            }
        }
        #expect(Reference.relativeError(layer.run([x], batch: batch), expected) <= Self.tolerance)
    }

    @Test(arguments: [1, 7])
    func batchNormInference(batch: Int) {
        var random = RandomData(seed: 11)
        let shape = FeatureShape(height: 3, width: 4, channels: 6)
        let norm = BatchNorm(name: "bn", shape: shape, epsilon: 1e-5, momentum: 0.1)
        let gamma = random.floats(6), beta = random.floats(6), mean = random.floats(6), variance = random.floats(6, in: 0.1...2)
        norm.weight.load(gamma); norm.bias.load(beta); norm.runningMean.load(mean); norm.runningVariance.load(variance)
        let x = random.floats(batch * shape.count)
        let expected = x.enumerated().map { i, v -> Double in
            let c = i % 6
            return (Double(v) - Double(mean[c])) / (Double(variance[c]) + 1e-5).squareRoot() * Double(gamma[c]) + Double(beta[c])
        }
        #expect(Reference.relativeError(norm.run([x], batch: batch), expected) <= Self.tolerance)
    }

    @Test func batchNormTrainingUsesBatchStatistics() {
        var random = RandomData(seed: 12)
        let shape = FeatureShape(height: 3, width: 4, channels: 2)
        let norm = BatchNorm(name: "bn", shape: shape, epsilon: 1e-5, momentum: 0.1)
        let x = random.floats(5 * shape.count)
        let y = norm.run([x], batch: 5, training: true)
        for c in 0..<2 {
            let column = stride(from: c, to: x.count, by: 2).map { Double(x[$0]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
            let expected = column.map { ($0 - mean) / (variance + 1e-5).squareRoot() }
            let got = stride(from: c, to: y.count, by: 2).map { y[$0] }
            #expect(Reference.relativeError(got, expected) <= Self.tolerance)
            let unbiased = variance * Double(column.count) / Double(column.count - 1)
            #expect(abs(Double(norm.runningMean.value[c]) - 0.1 * mean) < 1e-6)
            #expect(abs(Double(norm.runningVariance.value[c]) - (0.9 + 0.1 * unbiased)) < 1e-5)
        }
    }

    @Test func batchNormFoldsIntoConvolution() {
        var random = RandomData(seed: 13)
        let g = ConvGeometry(inputHeight: 6, inputWidth: 5, inputChannels: 3, outputChannels: 4, kernel: 3, padding: 1)
        let conv = Conv2D(name: "c", geometry: g, bias: false)
        conv.weight.load(random.floats(conv.weight.count))
        let norm = BatchNorm(name: "bn", shape: conv.outputShape, epsilon: 1e-3, momentum: 0.1)
        norm.weight.load(random.floats(4)); norm.bias.load(random.floats(4))
        norm.runningMean.load(random.floats(4)); norm.runningVariance.load(random.floats(4, in: 0.5...2))
        let x = random.floats(2 * g.inputCount)
        let unfolded = norm.run([conv.run([x], batch: 2)], batch: 2)
        norm.foldInto(conv)
        let folded = conv.run([x], batch: 2)
        #expect(Reference.relativeError(folded, unfolded.map(Double.init)) <= Self.tolerance)
    }

    @Test func addConcatSoftmax() {
        var random = RandomData(seed: 14)
        let a = FeatureShape(height: 3, width: 2, channels: 4), b = FeatureShape(height: 3, width: 2, channels: 3)
        let xa = random.floats(7 * a.count), xa2 = random.floats(7 * a.count), xb = random.floats(7 * b.count)
        let sum = Add(name: "add", shape: a).run([xa, xa2], batch: 7)
        #expect(Reference.relativeError(sum, zip(xa, xa2).map { Double($0) + Double($1) }) <= Self.tolerance)
        let joined = Concat(name: "cat", inputShapes: [a, b]).run([xa, xb], batch: 7)
        var expected: [Double] = []
        for r in 0..<(7 * 6) {
            expected += xa[(r * 4)..<(r * 4 + 4)].map(Double.init) + xb[(r * 3)..<(r * 3 + 3)].map(Double.init)
        }
        #expect(Reference.relativeError(joined, expected) <= Self.tolerance)
        let logits = random.floats(7 * 13, in: -10...10)
        let probabilities = Softmax(name: "sm", shape: FeatureShape(height: 1, width: 1, channels: 13)).run([logits], batch: 7)
        var reference: [Double] = []
        for n in 0..<7 {
            let row = logits[(n * 13)..<(n * 13 + 13)].map(Double.init)
            let total = row.map { exp($0) }.reduce(0, +)
            reference += row.map { exp($0) / total }
        }
        #expect(Reference.relativeError(probabilities, reference) <= Self.tolerance)
    }
}
