import SmearKernels

/// One layer and the values it reads and writes. Value 0 is the network input; values are
/// identified by the index (plus one) of the layer that first produced them.
struct GraphNode {
    let layer: Layer
    var inputs: [Int]
    let output: Int
}

/// A description resolved into layers with checked wiring and shapes.
struct NetworkGraph {
    var nodes: [GraphNode]
    /// Per-image shape of each value id.
    var shapes: [Int: FeatureShape]
    /// The value holding the logits (the input of a final softmax, else the last output).
    var logits: Int

    /// The most values one layer's output may hold per image (4096 x 4096 x 4), so a
    /// description of a few bytes cannot declare a size that overflows or allocates gigabytes.
    static let maximumOutputValues = 1 << 26
    /// The most weight and state values a description may declare when no weights file
    /// bounds them (256 MB of Float, about 100 times SmearScan's models).
    static let maximumParameterValues = 1 << 26

    /// Builds and checks the graph of `description`; errors name `file` and the layer.
    /// `parameterBudget` is the most weight and state values the layers may hold in total:
    /// a loader passes what its weights file contains, so a description asking for more is
    /// refused before its layers allocate anything.
    init(_ description: ModelDescription, file: String, parameterBudget: Int = maximumParameterValues) throws {
        func fail(_ reason: String) -> ModelFileError { ModelFileError(file: file, reason: reason) }
        let input = description.input
        guard input.width > 0, input.height > 0, input.width <= 4096, input.height <= 4096 else {
            throw fail("input size \(input.width)×\(input.height) is not a usable crop size")
        }
        guard input.micrometresPerPixel > 0, input.micrometresPerPixel.isFinite else {
            throw fail("input micrometresPerPixel must be a positive number")
        }
        guard input.mean.count == 3, input.std.count == 3 else { throw fail("input mean and std need 3 values (R, G, B)") }
        guard input.mean.allSatisfy(\.isFinite), input.std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw fail("input mean must be finite and std positive")
        }
        guard !description.classes.isEmpty, Set(description.classes).count == description.classes.count else {
            throw fail("classes must be a non-empty list of distinct names")
        }
        guard !description.layers.isEmpty else { throw fail("the description has no layers") }

