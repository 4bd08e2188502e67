/// The exit codes of `smearscan analyze` (sysexits-style where one fits).
public enum AnalyzeExitCode: Int32, Sendable, CaseIterable {
    /// Every slide analysed, every image read.
    case success = 0
    /// An unexpected internal error.
    case failure = 1
    /// The batch finished, but some images could not be analysed (listed in the summaries).
    case someImagesFailed = 2
    /// Bad arguments, unusable inputs, or a missing or unusable model (EX_USAGE).
    case usage = 64
    /// An output could not be written: permissions, disk full, file-size limit (EX_CANTCREAT).
    case cannotWriteOutput = 73
    /// The output folder is locked by another run (EX_TEMPFAIL: try again later).
    case outputLocked = 75

    /// The code for an error that stopped the batch.
    public init(_ error: AnalyzeError) {
        switch error.kind {
        case .usage, .unusableModel: self = .usage
        case .output: self = .cannotWriteOutput
        case .outputLocked: self = .outputLocked
        }
    }

    /// The table printed by `--help`.
    public static let helpText = """
    Exit codes: 0 all slides analysed; 2 the batch finished but some images failed (listed in \
    each summary.json); 64 usage error, unreadable input or unusable model; 73 an output could \
    not be written (earlier slides stay complete); 75 the output folder is in use by another run; \
    1 unexpected error.
    """
}
