/// A model file that cannot be used: names the file, the tensor or layer, and what is wrong.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path.
    public var file: String
    /// The tensor concerned, when there is one.
    public var tensor: String?
    /// What is wrong, in a few words.
    public var reason: String

    public init(file: String, tensor: String? = nil, reason: String) {
        self.file = file
        self.tensor = tensor
        self.reason = reason
    }

    /// One line, whatever the file quotes: control characters in names and reasons (a JSON
    /// string may hold a line break) are written as escapes.
    public var description: String {
        if let tensor { return "\(file.oneLine): tensor '\(tensor.oneLine)': \(reason.oneLine)" }
        return "\(file.oneLine): \(reason.oneLine)"
    }
}
