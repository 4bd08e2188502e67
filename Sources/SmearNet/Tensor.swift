/// A named array of Float32 values with a shape, as stored in model files and passed
/// across SmearNet's API.
///
/// Layout: activations are **NHWC** (batch first, channels fastest). NHWC was chosen
/// because (1) crops arrive as interleaved RGB, which is already HWC; (2) a convolution's
/// unrolled windows and its output are then plain row-major GEMM operands, and a 1×1
/// convolution needs no unrolling at all; (3) depthwise convolution, pooling, batch
/// normalisation and the bias + activation epilogue all run over contiguous channel vectors,
/// which the compiler vectorises. Weight layouts are given with each layer
/// (convolutions `[C_out, kH, kW, C_in/groups]`, fully connected `[out, in]`).
public struct Tensor: Sendable, Equatable {
    /// The extent of each dimension, outermost first.
    public var shape: [Int]
    /// The values in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// Creates a tensor; `scalars.count` must equal the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(scalars.count == shape.reduce(1, *), "tensor shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// The number of values.
    public var count: Int { scalars.count }
}

/// The shape of one image's activation: `height × width × channels` (NHWC without N).
public struct FeatureShape: Hashable, Sendable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// Values per image.
    public var count: Int { height * width * channels }

    public var description: String { "\(height)×\(width)×\(channels)" }
}
