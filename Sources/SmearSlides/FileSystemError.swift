/// A file-system call that failed: what was attempted, on which path, and the system's reason.
///
/// `description` is one line naming the path, fit for a log or an error message.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What SmearScan was doing, e.g. "cannot create folder".
    public var operation: String
    /// The path involved.
    public var path: String
    /// The system's reason (`strerror`), e.g. "Permission denied".
    public var reason: String
    /// The `errno` value, 0 when the failure was not a system call's.
    public var code: Int32

    public init(_ operation: String, path: String, reason: String, code: Int32 = 0) {
        self.operation = operation
        self.path = path
        self.reason = reason
        self.code = code
    }

    public var description: String { "\(operation) \(path): \(reason)" }
}
