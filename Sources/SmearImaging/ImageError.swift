/// Why an image could not be read or written: one error type for every decoder and encoder.
///
/// `description` is a single line naming the file, suitable for a batch log.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for code that reacts differently to different failures.
    public enum Kind: String, Sendable, Equatable {
        case missingFile
        case unreadableFile
        case emptyFile
        case truncated
        case corrupt
        case unsupportedFormat
        case tooLarge
        case writeFailed
    }

    /// The failure class.
    public var kind: Kind
    /// The file involved, or `"<memory>"` for in-memory data.
    public var path: String
    /// A human reason, e.g. "Premature end of JPEG file".
    public var reason: String

    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
