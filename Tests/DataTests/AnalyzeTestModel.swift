import Foundation
import SmearCells
import SmearNet

/// A tiny random-weight classifier over SmearScan's 13 classes, made through the net API:
/// enough to drive the real pipeline end to end (its outputs are meaningless but
/// deterministic), with no trained model needed.
enum AnalyzeTestModel {
    static func make(classes: [String] = CellClass.allCases.map(\.rawValue), seed: UInt64 = 11) throws -> Model {
        let description = ModelDescription(
            name: "analyze-test-tiny", version: "0.0.1", description: "Random weights, for tests only.",
            input: InputSpec(width: 32, height: 32, micrometresPerPixel: 0.5, mean: [0.8, 0.7, 0.75], std: [0.15, 0.2, 0.15]),
            classes: classes,
            layers: [
                LayerSpec(name: "stem", type: .conv2d, outChannels: 8, kernel: 3, stride: 2, padding: 1),
                LayerSpec(name: "stem_act", type: .relu),
                LayerSpec(name: "conv2", type: .conv2d, outChannels: 16, kernel: 3, stride: 2, padding: 1),
                LayerSpec(name: "conv2_act", type: .relu),
                LayerSpec(name: "gap", type: .globalavgpool),
                LayerSpec(name: "fc", type: .linear, outFeatures: classes.count),
                LayerSpec(name: "prob", type: .softmax),
            ])
        return try Network(description: description, seed: seed).exportModel()
    }

    /// Writes the model as `<folder>/analyze-test-tiny.json` + `.safetensors`; returns the JSON path.
    static func write(to folder: URL) throws -> String {
        let url = folder.appendingPathComponent("analyze-test-tiny.json")
        try make().write(to: url)
        return url.path
    }
}

import Testing

@Suite struct AnalyzeTestModelExport {
    /// `SMEARSCAN_TEST_MODEL_OUT=folder swift test --filter AnalyzeTestModelExport` writes the
    /// tiny model there, for trying `smearscan analyze` and benchmarks before a trained
    /// model ships.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SMEARSCAN_TEST_MODEL_OUT"] != nil))
    func writeTheModelWhereAsked() throws {
        let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["SMEARSCAN_TEST_MODEL_OUT"]!)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try AnalyzeTestModel.write(to: folder)
    }
}
