// libFuzzer harness: the model loader (description JSON + safetensors weights, validated
// against each other). Input: a 4-byte little-endian length, that many bytes of JSON,
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
    } catch let error as ModelFileError {
        require(!error.reason.isEmpty && !error.description.contains("\n"), "bad error: \(error.description)")
        require(error.file == "<fuzz.json>" || error.file == "<fuzz.safetensors>", "error names \(error.file)")
    } catch {
        require(false, "not a ModelFileError: \(error)")
    }
    return 0
}
