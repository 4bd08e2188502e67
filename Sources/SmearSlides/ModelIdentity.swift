/// Which model produced a result: written into every summary and compared on `--resume`.
public struct ModelIdentity: Sendable, Equatable, Codable {
    /// The model's name (from its description file).
    public var name: String
    /// SHA-256 of the model's weights and description, lowercase hex.
    public var sha256: String

    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256
    }
}
