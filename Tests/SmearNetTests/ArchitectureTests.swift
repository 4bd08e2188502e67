import Foundation
import Testing
import SmearNet
import SmearTestSupport

/// The shipped architecture descriptions build, train and stay within their budget.
@Suite struct ArchitectureTests {
    static let url = SharedData.repositoryRoot.appendingPathComponent("Models/architectures/smearnet-s.json")

    @Test func smearNetSBuildsWithinItsBudget() throws {
        let description = try ModelDescription.load(from: Self.url)
        #expect(description.classes == [
            "blast", "promyelocyte", "immature_granulocyte", "neutrophil", "lymphocyte", "variant_lymphocyte",
            "monocyte", "eosinophil", "basophil", "plasma_cell", "erythroblast", "smudge", "platelet",
        ])
        #expect(description.input.width == 64 && description.input.height == 64)
        #expect(description.input.micrometresPerPixel == 0.4)
        let network = try Network(description: description, seed: 7)
        #expect((10_000_000...60_000_000).contains(network.flopsPerCrop), "\(network.flopsPerCrop) FLOPs per crop")
        #expect(network.parameterCount < 2_000_000)
    }

    /// The finer-input alternatives, not shipped (see Models/smearnet-s.md): SmearNet-HR at
    /// 0.2 µm/px and SmearNet-FR at full resolution through a 4×4 patch stem.
    @Test(arguments: [("smearnet-hr", 128, 0.2), ("smearnet-fr", 256, 0.1)])
    func alternativeBuildsWithinItsBudget(name: String, side: Int, micronsPerPixel: Double) throws {
        let url = SharedData.repositoryRoot.appendingPathComponent("Models/architectures/\(name).json")
        let description = try ModelDescription.load(from: url)
        let shipped = try ModelDescription.load(from: Self.url)
        #expect(description.classes == shipped.classes)
        #expect(description.input.width == side && description.input.height == side)
        #expect(description.input.micrometresPerPixel == micronsPerPixel)
        let network = try Network(description: description, seed: 7)
        #expect((40_000_000...60_000_000).contains(network.flopsPerCrop), "\(network.flopsPerCrop) FLOPs per crop")
        #expect(network.parameterCount < 2_000_000)
    }

    @Test func smearNetSTakesATrainingStepAndExports() throws {
        let network = try Network(description: ModelDescription.load(from: Self.url), seed: 7)
        var generator = SeededGenerator(seed: 3)
        let bytes = (0..<(2 * 64 * 64 * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        network.zeroGradients()
        bytes.withUnsafeBufferPointer { _ = network.forward(rgbBytes: $0, batch: 2, training: true) }
        let loss = network.backward(labels: [0, 12])
        #expect(loss.isFinite && loss > 0)
        let model = try network.exportModel(name: "smearnet-s-test", version: "0.0.0", summary: "test export")
        #expect(model.description.name == "smearnet-s-test")
        let probabilities = try Classifier(model: model).classify([Array(bytes.prefix(64 * 64 * 3))])[0]
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
    }

    @Test func unknownFileAndBadJSONNameTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bad = directory.file("bad.json")
        try Data("{\"name\": \"x\"".utf8).write(to: bad)
        #expect { try ModelDescription.load(from: bad) } throws: { ($0 as? ModelFileError)?.file == bad.path }
        let missing = directory.file("missing.json")
        #expect { try ModelDescription.load(from: missing) } throws: { ($0 as? ModelFileError)?.file == missing.path }
    }
}
