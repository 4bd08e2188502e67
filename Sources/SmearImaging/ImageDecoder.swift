import Foundation

/// Decodes PNG and JPEG files or bytes into `RGBImage`, choosing the decoder by content.
public enum ImageDecoder {
    /// Reads and decodes the file at `path`.
    public static func decode(path: String) throws(ImageError) -> RGBImage {
        let data = try FileBytes.read(path: path)
        return try decode(data: data, path: path)
    }

    /// Decodes in-memory file bytes; `path` only names the source in errors.
    public static func decode(data: [UInt8], path: String = "<memory>") throws(ImageError) -> RGBImage {
        if data.isEmpty { throw ImageError(.emptyFile, path: path, reason: "file is empty (0 bytes)") }
        let format = data.withUnsafeBytes { ImageFormat.sniff($0) }
        switch format {
        case .jpeg: return try JPEGDecoder.decode(data, path: path)
        case .png: return try PNGDecoder.decode(data, path: path)
        case .unknown:
            throw ImageError(.unsupportedFormat, path: path, reason: "not a PNG or JPEG file (unrecognised leading bytes)")
        default:
            throw ImageError(.unsupportedFormat, path: path, reason: "\(format.rawValue.uppercased()) images are not supported (PNG and JPEG only)")
        }
    }
}

/// Reads whole files once, turning POSIX failures into `ImageError`.
enum FileBytes {
    static func read(path: String) throws(ImageError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImageError(.missingFile, path: path, reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageError(.unreadableFile, path: path, reason: "cannot be read")
        }
        return [UInt8](data)
    }
}
