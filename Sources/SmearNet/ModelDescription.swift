import Foundation
/// The JSON half of a model: architecture, input specification, classes and provenance.
///
/// Stored as `<name>.json` beside `<name>.safetensors`. Layers run in the order listed;
/// each reads the outputs named in `inputs` (`"input"` is the normalised image; omitted
/// `inputs` means the previous layer). The last layer's output is the logits, or the
/// probabilities when the last layer is `softmax`.
public struct ModelDescription: Codable, Sendable, Equatable {
    /// Short identifier, e.g. `"smearnet-s"`.
    public var name: String
    /// The model's version, e.g. `"1.0.0"`.
    public var version: String
    /// What the model is and how it was made.
    public var description: String
    /// What the network expects as input.
    public var input: InputSpec
    /// Class names in output order.
    public var classes: [String]
    /// The layers, in execution order.
    public var layers: [LayerSpec]

    public init(name: String, version: String, description: String, input: InputSpec, classes: [String], layers: [LayerSpec]) {
        self.name = name
        self.version = version
        self.description = description
        self.input = input
        self.classes = classes
        self.layers = layers
    }
}

/// The crop a model expects: size, scale and per-channel normalisation.
public struct InputSpec: Codable, Sendable, Equatable {
    /// Crop width in pixels.
    public var width: Int
    /// Crop height in pixels.
    public var height: Int
    /// Image scale the model was trained at, in micrometres per pixel.
    public var micrometresPerPixel: Double
    /// Per-channel (R, G, B) mean on the 0–1 scale, subtracted before dividing by `std`.
    public var mean: [Float]
    /// Per-channel (R, G, B) standard deviation on the 0–1 scale.
    public var std: [Float]

    public init(width: Int, height: Int, micrometresPerPixel: Double, mean: [Float], std: [Float]) {
        self.width = width
        self.height = height
        self.micrometresPerPixel = micrometresPerPixel
        self.mean = mean
        self.std = std
    }

    /// Input channels: always RGB.
    public var channels: Int { 3 }

    /// The per-image input shape.
    public var shape: FeatureShape { FeatureShape(height: height, width: width, channels: channels) }
}

/// The kinds of layer a description can use.
public enum LayerKind: String, Codable, Sendable, CaseIterable {
    /// 2-D convolution: `outChannels`, `kernel`, `stride` (1), `padding` (0), `groups` (1),
    /// `bias` (true). Weight `[C_out, k, k, C_in/groups]`, bias `[C_out]`.
    case conv2d
    /// Batch normalisation over channels: `epsilon` (1e-5), `momentum` (0.1). Tensors
    /// `weight`, `bias`, `running_mean`, `running_var`, each `[C]`.
    case batchnorm
    case relu
    case relu6
    case silu
    /// Max pooling: `kernel`, `stride` (= kernel), `padding` (0).
    case maxpool
    /// Average pooling, padding excluded from the count: `kernel`, `stride` (= kernel), `padding` (0).
    case avgpool
    /// Mean over all pixels: `H×W×C → 1×1×C`.
    case globalavgpool
    /// Fully connected over the flattened (H, W, C) input: `outFeatures`, `bias` (true).
    /// Weight `[out, in]`, bias `[out]`.
    case linear
    /// Elementwise sum of two or more inputs of equal shape.
    case add
    /// Concatenation along channels of inputs of equal height and width.
    case concat
    /// Softmax over channels at each pixel.
    case softmax
}

extension ModelDescription {
    /// Reads a description file (e.g. an architecture in `Models/architectures/`), checking
    /// that it builds; errors name the file and layer.
    public static func load(from url: URL) throws -> ModelDescription {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelFileError(file: url.path, reason: "cannot be read (\((error as NSError).localizedDescription))")
        }
        let description = try decode(data, file: url.path)
        _ = try NetworkGraph(description, file: url.path)
        return description
    }

    /// Decodes description JSON, turning decoding errors into one-line `ModelFileError`s.
    static func decode(_ data: Data, file: String) throws -> ModelDescription {
        do {
            return try JSONDecoder().decode(ModelDescription.self, from: data)
        } catch let error as DecodingError {
            throw ModelFileError(file: file, reason: "not a model description (\(explain(error)))")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "at '\(path)': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// One layer of a description; only the fields its kind uses are set.
public struct LayerSpec: Codable, Sendable, Equatable {
    public var name: String
    public var type: LayerKind
    public var inputs: [String]?
    public var outChannels: Int?
    public var kernel: Int?
    public var stride: Int?
    public var padding: Int?
    public var groups: Int?
    public var bias: Bool?
    public var outFeatures: Int?
    public var epsilon: Float?
    public var momentum: Float?

    public init(
        name: String, type: LayerKind, inputs: [String]? = nil, outChannels: Int? = nil, kernel: Int? = nil,
        stride: Int? = nil, padding: Int? = nil, groups: Int? = nil, bias: Bool? = nil,
        outFeatures: Int? = nil, epsilon: Float? = nil, momentum: Float? = nil
    ) {
        self.name = name
        self.type = type
        self.inputs = inputs
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.groups = groups
        self.bias = bias
        self.outFeatures = outFeatures
        self.epsilon = epsilon
        self.momentum = momentum
    }
}
