/// A file format, recognised from its first bytes (never from the file name).
public enum ImageFormat: String, Sendable, Codable {
    case png, jpeg
    case tiff, bmp, gif, webp, unknown

    /// Recognises the format from the file's leading magic bytes.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat {
        func starts(_ magic: [UInt8]) -> Bool {
            bytes.count >= magic.count && zip(bytes, magic).allSatisfy { $0 == $1 }
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts([0x42, 0x4D]) { return .bmp }
        if starts(Array("GIF8".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && bytes.count >= 12
            && Array(bytes[8..<12]) == Array("WEBP".utf8) { return .webp }
        return .unknown
    }

    /// Whether SmearScan decodes this format.
    public var isSupported: Bool { self == .png || self == .jpeg }
}
