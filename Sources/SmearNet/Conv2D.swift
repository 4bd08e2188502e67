import SmearKernels

/// 2-D convolution over NHWC images: any square kernel, stride, padding and groups
/// (depthwise when groups == channels), optional bias, and an activation fused into the
/// epilogue when the model is prepared for inference.
///
/// Weight `[C_out, k, k, C_in/groups]`, bias `[C_out]`. Dense convolutions unroll windows
/// (im2col) for a few images at a time and call `cblas_sgemm`; 1×1 stride-1 convolutions
/// multiply the input directly; depthwise ones run a channel-vectorised direct loop.
final class Conv2D: Layer {
    let name: String
    let geometry: ConvGeometry
    let outputShape: FeatureShape
    let weight: Parameter
    private(set) var bias: Parameter?
    /// Applied in the epilogue; set only by inference preparation (training keeps activations
    /// as their own layers so their inputs are available to `backward`).
    var activation: Activation = .identity

    /// Output pixels per GEMM call in the forward pass. Calls never span images, and an
    /// image's split never depends on the batch or thread count: OpenBLAS's rounding depends
    /// on a product's shape and on how its own threads split it (measured with 0.3.21), so
    /// SmearNet keeps OpenBLAS single-threaded and fixes the shapes itself.
    static let rowBlock = 256

    /// The depthwise filters re-laid tap-major (`[k·k, C]`) so each tap is a channel vector.
    private let tapMajor = FloatBuffer()

    init(name: String, geometry: ConvGeometry, bias: Bool) {
        self.name = name
        self.geometry = geometry
        outputShape = FeatureShape(height: geometry.outputHeight, width: geometry.outputWidth, channels: geometry.outputChannels)
        weight = Parameter(
            name: name + ".weight",
            shape: [geometry.outputChannels, geometry.kernelHeight, geometry.kernelWidth, geometry.groupInputChannels],
            decays: true)
        self.bias = bias ? Parameter(name: name + ".bias", shape: [geometry.outputChannels]) : nil
    }

    var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    var multiplyAdds: Int { geometry.outputPixels * geometry.outputChannels * geometry.patchLength }

