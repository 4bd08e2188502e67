/// Why a batch could not run or had to stop: a one-line message and the class of failure,
/// which decides the exit code (see `AnalyzeExitCode`).
public struct AnalyzeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Bad arguments or inputs (missing folder, duplicate slide names …).
        case usage
        /// The model file is missing, malformed or does not fit the pipeline.
        case unusableModel
        /// An output could not be written (permissions, disk full, file-size limit).
        case output
        /// Another run holds the output folder's lock.
        case outputLocked
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
