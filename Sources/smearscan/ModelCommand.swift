import ArgumentParser
import Foundation
import SmearNet

/// `smearscan model`: inspect model files.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect classifier models.",
        subcommands: [ModelInfoCommand.self]
    )
}

/// `smearscan model info PATH`: layers, parameters, FLOPs, classes, input and SHA-256.
struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a model's layers, parameters, FLOPs per crop, classes, input and SHA-256.",
        discussion: """
            PATH is a model (`X.json` + `X.safetensors`, given as either file or as `X`) or an \
            architecture description alone (`Models/architectures/*.json`), which is shown without weights.
            """
    )

    @Argument(help: "The model or architecture.", completion: .file(extensions: ["json", "safetensors"]))
    var path: String

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let loaded = try LoadedModel(path: path, seed: 0)
        let network = loaded.network
        let layers = network.layerSummaries
        let description = network.description
        if json {
            let object: [String: Any] = [
                "name": description.name, "version": description.version, "description": description.description,
                "sha256": loaded.model?.sha256 as Any, "hasWeights": loaded.model != nil,
                "input": [
                    "width": description.input.width, "height": description.input.height,
                    "micrometresPerPixel": description.input.micrometresPerPixel,
                    "mean": description.input.mean, "std": description.input.std,
                ],
                "classes": description.classes,
                "parameters": network.parameterCount, "flopsPerCrop": network.flopsPerCrop,
                "layers": layers.map { layer in
                    [
                        "name": layer.name, "kind": layer.kind, "parameters": layer.parameterCount, "flops": layer.flops,
                        "output": [layer.outputShape.height, layer.outputShape.width, layer.outputShape.channels],
                    ] as [String: Any]
                },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(description.name) \(description.version)")
        print(description.description)
        print("")
        let nameWidth = max(5, layers.map(\.name.count).max() ?? 0)
        print("layer".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  kind                         output          params     MFLOPs")
        for layer in layers {
            print(layer.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                  + layer.kind.padding(toLength: 29, withPad: " ", startingAt: 0)
                  + layer.outputShape.description.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: "%10d %10.2f", layer.parameterCount, Double(layer.flops) / 1e6))
        }
        let input = description.input
        print("")
        print("parameters:  \(network.parameterCount) (\(String(format: "%.2f", Double(network.parameterCount * 4) / 1e6)) MB as Float32)")
        print("FLOPs/crop:  \(String(format: "%.2f", Double(network.flopsPerCrop) / 1e6)) M")
        print("input:       \(input.width)×\(input.height) RGB at \(input.micrometresPerPixel) µm/px, mean \(input.mean), std \(input.std)")
        print("classes:     \(description.classes.joined(separator: ", "))")
        if let model = loaded.model {
            print("SHA-256:     \(model.sha256)")
            print("files:       \(model.descriptionFile), \(model.weightsFile)")
        } else {
            print("weights:     none (architecture only)")
        }
    }
}

/// A model file, or an architecture description with seeded random weights for inspection
/// and benchmarks.
struct LoadedModel {
    /// The model files, when there are weights.
    let model: Model?
    /// A training-layout network (batch normalisation unfolded) holding the weights.
    let network: Network

    init(path: String, seed: UInt64) throws {
        let url = URL(fileURLWithPath: path)
        let files = Model.files(for: url)
        if url.pathExtension == "json", !FileManager.default.fileExists(atPath: files.weights.path) {
            model = nil
            network = try Network(description: ModelDescription.load(from: url), seed: seed)
        } else {
            let loaded = try Model.load(from: url)
            model = loaded
            network = try Network(model: loaded)
        }
    }

    /// The model, or the architecture with its random weights as an in-memory model.
    func modelOrRandom() throws -> Model { try model ?? network.exportModel() }
}
