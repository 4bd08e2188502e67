/// A file found below a slide folder, identified the way `--resume` compares inputs.
public struct InputFile: Sendable, Codable, Equatable {
    /// Path relative to the slide folder, `/`-separated.
    public var path: String
    /// Size in bytes.
    public var size: Int64
    /// Modification time, nanoseconds since the epoch.
    public var modified: Int64

    public init(path: String, size: Int64, modified: Int64) {
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// An image that could not be analysed, and why (one line, for summaries and logs).
public struct ImageFailure: Sendable, Codable, Equatable {
    /// Path relative to the slide folder.
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
