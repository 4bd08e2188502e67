#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes whole files so that readers see either the old file or the complete new one.
///
/// The bytes go to a temporary file in the destination's folder, are flushed with
/// `fsync`, and the file is renamed over the destination (atomic within one file
/// system); the folder is then synced so the rename survives a crash. On any failure
/// the temporary file is removed and the destination is untouched.
public enum AtomicFile {
    /// Atomically replaces (or creates) the file at `path` with `bytes`.
    public static func write(_ bytes: [UInt8], to path: String) throws(ImageError) {
        try bytes.withUnsafeBytes { buffer in write(buffer, to: path) }.get()
    }

    /// Atomically replaces (or creates) the file at `path` with `text` as UTF-8.
    public static func write(_ text: String, to path: String) throws(ImageError) {
        try write(Array(text.utf8), to: path)
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to path: String) -> Result<Void, ImageError> {
        let folder = parentFolder(of: path)
        let name = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        let temporary = "\(folder)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(FileBytes.posixFailure(.writeFailed, errno, path: path)) }
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            return abandon(fd: fd, temporary: temporary, code: n < 0 ? errno : EIO, path: path)
        }
        guard fsync(fd) == 0 else { return abandon(fd: fd, temporary: temporary, code: errno, path: path) }
        guard close(fd) == 0 else { return abandon(fd: -1, temporary: temporary, code: errno, path: path) }
        guard rename(temporary, path) == 0 else { return abandon(fd: -1, temporary: temporary, code: errno, path: path) }
        // Make the rename itself durable; failure here leaves a correct file, so it is not an error.
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
        return .success(())
    }

    private static func abandon(fd: Int32, temporary: String, code: Int32, path: String) -> Result<Void, ImageError> {
        if fd >= 0 { close(fd) }
        unlink(temporary)
        return .failure(FileBytes.posixFailure(.writeFailed, code, path: path))
    }

    private static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
