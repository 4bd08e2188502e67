import Foundation

/// A model as stored in `Models/`: a description (`<name>.json`) and its weights
/// (`<name>.safetensors`), validated against each other, with the SHA-256 that identifies it.
///
/// The hash covers the description's bytes followed by the weights' bytes, so it can be
/// checked with `cat model.json model.safetensors | sha256sum`.
public struct Model: Sendable {
    /// Architecture, input specification, classes and provenance.
    public let description: ModelDescription
    /// Every weight and state tensor by name.
    public let tensors: [String: Tensor]
    /// Lowercase hex SHA-256 of the description bytes followed by the weights bytes.
    public let sha256: String
    /// Where the description was read from (or a placeholder for models made in memory).
    public let descriptionFile: String
    /// Where the weights were read from (or a placeholder).
    public let weightsFile: String
    private let encodedDescription: Data
    private let encodedWeights: Data

    /// A model made in memory (e.g. exported by training); checks tensors against the description.
    public init(description: ModelDescription, tensors: [String: Tensor]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(description) + Data("\n".utf8)
        let weights = SafeTensors.encode(tensors, metadata: ["format": "smearscan", "model": description.name])
        try self.init(description: description, tensors: tensors, json: json, weights: weights,
                      descriptionFile: "<\(description.name).json>", weightsFile: "<\(description.name).safetensors>")
    }

    private init(
        description: ModelDescription, tensors: [String: Tensor], json: Data, weights: Data,
        descriptionFile: String, weightsFile: String
    ) throws {
        try Self.validate(description: description, tensors: tensors, descriptionFile: descriptionFile, weightsFile: weightsFile)
        self.description = description
        self.tensors = tensors
        self.descriptionFile = descriptionFile
        self.weightsFile = weightsFile
        encodedDescription = json
        encodedWeights = weights
        var hasher = SHA256()
        hasher.update(json)
        hasher.update(weights)
        sha256 = hasher.finalizeHex()
    }

    /// The description and weights files of a model path: `X.json`, `X.safetensors` or `X`
    /// all name the pair `X.json` + `X.safetensors`.
    public static func files(for url: URL) -> (description: URL, weights: URL) {
        let base = ["json", "safetensors"].contains(url.pathExtension) ? url.deletingPathExtension() : url
        return (base.appendingPathExtension("json"), base.appendingPathExtension("safetensors"))
    }

    /// Reads and validates a model; every problem throws a `ModelFileError` naming the file
    /// and, where there is one, the tensor.
    public static func load(from url: URL) throws -> Model {
        let (jsonURL, weightsURL) = files(for: url)
        func read(_ url: URL) throws -> Data {
            do { return try Data(contentsOf: url) } catch {
                throw ModelFileError(file: url.path, reason: "cannot be read (\((error as NSError).localizedDescription))")
            }
        }
        return try decode(description: read(jsonURL), weights: read(weightsURL),
                          descriptionFile: jsonURL.path, weightsFile: weightsURL.path)
    }

    /// Parses and validates a model from its two files' bytes (what `load(from:)` reads);
    /// `descriptionFile` and `weightsFile` only name the sources in errors.
    public static func decode(
        description json: Data, weights: Data,
        descriptionFile: String = "<description>", weightsFile: String = "<weights>"
    ) throws -> Model {
        let description = try ModelDescription.decode(json, file: descriptionFile)
        let (tensors, _) = try SafeTensors.decode(weights, file: weightsFile)
        return try Model(description: description, tensors: tensors, json: json, weights: weights,
                         descriptionFile: descriptionFile, weightsFile: weightsFile)
    }

    /// Writes `<base>.json` and `<base>.safetensors` (each to a temporary file, then renamed,
    /// so an interrupted write never leaves a half file); returns the model with its new paths.
    @discardableResult
    public func write(to url: URL) throws -> Model {
        let (jsonURL, weightsURL) = Self.files(for: url)
        try FileManager.default.createDirectory(at: jsonURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encodedWeights.write(to: weightsURL, options: .atomic)
        try encodedDescription.write(to: jsonURL, options: .atomic)
        return try Model(description: description, tensors: tensors, json: encodedDescription, weights: encodedWeights,
                         descriptionFile: jsonURL.path, weightsFile: weightsURL.path)
    }

    /// Checks the description builds and the tensors are exactly the ones it needs.
    private static func validate(
        description: ModelDescription, tensors: [String: Tensor], descriptionFile: String, weightsFile: String
    ) throws {
        // The file's tensors (plus slack, so a missing tensor is named below) bound what the
        // description may declare before its layers allocate.
        let stored = tensors.values.reduce(0) { $0 + $1.count }
        let graph = try NetworkGraph(description, file: descriptionFile, parameterBudget: stored + (1 << 20))
        var expected: Set<String> = []
        for parameter in graph.parameters {
            expected.insert(parameter.name)
            guard let tensor = tensors[parameter.name] else {
                throw ModelFileError(file: weightsFile, tensor: parameter.name, reason: "missing (the description needs shape \(parameter.shape))")
            }
            guard tensor.shape == parameter.shape else {
                throw ModelFileError(file: weightsFile, tensor: parameter.name, reason: "shape \(tensor.shape), expected \(parameter.shape)")
            }
            if let bad = tensor.scalars.firstIndex(where: { !$0.isFinite }) {
                throw ModelFileError(file: weightsFile, tensor: parameter.name, reason: "value \(bad) is \(tensor.scalars[bad].isNaN ? "NaN" : "infinite")")
            }
        }
        if let extra = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw ModelFileError(file: weightsFile, tensor: extra, reason: "not used by any layer of the description")
        }
    }
}

extension Network {
    /// The network's current weights and running statistics as a model (BN kept as its own
    /// layer; `Classifier` folds it when loading). `name`, `version` and `summary` replace
    /// the description's provenance fields when given.
    public func exportModel(name: String? = nil, version: String? = nil, summary: String? = nil) throws -> Model {
        precondition(!isPreparedForInference, "export the training network, not an inference-prepared copy")
        var tensors: [String: Tensor] = [:]
        for parameter in parameters { tensors[parameter.name] = parameter.tensor }
        var description = description
        if let name { description.name = name }
        if let version { description.version = version }
        if let summary { description.description = summary }
        return try Model(description: description, tensors: tensors)
    }
}
