import Foundation
import SmearNet

/// A training checkpoint: the network's model files, the optimiser's state and the
/// trainer's state, in one folder replaced as a whole.
///
/// Saving writes everything to `<folder>.partial`, then swaps it in with renames, so a
/// run killed at any moment leaves either the previous checkpoint or the new one
/// (`<folder>.previous` is picked up if the kill fell between the two renames).
public enum Checkpoint {
    static let modelName = "model"
    static let optimizerFile = "optimizer.safetensors"
    static let stateFile = "state.json"

    /// Writes a checkpoint of `network`, `optimizer` and `state` to `folder`.
    public static func save(network: Network, optimizer: any Optimizer, state: TrainingState, to folder: URL) throws {
        let fm = FileManager.default
        let partial = folder.appendingPathExtension("partial"), previous = folder.appendingPathExtension("previous")
        try? fm.removeItem(at: partial)
        try fm.createDirectory(at: partial, withIntermediateDirectories: true)
        try network.exportModel().write(to: partial.appendingPathComponent(modelName))
        let optimizerState = optimizer.state
        var tensors: [String: Tensor] = [:]
        for (name, values) in optimizerState.buffers { tensors[name] = Tensor(shape: [values.count], scalars: values) }
        try SafeTensors.encode(tensors, metadata: ["kind": optimizerState.kind, "steps": "\(optimizerState.steps)"])
            .write(to: partial.appendingPathComponent(optimizerFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: partial.appendingPathComponent(stateFile))
        try? fm.removeItem(at: previous)
        if fm.fileExists(atPath: folder.path) { try fm.moveItem(at: folder, to: previous) }
        try fm.moveItem(at: partial, to: folder)
        try? fm.removeItem(at: previous)
    }

    /// Whether `folder` (or its `.previous` fallback) holds a checkpoint.
    public static func exists(at folder: URL) -> Bool {
        resolved(folder) != nil
    }

    /// Reads a checkpoint saved by `save`.
    public static func load(from folder: URL) throws -> (model: Model, optimizer: OptimizerState, state: TrainingState) {
        guard let dir = resolved(folder) else { throw TrainingError("\(folder.path): no checkpoint to resume from") }
        let model = try Model.load(from: dir.appendingPathComponent(modelName))
        let optimizerURL = dir.appendingPathComponent(optimizerFile)
        let (tensors, metadata) = try SafeTensors.decode(try Data(contentsOf: optimizerURL), file: optimizerURL.path)
        guard let kind = metadata["kind"], let steps = metadata["steps"].flatMap(Int.init) else {
            throw TrainingError("\(optimizerURL.path): missing optimiser kind or step count")
        }
        let optimizer = OptimizerState(kind: kind, steps: steps, buffers: tensors.mapValues(\.scalars))
        let stateURL = dir.appendingPathComponent(stateFile)
        let state: TrainingState
        do { state = try JSONDecoder().decode(TrainingState.self, from: try Data(contentsOf: stateURL)) } catch {
            throw TrainingError("\(stateURL.path): unreadable training state (\(error))")
        }
        return (model, optimizer, state)
    }

    private static func resolved(_ folder: URL) -> URL? {
        for candidate in [folder, folder.appendingPathExtension("previous")]
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(stateFile).path) {
            return candidate
        }
        return nil
    }
}
