import SmearImaging

/// An image file's bytes and MIME type, ready to embed in a report as a `data:` URI.
public struct EncodedImage: Sendable, Equatable {
    public var bytes: [UInt8]
    /// e.g. `image/jpeg`, `image/png`.
    public var mimeType: String

    public init(bytes: [UInt8], mimeType: String) {
        self.bytes = bytes
        self.mimeType = mimeType
    }
}

/// Encodes a cell thumbnail for the report (JPEG or PNG, chosen by the caller), so the
/// slide layer does not depend on a particular encoder.
public typealias ThumbnailEncoder = @Sendable (RGBImage) throws -> EncodedImage