    /// Gives the convolution a bias (zeros) if it has none, e.g. to fold a batch normalisation into it.
    func ensureBias() -> Parameter {
        if let bias { return bias }
        let created = Parameter(name: name + ".bias", shape: [geometry.outputChannels])
        bias = created
        return created
    }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let g = geometry, x = inputs[0]
        let w = UnsafePointer(weight.value.baseAddress!)
        let b = bias.map { UnsafePointer($0.value.baseAddress!) }
        let pixels = g.outputPixels, k = g.patchLength, cog = g.groupOutputChannels, cout = g.outputChannels
        let activation = activation
        if g.isDepthwise {
            let taps = transposedDepthwiseWeights()
            context.forEach(batch) { image, _ in
                let y = output + image * g.outputCount
                Depthwise.forward(x + image * g.inputCount, weights: taps, geometry: g, output: y)
                ActivationKernels.biasActivate(y, rows: pixels, channels: cout, stride: cout, bias: b, activation: activation)
            }
            return
        }
        let blocks = (pixels + Self.rowBlock - 1) / Self.rowBlock
        context.forEach(batch * blocks) { item, scratch in
            let image = item / blocks, first = (item % blocks) * Self.rowBlock
            let rows = min(Self.rowBlock, pixels - first)
            let y = output + image * g.outputCount + first * cout
            if g.isPointwise {
                GEMM.multiply(transposeB: true, m: rows, n: cout, k: k,
                              a: x + image * g.inputCount + first * k, lda: k, b: w, ldb: k, c: y, ldc: cout)
            } else {
                scratch.columns.reserve(rows * k)
                let columns = scratch.columns.pointer
                for group in 0..<g.groups {
                    Im2Col.pack(x + image * g.inputCount, geometry: g, group: group, pixels: first..<(first + rows), into: columns)
                    GEMM.multiply(transposeB: true, m: rows, n: cog, k: k, a: columns, lda: k,
                                  b: w + group * cog * k, ldb: k, c: y + group * cog, ldc: cout)
                }
            }
            ActivationKernels.biasActivate(y, rows: rows, channels: cout, stride: cout, bias: b, activation: activation)
        }
    }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        precondition(activation == .identity, "a convolution with a fused activation has no backward pass")
        let g = geometry, x = inputs[0], dx = inputGradients[0]
        let w = UnsafePointer(weight.value.baseAddress!), dw = weight.gradient.baseAddress!
        let pixels = g.outputPixels, k = g.patchLength, cog = g.groupOutputChannels, cout = g.outputChannels
        let scratch = context.lanes[0]
        if let bias {
            let db = bias.gradient.baseAddress!
            for row in 0..<(batch * pixels) {
                let r = dy + row * cout
                for c in 0..<cout { db[c] += r[c] }
            }
        }
        if g.isDepthwise {
            let taps = transposedDepthwiseWeights()
            let tapCount = g.kernelHeight * g.kernelWidth
            scratch.weightGradients.reserve(tapCount * g.inputChannels)
            let dTaps = scratch.weightGradients.pointer
            dTaps.update(repeating: 0, count: tapCount * g.inputChannels)
            for image in 0..<batch {
                Depthwise.backwardAdd(
                    x + image * g.inputCount, weights: taps, geometry: g,
                    outputGradient: dy + image * g.outputCount,
                    inputGradient: dx.map { $0 + image * g.inputCount }, weightGradient: dTaps)
            }
            for c in 0..<g.inputChannels {
                for t in 0..<tapCount { dw[c * tapCount + t] += dTaps[t * g.inputChannels + c] }
            }
            return
        }
        if !g.isPointwise {
            scratch.columns.reserve(pixels * k)
            scratch.columnGradients.reserve(pixels * k)
        }
        // Images one at a time, in order: the weight gradient's sum has a fixed order.
        for image in 0..<batch {
            let dyImage = dy + image * g.outputCount, xImage = x + image * g.inputCount
            if g.isPointwise {
                GEMM.multiply(transposeA: true, m: cout, n: k, k: pixels,
                              a: dyImage, lda: cout, b: xImage, ldb: k, beta: 1, c: dw, ldc: k)
                if let dx {
                    GEMM.multiply(m: pixels, n: k, k: cout, a: dyImage, lda: cout,
                                  b: w, ldb: k, beta: 1, c: dx + image * g.inputCount, ldc: k)
                }
                continue
            }
            let columns = scratch.columns.pointer, dColumns = scratch.columnGradients.pointer
            for group in 0..<g.groups {
                Im2Col.pack(xImage, geometry: g, group: group, into: columns)
                GEMM.multiply(transposeA: true, m: cog, n: k, k: pixels,
                              a: dyImage + group * cog, lda: cout, b: columns, ldb: k,
                              beta: 1, c: dw + group * cog * k, ldc: k)
                guard let dx else { continue }
                GEMM.multiply(m: pixels, n: k, k: cog, a: dyImage + group * cog, lda: cout,
                              b: w + group * cog * k, ldb: k, c: dColumns, ldc: k)
                Im2Col.scatterAdd(dColumns, geometry: g, group: group, into: dx + image * g.inputCount)
            }
        }
    }

    /// The depthwise filters re-laid tap-major (`[k·k, C]`), so each tap is a channel vector.
    private func transposedDepthwiseWeights() -> UnsafePointer<Float> {
        let g = geometry, taps = g.kernelHeight * g.kernelWidth, c = g.inputChannels
        tapMajor.reserve(taps * c)
        let out = tapMajor.pointer, w = weight.value.baseAddress!
        for ch in 0..<c {
            for t in 0..<taps { out[t * c + ch] = w[ch * taps + t] }
        }
        return UnsafePointer(out)
    }
}
