/// Why an image could not be read or written: one error type for every decoder and encoder.
///
/// `description` is a single line naming the file, suitable for a batch log.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for code that reacts differently to different failures.
    public enum Kind: String, Sendable, Equatable {
        /// No file at the path.
        case missingFile
        /// The path exists but cannot be read (permissions, a folder, an I/O error).
        case unreadableFile
        /// Zero bytes.
        case emptyFile
        /// The data stops early: a JPEG without its end marker ("Premature end of JPEG
        /// file"), a PNG whose chunks stop before IEND.
        case truncated
        /// Complete but invalid data (bad markers, checksums, headers, compressed data).
        case corrupt
        /// Not PNG or JPEG (named by magic bytes when known: TIFF, BMP, GIF, WebP), or a
        /// variant SmearScan does not decode (CMYK JPEG).
        case unsupportedFormat
        /// Larger than `DecodeOptions.maxMegapixels`, found from the header.
        case tooLarge
        /// Encoding or writing a file failed.
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
