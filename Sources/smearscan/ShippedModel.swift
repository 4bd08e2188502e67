import Foundation

/// The model and label map shipped in `Models/`, used when the user names none.
///
/// The search path is the command line's business (it depends on the working directory and
/// where the executable lives), so the libraries take folders explicitly.
enum ShippedModel {
    /// Candidate `Models` folders: `$SMEARSCAN_MODELS`, `./Models`, then `Models/` beside the
    /// executable and its ancestors (a `swift build` product sits in `.build/<config>/`).
    static var folders: [URL] {
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

    /// The first `Models/*.json` with a `.safetensors` beside it, in byte-wise name order.
    static func path() -> String? {
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            let models = names.filter { $0.hasSuffix(".json") && names.contains(String($0.dropLast(5)) + ".safetensors") }
            if let first = models.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).first {
                return folder.appendingPathComponent(first).path
            }
        }
        return nil
    }
}
