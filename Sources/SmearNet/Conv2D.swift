import SmearKernels

/// 2-D convolution over NHWC images: any square kernel, stride, padding and groups
/// (depthwise when groups == channels), optional bias, and a residual addition and an
/// activation fused into the epilogue when the model is prepared for inference.
///
/// Weight `[C_out, k, k, C_in/groups]`, bias `[C_out]`. Dense convolutions unroll windows
/// (im2col) and call `cblas_sgemm`: each image alone in row blocks sized for OpenBLAS's
/// small-matrix kernels, or, for small maps, several images per product placed by a
/// `RowLayout` (`sharesProducts`); either way a crop's bits never depend on its batch. 1×1
/// stride-1 convolutions multiply the input directly; depthwise ones run a
/// channel-vectorised direct loop.
final class Conv2D: Layer, ActivationFusing {
    let name: String
    let geometry: ConvGeometry
    let outputShape: FeatureShape
    let weight: Parameter
    private(set) var bias: Parameter?
    /// Applied in the epilogue; set only by inference preparation (training keeps activations
    /// as their own layers so their inputs are available to `backward`).
    var activation: Activation = .identity

    /// The most output pixels per GEMM call of an image that runs alone. Maps of at least
    /// this many pixels always run image by image, in row blocks of a size fixed per layer.
    static let rowBlock = 256

    /// Rows aimed at per product for smaller feature maps, which share products across
    /// images: one 16-pixel image alone keeps OpenBLAS re-packing the weights for a thin
    /// product (SmearNet-S 4×4 stage: 62–66 GFLOP/s alone, 101–103 in 256–512-row products).
    static let productRows = 512

    /// The depthwise filters re-laid tap-major (`[k·k, C]`) so each tap is a channel vector.
    private let tapMajor = FloatBuffer()
    /// Dense filters re-laid `[groups][K][C_out/groups]`, so the row-block products are
    /// NoTrans × NoTrans, which OpenBLAS runs faster on the stem's shapes (measured, 0.3.21).
    private let forwardWeights = FloatBuffer()
    /// Whether the weights can no longer change (inference preparation): then the re-laid
    /// copies are made once instead of on every pass.
    var weightsFrozen = false
    private var relaidWeightsAreCurrent = false
    /// Whether a residual input (`inputs[1]`, same shape as the output) is added in the
    /// epilogue before the activation; set only by inference preparation.
    var addsResidual = false

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

