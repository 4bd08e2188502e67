@testable import SmearNet

/// Small descriptions exercising every layer kind, for whole-network tests.
enum TestModels {
    static let classes = ["a", "b", "c", "d", "e"]

    /// A little residual + inverted-bottleneck network over 13×11 crops using every layer kind.
    static func everyLayer(height: Int = 13, width: Int = 11) -> ModelDescription {
        ModelDescription(
            name: "test-every-layer", version: "0.0.1", description: "Every layer kind, for tests.",
            input: InputSpec(width: width, height: height, micrometresPerPixel: 0.4,
                             mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.22]),
            classes: classes,
            layers: [
                LayerSpec(name: "stem", type: .conv2d, outChannels: 8, kernel: 3, stride: 2, padding: 1, bias: false),
                LayerSpec(name: "stem_bn", type: .batchnorm),
                LayerSpec(name: "stem_act", type: .relu),
                LayerSpec(name: "b1_conv1", type: .conv2d, outChannels: 8, kernel: 3, padding: 1, bias: false),
                LayerSpec(name: "b1_bn1", type: .batchnorm),
                LayerSpec(name: "b1_act1", type: .relu6),
                LayerSpec(name: "b1_dw", type: .conv2d, outChannels: 8, kernel: 3, padding: 1, groups: 8),
                LayerSpec(name: "b1_bn2", type: .batchnorm),
                LayerSpec(name: "b1_add", type: .add, inputs: ["b1_bn2", "stem_act"]),
                LayerSpec(name: "b1_act2", type: .silu),
                LayerSpec(name: "pw", type: .conv2d, outChannels: 12, kernel: 1),
                LayerSpec(name: "max", type: .maxpool, inputs: ["pw"], kernel: 3, stride: 2, padding: 1),
                LayerSpec(name: "avg", type: .avgpool, inputs: ["pw"], kernel: 3, stride: 2, padding: 1),
                LayerSpec(name: "grouped", type: .conv2d, inputs: ["avg"], outChannels: 6, kernel: 3, padding: 1, groups: 2),
                LayerSpec(name: "cat", type: .concat, inputs: ["max", "grouped"]),
                LayerSpec(name: "cat_act", type: .relu),
                LayerSpec(name: "gap", type: .globalavgpool),
                LayerSpec(name: "fc", type: .linear, outFeatures: classes.count),
                LayerSpec(name: "prob", type: .softmax),
            ])
    }

    /// A network with random weights and non-trivial BN statistics.
    static func randomNetwork(_ description: ModelDescription = everyLayer(), seed: UInt64 = 1) throws -> Network {
        let network = try Network(description: description, seed: seed)
        var random = RandomData(seed: seed &+ 99)
        for parameter in network.parameters where !parameter.name.hasSuffix(".weight") || parameter.shape.count == 1 {
            let isVariance = parameter.name.hasSuffix("running_var")
            parameter.load(random.floats(parameter.count, in: isVariance ? 0.5...2 : -0.5...0.5).map {
                parameter.name.hasSuffix(".weight") ? 1 + $0 : $0
            })
        }
        return network
    }
}
