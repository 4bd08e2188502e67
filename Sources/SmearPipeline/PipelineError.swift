/// A model that the pipeline cannot use, with a one-line reason.
public struct PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
