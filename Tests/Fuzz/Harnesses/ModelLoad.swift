// libFuzzer harness: the model loader (description JSON + safetensors weights, validated
// against each other) and, for small valid models, one inference. Input: a 4-byte little-endian length, that many bytes of JSON,
// then the safetensors file. Built and run by .ci/fuzz.
import Foundation
import SmearNet

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelLoad(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let json = Data(input.lengthPrefixed()), weights = Data(input.rest)
    do {
        let model = try Model.decode(description: json, weights: weights,
                                     descriptionFile: "<fuzz.json>", weightsFile: "<fuzz.safetensors>")
        require(model.sha256.count == 64, "hash \(model.sha256)")
        // A valid small model must also run: one mid-grey crop through the inference graph
        // (batch-norm folded, activations fused), one probability or logit per class.
        let input = model.description.input
        if input.width * input.height <= 16 * 16, let classifier = try? Classifier(model: model, maximumBatch: 1) {
            let crop = [UInt8](repeating: 128, count: input.width * input.height * 3)
            let output = crop.withUnsafeBufferPointer { classifier.classify(rgbCrops: $0, count: 1) }
            require(output.count == model.description.classes.count, "\(output.count) outputs for \(model.description.classes.count) classes")
        }
    } catch let error as ModelFileError {
        require(!error.reason.isEmpty && isOneLine(error.description), "bad error: \(error.description)")
        require(error.file == "<fuzz.json>" || error.file == "<fuzz.safetensors>", "error names \(error.file)")
    } catch {
        require(false, "not a ModelFileError: \(error)")
    }
    return 0
}