        var budget = parameterBudget
        var ids = ["input": 0]
        shapes = [0: input.shape]
        nodes = []
        var previous = 0
        for (index, spec) in description.layers.enumerated() {
            func layerError(_ reason: String) -> ModelFileError { fail("layer '\(spec.name)': \(reason)") }
            guard !spec.name.isEmpty, ids[spec.name] == nil else {
                throw layerError(spec.name.isEmpty ? "empty name" : "name used twice (or reserved)")
            }
            let inputIDs = try (spec.inputs ?? []).map { name -> Int in
                guard let id = ids[name] else { throw layerError("unknown input '\(name)'") }
                return id
            }
            let wired = spec.inputs == nil ? [previous] : inputIDs
            let inputShapes = wired.map { [shapes] in shapes[$0]! }
            let layer = try Self.makeLayer(spec, inputShapes: inputShapes, budget: &budget, fail: layerError)
            let id = index + 1
            nodes.append(GraphNode(layer: layer, inputs: wired, output: id))
            shapes[id] = layer.outputShape
            ids[spec.name] = id
            previous = id
        }
        let last = nodes[nodes.count - 1]
        logits = last.layer is Softmax ? last.inputs[0] : last.output
        let logitsShape = shapes[logits]!
        guard logitsShape.height == 1, logitsShape.width == 1, logitsShape.channels == description.classes.count else {
            throw fail("the network outputs \(logitsShape) per crop but there are \(description.classes.count) classes (expected 1×1×\(description.classes.count))")
        }
    }

    /// Every tensor the model file must hold, in layer order.
    var parameters: [Parameter] { nodes.flatMap { $0.layer.parameters } }

    private static func makeLayer(
        _ spec: LayerSpec, inputShapes: [FeatureShape], budget: inout Int, fail: (String) -> ModelFileError
    ) throws -> Layer {
        /// The product of `factors`, checked against `limit` (and overflow) before any layer
        /// allocates: nil means too large.
        func product(_ factors: [Int], limit: Int) -> Int? {
            var total = 1
            for factor in factors {
                let (next, overflow) = total.multipliedReportingOverflow(by: factor)
                guard !overflow, next <= limit else { return nil }
                total = next
            }
            return total
        }
        /// Takes the parameter tensors' value counts from the budget.
        func reserve(_ tensors: [[Int]]) throws {
            for shape in tensors {
                guard let count = product(shape, limit: budget) else {
                    throw fail("weight \(shape) is too large: far more values than the weights file holds")
                }
                budget -= count
            }
        }
        func checkOutput(_ factors: [Int]) throws {
            guard product(factors, limit: maximumOutputValues) != nil else {
                throw fail("output \(factors.map(String.init).joined(separator: "×")) is too large (more values than \(maximumOutputValues) per image)")
            }
        }
        func single() throws -> FeatureShape {
            guard inputShapes.count == 1 else { throw fail("takes exactly one input, got \(inputShapes.count)") }
            return inputShapes[0]
        }
        func window(_ shape: FeatureShape, outChannels: Int, groups: Int, defaultStride: Int?) throws -> ConvGeometry {
            guard let kernel = spec.kernel, kernel > 0, kernel <= 15 else { throw fail("needs a kernel size from 1 to 15") }
            let stride = spec.stride ?? defaultStride ?? 1, padding = spec.padding ?? 0
            guard stride > 0, stride <= 8 else { throw fail("stride must be 1 to 8") }
            guard padding >= 0, padding < kernel else { throw fail("padding must be 0 to kernel − 1") }
            let g = ConvGeometry(inputHeight: shape.height, inputWidth: shape.width, inputChannels: shape.channels,
                                 outputChannels: outChannels, kernel: kernel, stride: stride, padding: padding, groups: groups)
            guard shape.height + 2 * padding >= kernel, shape.width + 2 * padding >= kernel else {
                throw fail("kernel \(kernel) is larger than its padded \(shape) input")
            }
            return g
        }
        switch spec.type {
        case .conv2d:
            let shape = try single()
            guard let out = spec.outChannels, out > 0 else { throw fail("needs outChannels > 0") }
            let groups = spec.groups ?? 1
            guard groups > 0, shape.channels % groups == 0, out % groups == 0 else {
                throw fail("groups \(groups) must divide input channels \(shape.channels) and outChannels \(out)")
            }
            let geometry = try window(shape, outChannels: out, groups: groups, defaultStride: 1)
            try checkOutput([geometry.outputHeight, geometry.outputWidth, out])
            try reserve([[out, geometry.kernelHeight, geometry.kernelWidth, shape.channels / groups]] + ((spec.bias ?? true) ? [[out]] : []))
            return Conv2D(name: spec.name, geometry: geometry, bias: spec.bias ?? true)
        case .batchnorm:
            let epsilon = spec.epsilon ?? 1e-5, momentum = spec.momentum ?? 0.1
            guard epsilon > 0, momentum >= 0, momentum <= 1 else { throw fail("needs epsilon > 0 and momentum in [0, 1]") }
            let shape = try single()
            try reserve([[shape.channels], [shape.channels], [shape.channels], [shape.channels]])
            return BatchNorm(name: spec.name, shape: shape, epsilon: epsilon, momentum: momentum)
        case .relu: return ActivationLayer(name: spec.name, activation: .relu, shape: try single())
        case .relu6: return ActivationLayer(name: spec.name, activation: .relu6, shape: try single())
        case .silu: return ActivationLayer(name: spec.name, activation: .silu, shape: try single())
        case .maxpool, .avgpool:
            let shape = try single()
            return Pool2D(name: spec.name, isMax: spec.type == .maxpool,
                          geometry: try window(shape, outChannels: shape.channels, groups: 1, defaultStride: spec.kernel))
        case .globalavgpool: return GlobalAvgPool(name: spec.name, inputShape: try single())
        case .linear:
            let shape = try single()
            guard let out = spec.outFeatures, out > 0 else { throw fail("needs outFeatures > 0") }
            try checkOutput([out])
            try reserve([[out, shape.count]] + ((spec.bias ?? true) ? [[out]] : []))
            return Linear(name: spec.name, inputCount: shape.count, outputCount: out, bias: spec.bias ?? true)
        case .add:
            guard inputShapes.count >= 2, Set(inputShapes).count == 1 else {
                throw fail("adds two or more inputs of one shape, got \(inputShapes.map(\.description).joined(separator: ", "))")
            }
            return Add(name: spec.name, shape: inputShapes[0])
        case .concat:
            guard !inputShapes.isEmpty, Set(inputShapes.map { [$0.height, $0.width] }).count == 1 else {
                throw fail("concatenates inputs of one height and width, got \(inputShapes.map(\.description).joined(separator: ", "))")
            }
            try checkOutput([inputShapes[0].height, inputShapes[0].width, inputShapes.reduce(0) { $0 + $1.channels }])
            return Concat(name: spec.name, inputShapes: inputShapes)
        case .softmax: return Softmax(name: spec.name, shape: try single())
        }
    }

    /// Prepares the graph for inference: folds each batch normalisation into the convolution
    /// that alone feeds it, and fuses each activation into the convolution or addition that
    /// alone feeds it.
    mutating func foldForInference() {
        var index = 0
        while index < nodes.count {
            let node = nodes[index]
            let source = node.inputs.first.flatMap { id in nodes.firstIndex { $0.output == id } }
            if let source, let fusing = nodes[source].layer as? ActivationFusing, consumers(of: node.inputs[0]) == 1,
               node.inputs[0] != logits, fusing.activation == .identity {
                if let norm = node.layer as? BatchNorm, let conv = fusing as? Conv2D {
                    norm.foldInto(conv)
                    removeNode(at: index)
                    continue
                }
                if let act = node.layer as? ActivationLayer {
                    fusing.activation = act.activation
                    removeNode(at: index)
                    continue
                }
            }
            index += 1
        }
        fuseResidualAdditions()
        for node in nodes { (node.layer as? Conv2D)?.weightsFrozen = true }
    }

    /// Turns each addition of two values, one of them the output of a convolution that only
    /// this addition reads, into that convolution's epilogue (the addition's activation
    /// follows it). The sums are the same, in the same order, and one pass over the data goes.
    private mutating func fuseResidualAdditions() {
        var index = 0
        while index < nodes.count {
            let node = nodes[index]
            guard let add = node.layer as? Add, node.inputs.count == 2 else {
                index += 1
                continue
            }
            let fusable = node.inputs.indices.compactMap { side -> (conv: Int, residual: Int)? in
                let value = node.inputs[side], residual = node.inputs[1 - side]
                guard let producer = nodes.firstIndex(where: { $0.output == value }),
                      let conv = nodes[producer].layer as? Conv2D, conv.activation == .identity, !conv.addsResidual,
                      value != logits, residual != value, consumers(of: value) == 1 else { return nil }
                // The residual must exist before the convolution runs.
                let residualProducer = nodes.firstIndex { $0.output == residual } ?? -1
                return residualProducer < producer ? (producer, residual) : nil
            }.first
            guard let (producer, residual) = fusable else {
                index += 1
                continue
            }
            let conv = nodes[producer].layer as! Conv2D
            conv.addsResidual = true
            conv.activation = add.activation
            nodes[producer].inputs.append(residual)
            removeNode(at: index, replacement: nodes[producer].output)
        }
    }

    private func consumers(of value: Int) -> Int {
        nodes.reduce(0) { $0 + $1.inputs.filter { $0 == value }.count }
    }

    /// Removes a node, handing `replacement` (by default its first input) to its consumers.
    private mutating func removeNode(at index: Int, replacement: Int? = nil) {
        let removed = nodes.remove(at: index)
        let replacement = replacement ?? removed.inputs[0]
        for i in nodes.indices {
            nodes[i].inputs = nodes[i].inputs.map { $0 == removed.output ? replacement : $0 }
        }
        if logits == removed.output { logits = replacement }
    }

    /// The value the network returns: the last node's output.
    var output: Int { nodes[nodes.count - 1].output }
}
