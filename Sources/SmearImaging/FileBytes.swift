#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// Reads whole files in one pass (fstat for the size, then read into one array),
/// turning POSIX failures into `ImageError`.
enum FileBytes {
    /// No image SmearScan accepts comes near 2 GiB compressed; a bigger "image" is
    /// refused before it is read into memory.
    static let maxBytes = 2 << 30

    static func read(path: String) throws(ImageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw openFailure(errno, path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw posixFailure(.unreadableFile, errno, path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ImageError(.unreadableFile, path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= maxBytes else {
            throw ImageError(.tooLarge, path: path, reason: "file is \(size) bytes, above the \(maxBytes >> 30) GiB limit")
        }
        var readError: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let n = systemRead(fd, buffer.baseAddress! + initialized, size - initialized)
                if n > 0 { initialized += n; continue }
                if n < 0 && errno == EINTR { continue }
                readError = n < 0 ? errno : 0
                break  // error, or the file shrank while being read
            }
        }
        if readError != 0 { throw posixFailure(.unreadableFile, readError, path: path) }
        return bytes
    }

    private static func openFailure(_ code: Int32, path: String) -> ImageError {
        code == ENOENT || code == ENOTDIR
            ? ImageError(.missingFile, path: path, reason: "no such file")
            : posixFailure(.unreadableFile, code, path: path)
    }

    static func posixFailure(_ kind: ImageError.Kind, _ code: Int32, path: String) -> ImageError {
        ImageError(kind, path: path, reason: "\(kind == .writeFailed ? "cannot be written" : "cannot be read"): \(String(cString: strerror(code)))")
    }
}
