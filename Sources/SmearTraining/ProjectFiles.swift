import Foundation

/// Finds the label map to use when the user names none.
public enum ProjectFiles {
    /// `explicit` if given, else `label-map.json` beside `model`, else the first
    /// `label-map.json` in `folders` (the command line's `Models/` search path).
    public static func labelMap(explicit: String?, besideModel model: URL? = nil, folders: [URL]) throws -> LabelMap {
        if let explicit { return try LabelMap.load(path: explicit) }
        var candidates = folders.map { $0.appendingPathComponent("label-map.json") }
        if let model { candidates.insert(model.deletingLastPathComponent().appendingPathComponent("label-map.json"), at: 0) }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw TrainingError("no label map found (looked for label-map.json in \(folders.map(\.path).joined(separator: ", "))); pass --label-map")
        }
        return try LabelMap.load(path: found.path)
    }
}
