/// What one layer of a network is: for `model info` and per-layer benchmarks.
public struct LayerSummary: Sendable, Equatable {
    /// The layer's name.
    public var name: String
    /// Its kind, e.g. `"conv2d 3×3/2 g1"` or `"relu"`.
    public var kind: String
    /// Per-crop output shape.
    public var outputShape: FeatureShape
    /// Stored values (weights and statistics).
    public var parameterCount: Int
    /// Floating-point operations per crop (a multiply-add counts two).
    public var flops: Int
}

extension Network {
    /// One summary per layer, in execution order (after folding, for prepared networks).
    public var layerSummaries: [LayerSummary] {
        graph.nodes.map { node in
            LayerSummary(name: node.layer.name, kind: Self.kind(of: node.layer), outputShape: node.layer.outputShape,
                         parameterCount: node.layer.parameters.reduce(0) { $0 + $1.count },
                         flops: 2 * node.layer.multiplyAdds)
        }
    }

    /// Floating-point operations per crop of the whole network.
    public var flopsPerCrop: Int { layerSummaries.reduce(0) { $0 + $1.flops } }

    /// Stored values of the whole network.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    private static func kind(of layer: Layer) -> String {
        switch layer {
        case let conv as Conv2D:
            let g = conv.geometry
            let kind = g.isDepthwise ? "depthwise" : "conv2d"
            let fused = (conv.addsResidual ? "+add" : "") + (conv.activation == .identity ? "" : "+\(conv.activation.rawValue)")
            return "\(kind) \(g.kernelHeight)×\(g.kernelWidth)/\(g.strideY) p\(g.paddingY) g\(g.groups)\(fused)"
        case is BatchNorm: return "batchnorm"
        case let act as ActivationLayer: return act.activation.rawValue
        case let pool as Pool2D:
            let g = pool.geometry
            return "\(pool.isMax ? "maxpool" : "avgpool") \(g.kernelHeight)×\(g.kernelWidth)/\(g.strideY) p\(g.paddingY)"
        case is GlobalAvgPool: return "globalavgpool"
        case is Linear: return "linear"
        case let add as Add: return add.activation == .identity ? "add" : "add+\(add.activation.rawValue)"
        case is Concat: return "concat"
        case is Softmax: return "softmax"
        default: return String(describing: type(of: layer))
        }
    }
}
