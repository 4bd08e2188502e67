/// The sizes of one 2-D convolution or pooling window over an NHWC image.
///
/// Inputs are `height × width × channels` per image (channels fastest); outputs likewise.
/// Windows are `kernelHeight × kernelWidth`, moved by `stride`, over an input padded by
/// `padding` pixels on every side. Dilation is 1.
public struct ConvGeometry: Hashable, Sendable {
    public var inputHeight: Int
    public var inputWidth: Int
    public var inputChannels: Int
    public var outputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideY: Int
    public var strideX: Int
    public var paddingY: Int
    public var paddingX: Int
    public var groups: Int

    /// Creates a square-window geometry.
    public init(
        inputHeight: Int, inputWidth: Int, inputChannels: Int, outputChannels: Int,
        kernel: Int, stride: Int = 1, padding: Int = 0, groups: Int = 1
    ) {
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        kernelHeight = kernel
        kernelWidth = kernel
        strideY = stride
        strideX = stride
        paddingY = padding
        paddingX = padding
        self.groups = groups
    }

    /// Output rows: `(H + 2p − k) / s + 1`.
    @inlinable public var outputHeight: Int { (inputHeight + 2 * paddingY - kernelHeight) / strideY + 1 }
    /// Output columns: `(W + 2p − k) / s + 1`.
    @inlinable public var outputWidth: Int { (inputWidth + 2 * paddingX - kernelWidth) / strideX + 1 }
    /// Output pixels per image.
    @inlinable public var outputPixels: Int { outputHeight * outputWidth }
    /// Input channels seen by one group.
    @inlinable public var groupInputChannels: Int { inputChannels / groups }
    /// Output channels produced by one group.
    @inlinable public var groupOutputChannels: Int { outputChannels / groups }
    /// Length of one unrolled window of one group: `kH·kW·C_in/groups` (the GEMM's K).
    @inlinable public var patchLength: Int { kernelHeight * kernelWidth * groupInputChannels }
    /// Input floats per image.
    @inlinable public var inputCount: Int { inputHeight * inputWidth * inputChannels }
    /// Output floats per image.
    @inlinable public var outputCount: Int { outputPixels * outputChannels }
    /// Whether this is a 1×1, stride-1, unpadded, ungrouped convolution: a plain GEMM
    /// on the input, no unrolling needed.
    /// The input rows covered by output row `oy`'s window, clipped to the image (padding
    /// rows contribute nothing).
    @inlinable public func inputRows(ofOutputRow oy: Int) -> Range<Int> {
        let start = oy * strideY - paddingY
        return Swift.max(start, 0)..<Swift.min(start + kernelHeight, inputHeight)
    }
    /// The input columns covered by output column `ox`'s window, clipped to the image.
    @inlinable public func inputColumns(ofOutputColumn ox: Int) -> Range<Int> {
        let start = ox * strideX - paddingX
        return Swift.max(start, 0)..<Swift.min(start + kernelWidth, inputWidth)
    }
    @inlinable public var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1
            && paddingY == 0 && paddingX == 0 && groups == 1
    }
    /// Whether every channel is its own group with one output each (depthwise).
    @inlinable public var isDepthwise: Bool {
        groups == inputChannels && outputChannels == inputChannels && groups > 1
    }
}
