import Foundation
import Testing
@testable import SmearNet
import SmearTestSupport

/// Writing and reading models, and every malformed-file case.
@Suite struct ModelFileTests {
    let directory: TemporaryDirectory
    let model: Model

    init() throws {
        directory = try TemporaryDirectory()
        model = try TestModels.randomNetwork().exportModel()
    }

    @Test func roundTripGivesSameOutputsAndHash() throws {
        let written = try model.write(to: directory.file("m"))
        let read = try Model.load(from: directory.file("m.json"))
        #expect(read.description == model.description)
        #expect(read.tensors == model.tensors)
        #expect(read.sha256 == written.sha256 && read.sha256 == model.sha256)
        let bytes = DeterminismTests.crops(4, model.description)
        let a = try Classifier(model: model), b = try Classifier(model: read)
        #expect(bytes.withUnsafeBufferPointer { a.classify(rgbCrops: $0, count: 4) }
                == bytes.withUnsafeBufferPointer { b.classify(rgbCrops: $0, count: 4) })
        // The hash is the SHA-256 of the two files concatenated.
        let both = try Data(contentsOf: directory.file("m.json")) + Data(contentsOf: directory.file("m.safetensors"))
        #expect(SHA256.hex(of: both) == read.sha256)
        directory.remove()
    }

    /// Writes `model`'s description and the given weights bytes, and returns the load error.
    func loadError(weights: Data, description: Data? = nil) throws -> ModelFileError? {
        try model.write(to: directory.file("bad"))
        try weights.write(to: directory.file("bad.safetensors"))
        if let description { try description.write(to: directory.file("bad.json")) }
        defer { directory.remove() }
        do {
            _ = try Model.load(from: directory.file("bad"))
            return nil
        } catch let error as ModelFileError {
            return error
        }
    }

    func weights(_ edit: (inout [String: Tensor]) -> Void) -> Data {
        var tensors = model.tensors
        edit(&tensors)
        return SafeTensors.encode(tensors)
    }

    /// Re-encodes a header by hand, keeping the data section of the valid file.
    func rawFile(header: String, data: Data) -> Data {
        var length = UInt64(header.utf8.count).littleEndian
        return Data(bytes: &length, count: 8) + Data(header.utf8) + data
    }

    @Test func missingTensor() throws {
        let error = try loadError(weights: weights { $0["fc.bias"] = nil })
        #expect(error?.tensor == "fc.bias" && error!.reason.contains("missing"))
        #expect(error?.file.hasSuffix("bad.safetensors") == true)
    }

    @Test func extraTensor() throws {
        let error = try loadError(weights: weights { $0["ghost.weight"] = Tensor(zeros: [3]) })
        #expect(error?.tensor == "ghost.weight")
    }

    @Test func wrongShape() throws {
        let error = try loadError(weights: weights { $0["stem.weight"] = Tensor(zeros: [8, 3, 3, 4]) })
        #expect(error?.tensor == "stem.weight" && error!.reason.contains("shape"))
    }

    @Test func wrongDtype() throws {
        let error = try loadError(weights: rawFile(
            header: #"{"x":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: Data(count: 4)))
        #expect(error?.tensor == "x" && error!.reason.contains("F16"))
    }

    @Test(arguments: [0, 5, 8, 100, 2000])
    func truncated(keep: Int) throws {
        let full = SafeTensors.encode(model.tensors)
        let error = try loadError(weights: full.prefix(min(keep, full.count - 1)))
        #expect(error != nil)
        #expect(error?.file.hasSuffix("bad.safetensors") == true)
    }

    @Test func truncatedDataNamesTheTensor() throws {
        let full = SafeTensors.encode(model.tensors)
        let error = try loadError(weights: full.prefix(full.count - 4))
        #expect(error?.tensor != nil && error!.reason.contains("past the end"))
    }

    @Test func offsetsPastEnd() throws {
        let error = try loadError(weights: rawFile(
            header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: Data(count: 8)))
        #expect(error?.tensor == "x" && error!.reason.contains("past the end"))
    }

    @Test func overlappingOffsets() throws {
        let error = try loadError(weights: rawFile(
            header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
            data: Data(count: 12)))
        #expect(error?.tensor == "y" && error!.reason.contains("overlap"))
    }

    @Test func shapeAndOffsetsDisagree() throws {
        let error = try loadError(weights: rawFile(
            header: #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Data(count: 8)))
        #expect(error?.tensor == "x" && error!.reason.contains("needs 12 bytes"))
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteWeights(value: Float) throws {
        let error = try loadError(weights: weights { $0["b1_dw.weight"]!.scalars[5] = value })
        #expect(error?.tensor == "b1_dw.weight" && error!.reason.contains("value 5"))
    }

    @Test func headerNotJSON() throws {
        let error = try loadError(weights: rawFile(header: "not json", data: Data()))
        #expect(error?.reason.contains("JSON") == true)
    }

    @Test func metadataIsAllowed() throws {
        let data = SafeTensors.encode(model.tensors, metadata: ["author": "test"])
        #expect(try loadError(weights: data) == nil)
        let decoded = try SafeTensors.decode(data, file: "x")
        #expect(decoded.metadata["author"] == "test")
    }

    @Test func malformedDescriptions() throws {
        let encoder = JSONEncoder()
        var wrongClasses = model.description
        wrongClasses.classes.append("extra")
        var unknownInput = model.description
        unknownInput.layers[8].inputs = ["b1_bn2", "nowhere"]
        var badGroups = model.description
        badGroups.layers[6].groups = 3
        var huge = model.description
        huge.layers[10].outChannels = 60_000
        huge.layers[10].kernel = 15
        huge.layers[10].padding = 7
        for description in [wrongClasses, unknownInput, badGroups, huge] {
            let error = try loadError(weights: SafeTensors.encode(model.tensors), description: try encoder.encode(description))
            #expect(error?.file.hasSuffix("bad.json") == true, "\(String(describing: error))")
        }
        let error = try loadError(weights: SafeTensors.encode(model.tensors), description: Data(#"{"name": 3}"#.utf8))
        #expect(error?.file.hasSuffix("bad.json") == true)
        #expect(error?.reason.contains("not a model description") == true)
    }

    @Test func missingFile() throws {
        #expect(throws: ModelFileError.self) { try Model.load(from: directory.file("nothing-here")) }
        directory.remove()
    }
}
