import Foundation

/// Locates the project's shared data (`../shared/data` beside the repository), which tests
/// and benchmarks read in place and never copy. `SMEARSCAN_DATA` overrides the location.
public enum SharedData {
    /// The repository root, found from this file's own path.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/data`, or `$SMEARSCAN_DATA`.
    public static var root: URL {
        if let env = ProcessInfo.processInfo.environment["SMEARSCAN_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    /// A path under the data root, e.g. `SharedData.url("bccd/BCCD/JPEGImages")`.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// Whether the data is present (it is in CI and on developer machines).
    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("README.md").path)
    }
}