    /// Images per product (1 for images that run alone).
    var imagesPerProduct: Int { sharesProducts ? max(1, Self.productRows / geometry.outputPixels) : 1 }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext) {
        let g = geometry, x = inputs[0]
        let epilogue = Epilogue(
            bias: bias.map { UnsafePointer($0.value.baseAddress!) }, residual: addsResidual ? inputs[1] : nil,
            activation: activation, channels: g.outputChannels)
        if g.isDepthwise {
            let w = transposedDepthwiseWeights()
            context.forEach(batch) { image, _ in
                let y = output + image * g.outputCount
                Depthwise.forward(x + image * g.inputCount, weights: w, geometry: g, output: y)
                epilogue.apply(y, firstRow: image * g.outputPixels, rows: g.outputPixels)
            }
        } else if sharesProducts {
            forwardAcrossImages(x, output: output, batch: batch, epilogue: epilogue, context: context)
        } else {
            forwardInRowBlocks(x, output: output, batch: batch, epilogue: epilogue, context: context)
        }
    }

    /// Output pixels per row block when blocks of 8 to `rowBlock` rows fit OpenBLAS's
    /// small-matrix limit (M·N·K ≤ 10⁶): `rowBlock` halved until they do. Its small-matrix
    /// kernels run such thin products much faster than its blocked path (measured, 0.3.21:
    /// 64×32×288 114 vs 91 GFLOP/s at 256 rows; 16×64×576 101 vs 83–85 and 8×128×576 96 vs 89
    /// in 512-row shared products; but 8×128×1152, past the limit, 53). nil when none fits.
    /// A block's shape depends only on the layer, so which kernel OpenBLAS picks never
    /// depends on the batch.
    var smallKernelRows: Int? {
        guard usesSmallKernelPlan else { return nil }
        let g = geometry, perRow = g.groupOutputChannels * g.patchLength
        var rows = Self.rowBlock
        while rows > 8 && rows * perRow > Self.smallMatrixLimit { rows /= 2 }
        return rows * perRow <= Self.smallMatrixLimit ? rows : nil
    }

    /// Whether images share products; otherwise each image runs alone in row blocks of
    /// `rowsPerBlock`. With the small-kernel plan: small maps of layers too wide for the
    /// small-matrix kernels. Otherwise: maps with fewer pixels than the layer has output
    /// channels per group, whose products alone spend more on OpenBLAS re-packing the weights
    /// than on the image (Zen, threadCPU: SmearNet-S's 4×4 stage 77–88% of sgemm shared against
    /// 65% alone; its 8×8 stage, 64 pixels and 64 channels, 64–75% shared against 70–80% alone).
    var sharesProducts: Bool {
        let g = geometry
        if usesSmallKernelPlan { return smallKernelRows == nil && g.outputPixels < Self.rowBlock }
        return g.outputPixels < g.groupOutputChannels
    }

    /// Whether this layer plans for OpenBLAS's small-matrix kernels (`smallKernelsPay`);
    /// tests set it to run both plans on any machine.
    var usesSmallKernelPlan = Conv2D.smallKernelsPay

    /// Whether OpenBLAS runs the SkylakeX/Cooperlake kernels, which have small-matrix kernels
    /// for thin products (and round every row of a tile alike: `RowInvariantGEMM.tile` height 1).
    /// Only there do thin small-kernel row blocks pay. Elsewhere (Haswell/Zen kernels) every
    /// image runs alone in `rowBlock`-row blocks except the smallest maps: SmearNet-S
    /// 1,641–1,682 crops/s against 1,445–1,524 with the thin blocks (session 6, AMD EPYC,
    /// threadCPU). A speed choice: within one machine a crop's bits never depend on its batch
    /// either way.
    static let smallKernelsPay = RowInvariantGEMM.tile.height == 1

    /// Output pixels per row block of an image that runs alone.
    var rowsPerBlock: Int { smallKernelRows ?? Self.rowBlock }

    /// OpenBLAS 0.3.21's `sgemm_small_kernel_permit` (SkylakeX/Cooperlake): M·N·K at most 100³.
    static let smallMatrixLimit = 1_000_000

    /// Each image alone, in row blocks of `rowsPerBlock` output pixels.
    private func forwardInRowBlocks(
        _ x: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, batch: Int, epilogue: Epilogue, context: ExecutionContext
    ) {
        let g = geometry, w = relaidForwardWeights()
        let pixels = g.outputPixels, k = g.patchLength, cog = g.groupOutputChannels, cout = g.outputChannels
        let blockRows = rowsPerBlock, blocks = (pixels + blockRows - 1) / blockRows
        context.forEach(batch * blocks) { item, scratch in
            let image = item / blocks, first = (item % blocks) * blockRows
            let rows = min(blockRows, pixels - first)
            let y = output + image * g.outputCount + first * cout
            if g.isPointwise {
                Self.multiplyNN(m: rows, n: cout, k: k, a: x + image * g.inputCount + first * k, lda: k, b: w, ldb: cout, c: y, ldc: cout)
            } else {
                scratch.columns.reserve(rows * k)
                let columns = scratch.columns.pointer
                for group in 0..<g.groups {
                    Im2Col.pack(x + image * g.inputCount, geometry: g, group: group, pixels: first..<(first + rows), into: columns)
                    Self.multiplyNN(m: rows, n: cog, k: k, a: columns, lda: k, b: w + group * k * cog, ldb: cog, c: y + group * cog, ldc: cout)
                }
            }
            epilogue.apply(y, firstRow: image * pixels + first, rows: rows)
        }
    }

    /// `C = A·B` in K blocks that OpenBLAS will not split again, so its thread count does not
    /// change the bits (see `RowInvariantGEMM`); the row-block shapes never depend on the batch.
    private static func multiplyNN(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        RowInvariantGEMM.forEachKBlock(k) { block, beta in
            GEMM.multiply(m: m, n: n, k: block.count, a: a + block.lowerBound, lda: lda, b: b + block.lowerBound * ldb, ldb: ldb,
                          beta: beta, c: c, ldc: ldc)
        }
    }

    /// Small feature maps: consecutive images share one product of about `productRows` rows,
    /// their rows placed by a `RowLayout`, so every image gets the same bits whichever product
    /// it lands in and wherever in it.
    private func forwardAcrossImages(
        _ x: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, batch: Int, epilogue: Epilogue, context: ExecutionContext
    ) {
        let g = geometry, w = UnsafePointer(weight.value.baseAddress!)
        let pixels = g.outputPixels, k = g.patchLength, cog = g.groupOutputChannels, cout = g.outputChannels
        let perProduct = imagesPerProduct, products = (batch + perProduct - 1) / perProduct
        context.forEach(products) { item, scratch in
            let images = (item * perProduct)..<min(batch, (item + 1) * perProduct)
            let layout = RowLayout(rowsPerCaller: pixels, callers: images.count, n: cog, k: k)
            let y = output + images.lowerBound * g.outputCount, x = x + images.lowerBound * g.inputCount
            if layout.isIdentity && g.isPointwise {
                // A 1×1 convolution multiplies its input as it is.
                RowInvariantGEMM.multiply(m: layout.rows, n: cout, k: k, a: x, lda: k, b: w, ldb: k, c: y, ldc: cout)
            } else {
                scratch.columns.reserve(layout.rows * k)
                let columns = scratch.columns.pointer
                // Unused rows only fill the kernel's tiles; their products are dropped.
                for rows in layout.unusedRows { (columns + rows.lowerBound * k).update(repeating: 0, count: rows.count * k) }
                // The product's rows are the output's own when the layout keeps the images in order.
                let inPlace = layout.isIdentity
                if !inPlace { scratch.products.reserve(layout.rows * cog) }
                let products = scratch.products.pointer
                for group in 0..<g.groups {
                    for run in layout.runs {
                        Im2Col.pack(x + run.caller * g.inputCount, geometry: g, group: group,
                                    pixels: run.firstRow..<(run.firstRow + run.count), into: columns + run.productRow * k)
                    }
                    let weights = w + group * cog * k
                    if inPlace {
                        RowInvariantGEMM.multiply(m: layout.rows, n: cog, k: k, a: columns, lda: k, b: weights, ldb: k, c: y + group * cog, ldc: cout)
                        continue
                    }
                    RowInvariantGEMM.multiply(m: layout.rows, n: cog, k: k, a: columns, lda: k, b: weights, ldb: k, c: products, ldc: cog)
                    for run in layout.runs {
                        let target = y + (run.caller * pixels + run.firstRow) * cout + group * cog, source = products + run.productRow * cog
                        if cog == cout {
                            target.update(from: source, count: run.count * cout)
                        } else {
                            for row in 0..<run.count { (target + row * cout).update(from: source + row * cog, count: cog) }
                        }
                    }
                }
            }
            epilogue.apply(y, firstRow: images.lowerBound * pixels, rows: images.count * pixels)
        }
    }

    /// Output pixels (rows) per backward GEMM: long enough sums for BLAS speed, with bounded scratch.
    static let backwardRows = 2048

    /// Weight gradients of each lane.
    private let laneGradients = (0..<ExecutionContext.reductionLanes).map { _ in FloatBuffer() }

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext
    ) {
        precondition(activation == .identity, "a convolution with a fused activation has no backward pass")
        let g = geometry, x = inputs[0], dx = inputGradients[0]
        let w = UnsafePointer(weight.value.baseAddress!)
        let pixels = g.outputPixels, k = g.patchLength, cog = g.groupOutputChannels, cout = g.outputChannels
        if let bias {
            let db = bias.gradient.baseAddress!
            for row in 0..<(batch * pixels) {
                let r = dy + row * cout
                for c in 0..<cout { db[c] += r[c] }
            }
        }
        let taps = g.isDepthwise ? transposedDepthwiseWeights() : w
        let lanes = min(ExecutionContext.reductionLanes, batch), weightCount = weight.count
        let laneGradients = laneGradients
        // Each run of images sums its own weight gradient; the runs are added in order below.
        context.forEachRun(of: batch) { lane, images, scratch in
            let first = images.lowerBound, n = images.count
            let dw = laneGradients[lane]
            dw.reserve(weightCount)
            dw.zero(weightCount)
            let dyLane = dy + first * g.outputCount, xLane = x + first * g.inputCount
            let dxLane = dx.map { $0 + first * g.inputCount }
            if g.isDepthwise {
                // Tap-major gradient `[k·k, C]`; re-laid when the lanes are added.
                for i in 0..<n {
                    Depthwise.backwardAdd(
                        xLane + i * g.inputCount, weights: taps, geometry: g, outputGradient: dyLane + i * g.outputCount,
                        inputGradient: dxLane.map { $0 + i * g.inputCount }, weightGradient: dw.pointer)
                }
            } else {
                // Sub-chunks of a fixed number of images bound the unrolled scratch.
                let chunk = max(1, Self.backwardRows / pixels)
                if !g.isPointwise {
                    scratch.columns.reserve(min(chunk, n) * pixels * k)
                    if dxLane != nil { scratch.columnGradients.reserve(min(chunk, n) * pixels * k) }
                }
                var start = 0
                while start < n {
                    let m = min(chunk, n - start), beta: Float = start == 0 ? 0 : 1
                    let dyChunk = dyLane + start * g.outputCount, xChunk = xLane + start * g.inputCount
                    let dxChunk = dxLane.map { $0 + start * g.inputCount }
                    if g.isPointwise {
                        GEMM.multiply(transposeA: true, m: cout, n: k, k: m * pixels,
                                      a: dyChunk, lda: cout, b: xChunk, ldb: k, beta: beta, c: dw.pointer, ldc: k)
                        if let dxChunk {
                            GEMM.multiply(m: m * pixels, n: k, k: cout, a: dyChunk, lda: cout, b: w, ldb: k, beta: 1, c: dxChunk, ldc: k)
                        }
                    } else {
                        let columns = scratch.columns.pointer, dColumns = scratch.columnGradients.pointer
                        for group in 0..<g.groups {
                            for i in 0..<m {
                                Im2Col.pack(xChunk + i * g.inputCount, geometry: g, group: group, into: columns + i * pixels * k)
                            }
                            GEMM.multiply(transposeA: true, m: cog, n: k, k: m * pixels,
                                          a: dyChunk + group * cog, lda: cout, b: columns, ldb: k,
                                          beta: beta, c: dw.pointer + group * cog * k, ldc: k)
                            guard let dxChunk else { continue }
                            GEMM.multiply(m: m * pixels, n: k, k: cog, a: dyChunk + group * cog, lda: cout,
                                          b: w + group * cog * k, ldb: k, c: dColumns, ldc: k)
                            for i in 0..<m {
                                Im2Col.scatterAdd(dColumns + i * pixels * k, geometry: g, group: group, into: dxChunk + i * g.inputCount)
                            }
                        }
                    }
                    start += m
                }
            }
        }
        let dw = weight.gradient.baseAddress!
        for lane in 0..<lanes {
            let partial = laneGradients[lane].pointer
            if g.isDepthwise {
                let tapCount = g.kernelHeight * g.kernelWidth
                for c in 0..<g.inputChannels {
                    for t in 0..<tapCount { dw[c * tapCount + t] += partial[t * g.inputChannels + c] }
                }
            } else {
                for i in 0..<weightCount { dw[i] += partial[i] }
            }
        }
    }

    /// The dense filters as `[groups][K][C_out/groups]`.
    private func relaidForwardWeights() -> UnsafePointer<Float> {
        let g = geometry, k = g.patchLength, cog = g.groupOutputChannels
        if weightsFrozen && relaidWeightsAreCurrent { return UnsafePointer(forwardWeights.pointer) }
        forwardWeights.reserve(weight.count)
        let out = forwardWeights.pointer, w = weight.value.baseAddress!
        for group in 0..<g.groups {
            for co in 0..<cog {
                let src = w + (group * cog + co) * k, dst = out + group * k * cog + co
                for i in 0..<k { dst[i * cog] = src[i] }
            }
        }
        relaidWeightsAreCurrent = true
        return UnsafePointer(out)
    }

    /// The depthwise filters re-laid tap-major (`[k·k, C]`), so each tap is a channel vector.
    private func transposedDepthwiseWeights() -> UnsafePointer<Float> {
        let g = geometry, taps = g.kernelHeight * g.kernelWidth, c = g.inputChannels
        if weightsFrozen && relaidWeightsAreCurrent { return UnsafePointer(tapMajor.pointer) }
        relaidWeightsAreCurrent = true
        tapMajor.reserve(taps * c)
        let out = tapMajor.pointer, w = weight.value.baseAddress!
        for ch in 0..<c {
            for t in 0..<taps { out[t * c + ch] = w[ch * taps + t] }
        }
        return UnsafePointer(out)
    }
}

/// What a convolution does to its products before they are final: bias, residual, activation.
private struct Epilogue {
    let bias: UnsafePointer<Float>?
    /// The batch's residual input (same layout as the output), if one is fused.
    let residual: UnsafePointer<Float>?
    let activation: Activation
    let channels: Int

    /// Applies to `rows` output pixels starting at `y`, which are pixels `firstRow...` of the batch.
    func apply(_ y: UnsafeMutablePointer<Float>, firstRow: Int, rows: Int) {
        ActivationKernels.biasActivate(
            y, rows: rows, channels: channels, stride: channels, bias: bias,
            residual: residual.map { $0 + firstRow * channels }, activation: activation)
    }
}
