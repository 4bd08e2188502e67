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

    public var description: String {
        if let tensor { return "\(file): tensor '\(tensor)': \(reason)" }
        return "\(file): \(reason)"
    }
}
