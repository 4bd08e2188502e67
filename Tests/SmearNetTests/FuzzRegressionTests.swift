import Foundation
import Testing
@testable import SmearNet

/// Model files of a few hundred bytes that crashed the loader or made it allocate without
/// bound (found by reading the loader while fuzzing it with Tests/Fuzz/Harnesses/ModelLoad):
/// each must now be refused with a `ModelFileError` before anything large is allocated.
@Suite struct FuzzRegressionTests {
    /// The description JSON of a one-layer-plus-classifier model on a 4x4 crop.
    static func description(_ layers: String, classes: Int = 2) -> Data {
        let names = (0..<classes).map { "\"c\($0)\"" }.joined(separator: ",")
        return Data("""
            {"name":"fuzz","version":"1","description":"","classes":[\(names)],
             "input":{"width":4,"height":4,"micrometresPerPixel":0.5,"mean":[0,0,0],"std":[1,1,1]},
             "layers":[\(layers)]}
            """.utf8)
    }

    /// An empty safetensors file (no tensors).
    static let noWeights = SafeTensors.encode([:])

    private func loadError(_ json: Data, _ weights: Data = noWeights) -> ModelFileError? {
        do {
            _ = try Model.decode(description: json, weights: weights, descriptionFile: "m.json", weightsFile: "m.safetensors")
            return nil
        } catch let error as ModelFileError {
            return error
        } catch {
            Issue.record("not a ModelFileError: \(error)")
            return nil
        }
    }

    @Test(arguments: [
        // Weights of 2^40 x 1 x 1 x 3 values: the graph allocated (and zeroed) them before
        // comparing with the file.
        #"{"name":"c","type":"conv2d","outChannels":1099511627776,"kernel":1},{"name":"p","type":"globalavgpool"},{"name":"f","type":"linear","outFeatures":2}"#,
        // 2^62 output channels: the weight size overflowed Int (a trap).
        #"{"name":"c","type":"conv2d","outChannels":4611686018427387904,"kernel":1}"#,
        // A linear layer of 2^62 outputs.
        #"{"name":"p","type":"globalavgpool"},{"name":"f","type":"linear","outFeatures":4611686018427387904}"#,
        // 64 M outputs over 48 inputs: 3 G weights (12 GB) from a 200-byte description.
        #"{"name":"f","type":"linear","outFeatures":67108864},{"name":"g","type":"linear","outFeatures":2}"#,
        // Concatenating a wide layer with itself until the per-image output overflows.
        #"{"name":"c","type":"conv2d","outChannels":4611686018427387904,"kernel":1,"bias":false},{"name":"k","type":"concat","inputs":["c","c","c","c"]}"#,
    ])
    func oversizedLayersAreRefusedBeforeAllocation(layers: String) throws {
        let error = try #require(loadError(Self.description(layers)))
        #expect(error.file == "m.json")
        #expect(error.reason.contains("too large") || error.reason.contains("more values"), "\(error)")
    }

    @Test func quotedLineBreaksStayOnOneLine() throws {
        // Found by the CI fuzz pass: a layer type holding a line break was quoted into the
        // decoding error, so the "one-line error naming the file" became two lines.
        let error = try #require(loadError(Self.description(#"{"name":"p","type":"glob\nal\u2028pool"}"#)))
        #expect(error.file == "m.json")
        #expect(!error.description.contains("\n") && !error.description.contains("\u{2028}"), "\(error)")
        #expect(error.description.contains("\\u{a}"), "\(error)")
    }

    @Test func weightsFileBoundsTheParametersAllocated() throws {
        // 4 M weights are below the per-layer limit but the file holds none of them: the
        // graph is refused from the weights' size, not after allocating 32 MB to compare.
        let json = Self.description(#"{"name":"p","type":"globalavgpool"},{"name":"f","type":"linear","outFeatures":2},{"name":"g","type":"linear","outFeatures":2000000},{"name":"h","type":"linear","outFeatures":2}"#)
        let error = try #require(loadError(json))
        #expect(error.reason.contains("far more values than the weights file holds"), "\(error)")
    }

    @Test func safetensorsShapeWhoseByteSizeOverflows() throws {
        // 2^62 values: `count * 4` overflowed Int (a trap) before the size check.
        let header = #"{"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,4]}}"#
        var file = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: Array(header.utf8) + [0, 0, 0, 0])
        do {
            _ = try SafeTensors.decode(file, file: "m.safetensors")
            Issue.record("decoded a 2^62-value tensor from 4 bytes")
        } catch let error as ModelFileError {
            #expect(error.tensor == "w")
            #expect(error.reason.contains("too large"), "\(error)")
        }
    }
}
