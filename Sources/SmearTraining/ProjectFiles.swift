import Foundation

/// Finds the project's shipped files (`Models/label-map.json`, default models and
/// architectures) when the user names none.
///
/// Looks in `$SMEARSCAN_MODELS`, then `./Models`, then `Models/` beside the executable and
/// in its ancestors (a `swift build` executable sits in `.build/<config>/` under the
/// project root).
public enum ProjectFiles {
    /// Candidate `Models` folders, in search order.
    public static var modelFolders: [URL] {
        var folders: [URL] = []
        if let env = ProcessInfo.processInfo.environment["SMEARSCAN_MODELS"], !env.isEmpty {
            folders.append(URL(fileURLWithPath: env))
        }
        folders.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Models"))
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(dir.appendingPathComponent("Models"))
            dir = dir.deletingLastPathComponent()
        }
        return folders
    }

    /// The first existing `Models/<relative>`, or `nil`.
    public static func find(_ relative: String) -> URL? {
        modelFolders.map { $0.appendingPathComponent(relative) }.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The label map to use: `explicit` if given, else `label-map.json` beside `model`, else
    /// the shipped one.
    public static func labelMap(explicit: String?, besideModel model: URL? = nil) throws -> LabelMap {
        if let explicit { return try LabelMap.load(path: explicit) }
        if let beside = model?.deletingLastPathComponent().appendingPathComponent("label-map.json"),
           FileManager.default.fileExists(atPath: beside.path) {
            return try LabelMap.load(path: beside.path)
        }
        guard let shipped = find("label-map.json") else {
            throw TrainingError("no label map found (looked for Models/label-map.json in \(modelFolders.map(\.path).joined(separator: ", "))); pass --label-map")
        }
        return try LabelMap.load(path: shipped.path)
    }
}
